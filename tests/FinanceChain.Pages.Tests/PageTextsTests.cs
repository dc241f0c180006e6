using System.Text.RegularExpressions;
using FinanceChain.Api.Localization;

namespace FinanceChain.Pages.Tests;

/// <summary>Every word of the pages and the roster files exists in Chinese and in English, with the same placeholders.</summary>
public sealed partial class PageTextsTests
{
    private static readonly TextCatalog Catalog = new();

    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (var code in Catalog.Codes(Languages.Chinese).Where(c => c.StartsWith("page.", StringComparison.Ordinal) || c.StartsWith("rosterFile.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Text_HasBothLanguages_WithTheSamePlaceholders(string key)
    {
        var chinese = Catalog.Find(key, Languages.Chinese)!;
        var english = Catalog.Find(key, Languages.English);
        Assert.False(string.IsNullOrWhiteSpace(english), $"{key} has no English text");
        Assert.Equal(Placeholders(chinese), Placeholders(english!));
    }

    [Fact]
    public void ChineseAndEnglish_HaveTheSameKeys()
    {
        static IEnumerable<string> Ours(IEnumerable<string> codes) =>
            codes.Where(c => c.StartsWith("page.", StringComparison.Ordinal) || c.StartsWith("rosterFile.", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(Ours(Catalog.Codes(Languages.Chinese)), Ours(Catalog.Codes(Languages.English)));
    }

    private static string[] Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal).ToArray();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
