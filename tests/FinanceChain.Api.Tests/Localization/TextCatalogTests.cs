using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FinanceChain.Api.Http;
using FinanceChain.Api.Localization;
using FinanceChain.Api.Matching;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Localization;

/// <summary>Every code the service can say has a text in both languages, with the same placeholders.</summary>
public sealed partial class TextCatalogTests
{
    private static readonly TextCatalog Catalog = new();
    private static readonly Assembly Api = typeof(TextCatalog).Assembly;
    private static readonly Assembly Domain = typeof(Money).Assembly;

    /// <summary>Every constant of every static class named <c>…Codes</c>, in the API and the domain.</summary>
    public static IEnumerable<string> DeclaredCodes() =>
        Api.GetTypes().Concat(Domain.GetTypes())
            .Where(t => t is { IsAbstract: true, IsSealed: true } && t.Name.EndsWith("Codes", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string)))
            .Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>Codes built from enums and entity names rather than declared one by one.</summary>
    public static IEnumerable<string> DerivedCodes() =>
        TermCodes.All()
            .Concat(Enum.GetValues<RosterFlagCode>().Select(RosterCodes.Of))
            .Concat(Enum.GetValues<FinancingRequestStatus>().Select(s => FinancingRequestStore.RequestStatusText(s).Code))
            .Concat(Enum.GetValues<OfferStatus>().Select(s => "offerStatus" + s))
            .Concat(FieldTexts.Codes.Values)
            .Concat(new[] { 400, 401, 403, 404, 409, 412, 413, 422, 428, 429, 503 }.Select(s => "status" + s.ToString(CultureInfo.InvariantCulture)))
            .Concat(new[] { "chain", "leadBank", "enterprise", "institution", "product", "financingRequest", "offer", "roster", "publishedRoster", "apiKey" }
                .Select(e => e + "NotFound"));

    [Fact]
    public void EveryCode_HasATextInChineseAndEnglish()
    {
        var codes = DeclaredCodes().Concat(DerivedCodes()).Distinct().ToList();
        Assert.True(codes.Count > 150, $"only {codes.Count} codes found");
        var missing = codes
            .SelectMany(code => Languages.Supported.Where(l => Catalog.Find(code, l) is null).Select(l => $"{code} ({l.Name})"))
            .ToList();
        Assert.True(missing.Count == 0, "No text for: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryResourceFile_HasTheSameKeysAndPlaceholdersInEveryLanguage()
    {
        var root = RepositoryRoot();
        var neutral = Directory.GetFiles(Path.Combine(root, "src", "FinanceChain.Api"), "*.resx", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".en.resx", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(neutral);
        foreach (var chinese in neutral)
        {
            var zh = Read(chinese);
            foreach (var language in Languages.Supported.Where(l => !l.Equals(Languages.Chinese)))
            {
                var other = chinese[..^".resx".Length] + "." + language.Name + ".resx";
                Assert.True(File.Exists(other), $"{other} is missing");
                var texts = Read(other);
                Assert.True(zh.Keys.Order().SequenceEqual(texts.Keys.Order()), $"{Path.GetFileName(other)}: keys differ: {string.Join(", ", zh.Keys.Except(texts.Keys).Concat(texts.Keys.Except(zh.Keys)))}");
                foreach (var (key, text) in zh)
                {
                    Assert.True(Placeholders(text).SetEquals(Placeholders(texts[key])), $"{Path.GetFileName(other)} {key}: '{text}' and '{texts[key]}' differ in placeholders");
                    Assert.False(string.IsNullOrWhiteSpace(text) || string.IsNullOrWhiteSpace(texts[key]), $"{key} is blank");
                }
            }
        }
    }

    [Fact]
    public void EveryFeatureTextFile_IsRead()
    {
        Assert.Contains(typeof(MatchingTexts), Catalog.Features);
        Assert.Equal(Catalog.Codes(Languages.Chinese).Order(StringComparer.Ordinal), Catalog.Codes(Languages.English).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FieldTexts_DoNotReadAlike()
    {
        // The problem details find a field message's code from its text: no two texts may read the same once filled.
        foreach (var language in Languages.Supported)
        {
            foreach (var code in Errors.Problems.FieldCodes)
            {
                var sample = Regex.Replace(Catalog.Find(code, language)!, @"\{[0-9]+\}", "7");
                Assert.Equal(code, Catalog.CodeOf(sample, Errors.Problems.FieldCodes, language));
            }
        }
    }

    [Fact]
    public void RequestRecords_ValidationAttributesSpeakThroughFieldTexts()
    {
        // DataAnnotations' own messages are English only; every framework attribute on a request record names a text
        // of FieldTexts instead (the service's own attributes write their texts themselves). Notes and receivables
        // are rewritten in their own work and are checked from then on.
        var unlocalised = Api.GetTypes()
            .Where(t => t.Namespace is { } ns && !ns.EndsWith(".Notes", StringComparison.Ordinal) && !ns.EndsWith(".Receivables", StringComparison.Ordinal))
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => (Type: t, p.Name, Attributes: p.GetCustomAttributes<ValidationAttribute>())))
            .SelectMany(p => p.Attributes.Where(a => a.GetType().Assembly == typeof(RequiredAttribute).Assembly && a.ErrorMessageResourceType != typeof(FieldTexts))
                .Select(a => $"{p.Type.Name}.{p.Name} [{a.GetType().Name}]"))
            .ToList();
        Assert.True(unlocalised.Count == 0, "Not through FieldTexts: " + string.Join(", ", unlocalised));
    }

    [Fact]
    public void Text_FillsMoneyRatesRegionsAndListsAsPeopleWriteThem()
    {
        var reason = new Reason(MatchingCodes.RuleAmountAboveMaximum, [new MoneyInWan(Money.FromYuan(6_000_000m)), new MoneyInWan(Money.FromYuan(5_000_000m))]);
        Assert.Equal("金额 600 万元超过该产品上限 500 万元", Catalog.Text(Languages.Chinese, reason.Code, reason.Args));
        Assert.Equal("The amount of CNY 6 million is above this product's maximum of CNY 5 million", Catalog.Text(Languages.English, reason.Code, reason.Args));

        var region = new Reason(MatchingCodes.RuleRegionNotOffered, [RegionCode.Parse("420111"), new ListArg([RegionCode.Parse("430000"), RegionCode.Parse("420100")])]);
        Assert.Equal("该产品只在湖南省、湖北省武汉市提供，不覆盖湖北省武汉市洪山区", Catalog.Text(Languages.Chinese, region.Code, region.Args));

        var size = new Reason(MatchingCodes.RuleSizeNotOffered, [TermCodes.Of(EnterpriseSize.Medium), new ListArg([TermCodes.Of(EnterpriseSize.Small), TermCodes.Of(EnterpriseSize.Micro)])]);
        Assert.Equal("This product is offered to small enterprises, micro enterprises only, not to medium enterprises", Catalog.Text(Languages.English, size.Code, size.Args));

        Assert.Equal("最低利率年化 3.85 %，在符合条件的产品中最低", Catalog.Text(Languages.Chinese, MatchingCodes.ReasonLowestRate, [new RateArg(385)]));
        Assert.Equal("金额不能超过 10,000,000,000,000.00 元", Catalog.Text(Languages.Chinese, RegistryCodes.AmountTooLarge, [Money.MaxValue]));
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(file).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{[0-9]+\}")]
    private static partial Regex PlaceholderPattern();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FinanceChain.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
