using FinanceChain.Api.Database;

namespace FinanceChain.Api.Products;

/// <summary>
/// Short lists stored in one text column as comma-separated values (camelCase enum names, region codes):
/// portable, and never filtered on in SQL. The empty string is the empty list.
/// </summary>
public static class TextList
{
    public static string Join(IEnumerable<string> values) => string.Join(',', values);

    public static string JoinEnums<T>(IEnumerable<T> values) where T : struct, Enum => Join(values.Select(EnumText.Of));

    public static IReadOnlyList<string> Split(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static IReadOnlyList<T> SplitEnums<T>(string? text) where T : struct, Enum => Split(text).Select(EnumText.Parse<T>).ToList();
}
