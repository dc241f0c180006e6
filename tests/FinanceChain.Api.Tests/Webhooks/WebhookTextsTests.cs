using FinanceChain.Api.Localization;
using FinanceChain.Api.Webhooks;

namespace FinanceChain.Api.Tests.Webhooks;

public sealed class WebhookTextsTests
{
    private static readonly TextCatalog Catalog = new();

    public static TheoryData<string> Codes()
    {
        var data = new TheoryData<string>();
        foreach (var code in WebhookCodes.All)
        {
            data.Add(code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryCode_HasChineseAndEnglishText(string code)
    {
        var chinese = Catalog.Find(code, Languages.Chinese);
        var english = Catalog.Find(code, Languages.English);
        Assert.False(string.IsNullOrWhiteSpace(chinese), $"{code} has no Chinese text");
        Assert.False(string.IsNullOrWhiteSpace(english), $"{code} has no English text");
        Assert.NotEqual(chinese, english);
        // The same placeholders in both languages.
        Assert.Equal(Placeholders(chinese!), Placeholders(english!));
    }

    [Fact]
    public void TheFileHoldsNoCodeBeyondTheList()
    {
        var inFile = Catalog.Codes(Languages.English).Where(c => c.StartsWith("webhook", StringComparison.Ordinal));
        Assert.Equal(WebhookCodes.All.Order(StringComparer.Ordinal), inFile.Order(StringComparer.Ordinal));
    }

    private static string[] Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Order(StringComparer.Ordinal).ToArray();
}
