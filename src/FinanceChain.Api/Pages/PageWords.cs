using System.Globalization;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Localization;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Pages;

/// <summary>
/// What the pages say, in the page's language (the culture the language cookie chose): texts from
/// <see cref="PageTexts"/>, names of roles and states, amounts, rates and dates through <see cref="Formats"/>, and the
/// one place where a roster flag or an error becomes words.
/// </summary>
public sealed class PageWords(TextCatalog catalog)
{
    /// <summary>The page's language.</summary>
    public static CultureInfo Language => CultureInfo.CurrentUICulture;

    /// <summary>The value of <c>&lt;html lang&gt;</c>: <c>zh-CN</c> or <c>en</c>.</summary>
    public static string HtmlLang => Language.TwoLetterISOLanguageName == "en" ? "en" : "zh-CN";

    public static bool IsEnglish => Language.TwoLetterISOLanguageName == "en";

    /// <summary>The text of <paramref name="key"/> (a <c>page.…</c> key).</summary>
    public string this[string key] => catalog.Text(Language, key, []);

    /// <summary>The text of <paramref name="key"/> filled with <paramref name="args"/> (money, dates and rates as people write them).</summary>
    public string Text(string key, params object?[] args) => catalog.Text(Language, key, args);

    /// <summary>
    /// A roster flag in words, in the page's language: the text of its code filled with its values, as the API
    /// returns it in <c>flags[].message</c>. Every page shows flags through this one method.
    /// </summary>
    public string FlagText(RosterFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return catalog.Text(Language, RosterCodes.Of(flag.Code), flag.Args);
    }

    /// <summary>The short name of a kind of flag, the headline above <see cref="FlagText"/>.</summary>
    public string FlagLabel(RosterFlagCode code) => this["page.flag." + EnumText.Of(code)];

    /// <summary>
    /// An error a store or the domain raised, in words: the text of its code, as the API's problem details give it
    /// in <c>detail</c> (or the field's message). Every page shows errors through this one method.
    /// </summary>
    public string ErrorText(Exception error) => error switch
    {
        FieldValidationException e => string.Join(" ", e.Errors.SelectMany(f => f.Value).Select(f => catalog.Text(Language, f.Code, f.Args))),
        ApiException e => catalog.Text(Language, e.Code, e.Args),
        DomainException e => catalog.Text(Language, e.Code, e.Args),
        _ => this["page.error.unexpected"],
    };

    /// <summary>A role (<c>admin</c>, <c>regulator</c>, <c>bank</c>, <c>enterprise</c>, or <c>system</c> for jobs) in words.</summary>
    public string RoleName(string role) => catalog.Find("page.role." + role, Language) ?? role;

    public string RoleName(Role role) => RoleName(EnumText.Of(role));

    /// <summary>A kind of entity in the audit trail (<c>roster</c>, <c>chain</c>…) in words, or as stored when it has none.</summary>
    public string EntityTypeName(string entityType) => catalog.Find("page.entity." + entityType, Language) ?? entityType;

    /// <summary>An audited action (<c>roster.approved</c>…) in words, or as stored when it has none.</summary>
    public string ActionName(string action) => catalog.Find("page.action." + action, Language) ?? action;

    public string StatusName(RosterStatus status) => this["page.rosterStatus." + EnumText.Of(status)];

    /// <summary><c>2026年下半年</c> (English: <c>2026 H2</c>).</summary>
    public string PeriodName(HalfYear period) => Text(period.Half == 1 ? "page.period.h1" : "page.period.h2", period.Year.ToString(CultureInfo.InvariantCulture));

    public string Yuan(Money amount) => Formats.Yuan(amount, Language);

    public string Wan(Money amount) => Formats.Wan(amount, Language);

    /// <summary>An amount in a table: <see cref="Wan"/>, and a plain 0 for nothing.</summary>
    public string Amount(Money amount) => amount == Money.Zero ? "0" : Wan(amount);

    public string Date(LocalDate date) => Formats.Date(date, Language);

    /// <summary>The Shanghai business date of <paramref name="instant"/>.</summary>
    public string Date(Instant instant) => Formats.Date(instant.InZone(Formats.Shanghai).Date, Language);

    public string Time(Instant instant) => Formats.Time(instant, Language);

    /// <summary>A count as a number with group separators.</summary>
    public static string Count(long value) => value.ToString("#,##0", CultureInfo.InvariantCulture);
}
