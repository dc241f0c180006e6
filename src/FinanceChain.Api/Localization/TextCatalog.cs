using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Text.RegularExpressions;
using FinanceChain.Domain;

namespace FinanceChain.Api.Localization;

/// <summary>
/// Marks a feature's resource file: a class <c>XxxTexts</c> beside <c>XxxTexts.resx</c> (Simplified Chinese,
/// the neutral language) and <c>XxxTexts.en.resx</c>, keyed by the codes the API returns.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TextsAttribute : Attribute;

/// <summary>
/// Every text of every feature's resource file, by code and language, read once at start-up; codes are
/// unique across features. Sentences are filled with <see cref="Formats"/> so that amounts, rates and dates
/// read as people write them. The same resource files serve <c>IStringLocalizer&lt;XxxTexts&gt;</c> in pages.
/// </summary>
public sealed partial class TextCatalog
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage;
    private readonly ConcurrentDictionary<(string Language, string Code), Regex?> _patterns = new();

    public TextCatalog()
        : this(typeof(TextCatalog).Assembly)
    {
    }

    public TextCatalog(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Features = assembly.GetTypes().Where(t => t.GetCustomAttribute<TextsAttribute>() is not null).OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();
        var languages = new Dictionary<string, FrozenDictionary<string, string>>();
        foreach (var language in Languages.Supported)
        {
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var feature in Features)
            {
                foreach (var (code, text) in Read(feature, language))
                {
                    if (!texts.TryAdd(code, text))
                    {
                        throw new InvalidOperationException($"Text code '{code}' ({language.Name}) is defined twice; codes must be unique across features.");
                    }
                }
            }

            languages[language.Name] = texts.ToFrozenDictionary(StringComparer.Ordinal);
        }

        _byLanguage = languages.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The feature classes whose resource files the catalog holds.</summary>
    public IReadOnlyList<Type> Features { get; }

    /// <summary>Every code of <paramref name="language"/>.</summary>
    public IEnumerable<string> Codes(CultureInfo language) => TextsOf(language).Keys;

    /// <summary>The text of <paramref name="code"/> in <paramref name="language"/> (unfilled), or null when none exists.</summary>
    public string? Find(string code, CultureInfo language) => TextsOf(language).GetValueOrDefault(code);

    /// <summary>
    /// The text of <paramref name="code"/> in the current UI language, filled with <paramref name="args"/>.
    /// A code without text yields the code itself, so that nothing fails for want of a sentence (a test checks
    /// that every code has both).
    /// </summary>
    public string Text(string code, params IReadOnlyList<object?> args) => Text(CultureInfo.CurrentUICulture, code, args);

    /// <inheritdoc cref="Text(string, IReadOnlyList{object?})"/>
    public string Text(CultureInfo language, string code, IReadOnlyList<object?> args)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(args);
        var template = Find(code, language);
        if (template is null)
        {
            return code;
        }

        if (args.Count == 0)
        {
            return template;
        }

        var values = new object?[args.Count];
        for (var i = 0; i < args.Count; i++)
        {
            values[i] = Value(language, args[i]);
        }

        return string.Format(language, template, values);
    }

    /// <summary>The text of <paramref name="reason"/> in the current UI language, filled with its values.</summary>
    public string Text(Reason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return Text(CultureInfo.CurrentUICulture, reason.Code, reason.Args);
    }

    /// <summary>A value as it is written in a sentence of <paramref name="language"/>: a code by its text, a list item by item.</summary>
    public object? Value(CultureInfo language, object? value) => value switch
    {
        TextRef reference => Text(language, reference.Code, []),
        ListArg list => string.Join(Formats.ListSeparator(language), list.Items.Select(item => Value(language, item))),
        _ => Formats.Value(value, language),
    };

    /// <summary>
    /// Which of <paramref name="codes"/> has a text in <paramref name="language"/> that reads as <paramref name="message"/>
    /// once filled, or null: how a message that a framework component wrote from one of these texts (a DataAnnotations
    /// attribute, through <see cref="Http.FieldTexts"/>) gets its code back.
    /// </summary>
    public string? CodeOf(string message, IEnumerable<string> codes, CultureInfo language)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(codes);
        foreach (var code in codes)
        {
            var pattern = _patterns.GetOrAdd((language.Name, code), key => Pattern(Find(key.Code, language)));
            if (pattern is not null && pattern.IsMatch(message))
            {
                return code;
            }
        }

        return null;
    }

    // A text as a pattern whose placeholders match anything: "must lie between {1} and {2}" → ^must\ lie\ between\ .*?\ and\ .*?$
    private static Regex? Pattern(string? template) =>
        template is null ? null : new Regex("^" + Placeholder().Replace(Regex.Escape(template), ".*?") + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    [GeneratedRegex(@"\\\{[0-9]+}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private FrozenDictionary<string, string> TextsOf(CultureInfo language) =>
        _byLanguage.TryGetValue(language.Name, out var texts) ? texts
        : language.Parent != CultureInfo.InvariantCulture && _byLanguage.TryGetValue(language.Parent.Name, out texts) ? texts
        : _byLanguage[Languages.Chinese.Name];

    private static IEnumerable<(string Code, string Text)> Read(Type feature, CultureInfo language)
    {
        var manager = new ResourceManager(feature.FullName!, feature.Assembly);
        // The neutral resources are Chinese; English lives in the satellite assembly and must not fall back to them.
        var set = language.Equals(Languages.Chinese)
            ? manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)
            : manager.GetResourceSet(language, createIfNotExists: true, tryParents: false);
        if (set is null)
        {
            yield break;
        }

        foreach (System.Collections.DictionaryEntry entry in set)
        {
            if (entry.Value is string text)
            {
                yield return ((string)entry.Key, text);
            }
        }
    }
}
