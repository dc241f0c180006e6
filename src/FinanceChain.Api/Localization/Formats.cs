using System.Globalization;
using FinanceChain.Domain;
using NodaTime;
using NodaTime.Text;

namespace FinanceChain.Api.Localization;

/// <summary>
/// Amounts, rates and dates as people write them, in one place for the API's sentences and the pages:
/// <c>1,200,000.00 元</c> or <c>120 万元</c>, <c>3.85 %</c>, dates and times in Asia/Shanghai.
/// </summary>
public static class Formats
{
    /// <summary>Business dates and times are read in Shanghai.</summary>
    public static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    private static readonly LocalDatePattern ChineseDate = LocalDatePattern.Create("uuuu'年'M'月'd'日'", CultureInfo.InvariantCulture);
    private static readonly LocalDatePattern IsoDate = LocalDatePattern.Iso;
    private static readonly LocalDateTimePattern ChineseTime = LocalDateTimePattern.Create("uuuu'年'M'月'd'日' HH:mm", CultureInfo.InvariantCulture);
    private static readonly LocalDateTimePattern EnglishTime = LocalDateTimePattern.Create("uuuu-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static bool IsChinese(CultureInfo language) => !language.TwoLetterISOLanguageName.Equals("en", StringComparison.Ordinal);

    /// <summary><c>1,200,000.00 元</c> (English: <c>CNY 1,200,000.00</c>).</summary>
    public static string Yuan(Money amount, CultureInfo language)
    {
        var number = amount.Yuan.ToString("#,##0.00", CultureInfo.InvariantCulture);
        return IsChinese(language) ? $"{number} 元" : $"CNY {number}";
    }

    /// <summary>
    /// <c>120 万元</c>, <c>85.5 万元</c> (English: <c>CNY 1.2 million</c>) where a sentence reads better with a round
    /// figure; amounts under 10,000 yuan, or not whole to the hundred yuan, are written in full instead.
    /// </summary>
    public static string Wan(Money amount, CultureInfo language)
    {
        if (amount.Fen < 10_000 * Money.FenPerYuan || amount.Fen % (100 * Money.FenPerYuan) != 0)
        {
            return Yuan(amount, language);
        }

        if (IsChinese(language))
        {
            return (amount.Yuan / 10_000m).ToString("#,##0.##", CultureInfo.InvariantCulture) + " 万元";
        }

        return amount.Yuan >= 1_000_000m
            ? "CNY " + (amount.Yuan / 1_000_000m).ToString("#,##0.####", CultureInfo.InvariantCulture) + " million"
            : Yuan(amount, language);
    }

    /// <summary><c>3.85 %</c>: a rate in basis points per year.</summary>
    public static string Rate(int bps) => (bps / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    /// <summary><c>年化 3.85 %</c> (English: <c>3.85 % a year</c>).</summary>
    public static string AnnualRate(int bps, CultureInfo language) =>
        IsChinese(language) ? $"年化 {Rate(bps)}" : $"{Rate(bps)} a year";

    /// <summary><c>2026年3月16日</c> (English: <c>2026-03-16</c>).</summary>
    public static string Date(LocalDate date, CultureInfo language) =>
        IsChinese(language) ? ChineseDate.Format(date) : IsoDate.Format(date);

    /// <summary>The instant as a Shanghai wall-clock time: <c>2026年3月16日 10:00</c> (English: <c>2026-03-16 10:00</c>).</summary>
    public static string Time(Instant instant, CultureInfo language)
    {
        var local = instant.InZone(Shanghai).LocalDateTime;
        return IsChinese(language) ? ChineseTime.Format(local) : EnglishTime.Format(local);
    }

    /// <summary><c>2026年上半年</c> (English: <c>H1 2026</c>).</summary>
    public static string Period(HalfYear period, CultureInfo language) =>
        IsChinese(language)
            ? string.Create(CultureInfo.InvariantCulture, $"{period.Year}年{(period.Half == 1 ? "上" : "下")}半年")
            : string.Create(CultureInfo.InvariantCulture, $"H{period.Half} {period.Year}");

    /// <summary>
    /// A region by its full name (<c>湖北省武汉市洪山区</c>), in both languages: the official names are Chinese, and a
    /// transliteration would help no reader of a Chinese address. A code the division list lacks is written as it is.
    /// </summary>
    public static string Region(RegionCode region) => Divisions.Gb2260.FullName(region.Value);

    /// <summary>What separates the items of a list in a sentence: <c>、</c> in Chinese, <c>, </c> in English.</summary>
    public static string ListSeparator(CultureInfo language) => IsChinese(language) ? "、" : ", ";

    /// <summary>
    /// A value placed in a sentence: money, rates, dates, instants, periods and regions as above, anything else as
    /// it prints in <paramref name="language"/>.
    /// </summary>
    public static object? Value(object? value, CultureInfo language) => value switch
    {
        Money m => Yuan(m, language),
        MoneyInWan w => Wan(w.Amount, language),
        RateArg r => Rate(r.Bps),
        LocalDate d => Date(d, language),
        Instant i => Time(i, language),
        HalfYear p => Period(p, language),
        RegionCode r => Region(r),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value,
    };
}
