using System.Text.Json;

namespace FinanceChain.Api.Database;

/// <summary>Enums are stored as their camelCase JSON names, so the database reads like the API.</summary>
public static class EnumText
{
    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static T Parse<T>(string text) where T : struct, Enum => Enum.Parse<T>(text, ignoreCase: true);
}
