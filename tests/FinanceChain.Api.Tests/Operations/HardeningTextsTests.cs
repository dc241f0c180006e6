using System.Reflection;
using System.Text.RegularExpressions;
using FinanceChain.Api.Database;
using FinanceChain.Api.Http;
using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Tests.Operations;

/// <summary>Every code of the HTTP layer, idempotency and the database layer has a text in Chinese and in English, with the same placeholders.</summary>
public sealed partial class HardeningTextsTests
{
    public static TheoryData<string> Codes()
    {
        var data = new TheoryData<string>();
        foreach (var type in new[] { typeof(HttpCodes), typeof(IdempotencyCodes), typeof(DatabaseCodes) })
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                data.Add((string)field.GetRawConstantValue()!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Code_HasChineseAndEnglishText_WithTheSamePlaceholders(string code)
    {
        var catalog = new TextCatalog();
        var chinese = catalog.Find(code, Languages.Chinese);
        var english = catalog.Find(code, Languages.English);

        Assert.False(string.IsNullOrWhiteSpace(chinese), $"{code} has no Chinese text");
        Assert.False(string.IsNullOrWhiteSpace(english), $"{code} has no English text");
        Assert.Equal(Placeholders(chinese!), Placeholders(english!));
    }

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
