using System.Globalization;
using System.Text.RegularExpressions;
using FinanceChain.Api.Localization;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Receivables;

namespace FinanceChain.Api.Tests.Localization;

/// <summary>
/// Every error code thrown by the notes and receivables features (and their rules in the domain) has a text in
/// Chinese and in English, and the two texts of a code take the same placeholders.
/// </summary>
public sealed partial class FeatureTextsTests
{
    private static readonly string[] Folders =
    [
        "src/FinanceChain.Api/Notes",
        "src/FinanceChain.Api/Receivables",
        "src/FinanceChain.Domain/Notes",
        "src/FinanceChain.Domain/Calendar",
    ];

    private static readonly TextCatalog Catalog = new();

    public static TheoryData<string> ThrownCodes()
    {
        var data = new TheoryData<string>();
        foreach (var code in Scan().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            data.Add(code);
        }

        return data;
    }

    [Fact]
    public void SourceScan_FindsTheFeaturesCodes()
    {
        var codes = Scan().ToHashSet(StringComparer.Ordinal);
        Assert.Contains("noteBalanceInsufficient", codes);
        Assert.Contains("noteNotFound", codes);
        Assert.Contains("invoiceAlreadyUsed", codes);
        Assert.True(codes.Count >= 40, $"Only {codes.Count} codes found; the scan is broken.");
    }

    [Theory]
    [MemberData(nameof(ThrownCodes))]
    public void ThrownCode_HasChineseAndEnglishText(string code)
    {
        Assert.NotNull(Catalog.Find(code, Languages.Chinese));
        Assert.NotNull(Catalog.Find(code, Languages.English));
    }

    [Fact]
    public void EveryReceivableStatus_HasText()
    {
        foreach (var status in Enum.GetValues<Domain.ReceivableStatus>())
        {
            var code = Domain.ReceivableTransitions.Describe(status).Code;
            Assert.NotNull(Catalog.Find(code, Languages.Chinese));
            Assert.NotNull(Catalog.Find(code, Languages.English));
        }
    }

    [Fact]
    public void EveryPresentmentAndRecourseStatus_HasText()
    {
        var codes = Enum.GetNames<Domain.PresentmentStatus>().Select(s => "presentmentStatus" + s)
            .Concat(Enum.GetNames<Domain.RecourseStatus>().Select(s => "recourseStatus" + s));
        foreach (var code in codes)
        {
            Assert.NotNull(Catalog.Find(code, Languages.Chinese));
            Assert.NotNull(Catalog.Find(code, Languages.English));
        }
    }

    [Theory]
    [InlineData(typeof(NoteTexts))]
    [InlineData(typeof(ReceivableTexts))]
    public void BothLanguages_HaveTheSameCodesAndPlaceholders(Type feature)
    {
        var manager = new System.Resources.ResourceManager(feature.FullName!, feature.Assembly);
        var chinese = Entries(manager.GetResourceSet(CultureInfo.InvariantCulture, true, false)!);
        var english = Entries(manager.GetResourceSet(Languages.English, true, false)!);

        Assert.NotEmpty(chinese);
        Assert.Equal(chinese.Keys.Order(StringComparer.Ordinal), english.Keys.Order(StringComparer.Ordinal));
        foreach (var (code, text) in chinese)
        {
            Assert.True(Placeholders(text).SetEquals(Placeholders(english[code])), $"{code}: '{text}' and '{english[code]}' take different values");
            Assert.DoesNotMatch(LatinWord(), text);
        }
    }

    private static Dictionary<string, string> Entries(System.Resources.ResourceSet set) =>
        set.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> Scan()
    {
        var root = RepositoryRoot();
        foreach (var folder in Folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs"))
            {
                var source = File.ReadAllText(file);
                foreach (Match match in CodeFirst().Matches(source))
                {
                    yield return match.Groups["code"].Value;
                }

                foreach (Match match in FieldThenCode().Matches(source))
                {
                    yield return match.Groups["code"].Value;
                }

                foreach (Match match in NotFound().Matches(source))
                {
                    yield return match.Groups["entity"].Value + "NotFound";
                }

                foreach (Match match in TextReference().Matches(source))
                {
                    yield return match.Groups["code"].Value;
                }
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FinanceChain.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (FinanceChain.sln) was not found above the test binaries.");
    }

    [GeneratedRegex(@"\b(?:DomainConflictException|ConflictException|ForbiddenException|UnprocessableException)\(\s*""(?<code>[a-z][A-Za-z]+)""")]
    private static partial Regex CodeFirst();

    [GeneratedRegex(@"\b(?:DomainValidationException|FieldValidationException|FieldError)\(\s*[^,()]+,\s*""(?<code>[a-z][A-Za-z]+)""")]
    private static partial Regex FieldThenCode();

    [GeneratedRegex(@"\bNotFoundException\(\s*""(?<entity>[a-z][A-Za-z]+)""\s*\)")]
    private static partial Regex NotFound();

    [GeneratedRegex(@"\bTextRef\(\s*""(?<code>[a-z][A-Za-z]+)""\s*\)")]
    private static partial Regex TextReference();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    // Chinese texts keep the domain's own words; a Latin word of three letters or more is an untranslated sentence.
    [GeneratedRegex(@"\b(?!id\b)[A-Za-z]{3,}\b")]
    private static partial Regex LatinWord();
}
