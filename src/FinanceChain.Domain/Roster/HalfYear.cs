using System.Globalization;
using System.Text.Json.Serialization;
using NodaTime;

namespace FinanceChain.Domain;

/// <summary>
/// A half-year roster period: <c>2026H1</c> runs from 1 January to 30 June, <c>2026H2</c> from 1 July
/// to 31 December. Period boundaries are business dates in <see cref="ShanghaiZoneId"/>.
/// </summary>
/// <remarks>
/// <para>
/// The text form is strict and canonical: four ASCII digits for a year from <see cref="MinYear"/> to
/// <see cref="MaxYear"/>, an upper-case <c>H</c>, then <c>1</c> or <c>2</c>. Lower-case <c>h</c>, spaces,
/// signs and separators are rejected rather than normalised, so that a period has exactly one spelling
/// in routes, storage keys and file names.
/// </para>
/// <para>
/// The default value is <c>2000H1</c>, the first period that can be represented. In JSON a period is its
/// canonical string (<see cref="HalfYearJsonConverter"/>).
/// </para>
/// </remarks>
[JsonConverter(typeof(HalfYearJsonConverter))]
public readonly record struct HalfYear : IComparable<HalfYear>
{
    /// <summary>The time zone in which period boundaries fall.</summary>
    public const string ShanghaiZoneId = "Asia/Shanghai";

    /// <summary>The first year a period may lie in.</summary>
    public const int MinYear = 2000;

    /// <summary>The last year a period may lie in.</summary>
    public const int MaxYear = 2999;

    private const int MaxOrdinal = ((MaxYear - MinYear) * 2) + 1;

    // Half-years since 2000H1, so that the default value is a valid period and ordering is numeric.
    private readonly int _ordinal;

    private HalfYear(int ordinal) => _ordinal = ordinal;

    /// <summary>The <see cref="ShanghaiZoneId"/> zone from the TZDB provider.</summary>
    public static DateTimeZone ShanghaiZone => DateTimeZoneProviders.Tzdb[ShanghaiZoneId];

    /// <summary>The first period that can be represented (<c>2000H1</c>).</summary>
    public static HalfYear MinValue => new(0);

    /// <summary>The last period that can be represented (<c>2999H2</c>).</summary>
    public static HalfYear MaxValue => new(MaxOrdinal);

    /// <summary>The calendar year.</summary>
    public int Year => MinYear + (_ordinal / 2);

    /// <summary>1 for January to June, 2 for July to December.</summary>
    public int Half => (_ordinal % 2) + 1;

    /// <summary>The first day of the period (1 January or 1 July).</summary>
    public LocalDate Start => new(Year, Half == 1 ? 1 : 7, 1);

    /// <summary>The last day of the period, inclusive (30 June or 31 December).</summary>
    public LocalDate End => Half == 1 ? new LocalDate(Year, 6, 30) : new LocalDate(Year, 12, 31);

    /// <summary>The period just before this one; <c>2026H1</c> gives <c>2025H2</c>.</summary>
    /// <exception cref="InvalidOperationException">This is <see cref="MinValue"/>.</exception>
    public HalfYear Previous => _ordinal > 0
        ? new HalfYear(_ordinal - 1)
        : throw new InvalidOperationException($"No period before {MinValue} can be represented.");

    /// <summary>The period just after this one; <c>2026H2</c> gives <c>2027H1</c>.</summary>
    /// <exception cref="InvalidOperationException">This is <see cref="MaxValue"/>.</exception>
    public HalfYear Next => _ordinal < MaxOrdinal
        ? new HalfYear(_ordinal + 1)
        : throw new InvalidOperationException($"No period after {MaxValue} can be represented.");

    /// <summary>The period of a year and half.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year or half is out of range.</exception>
    public static HalfYear Of(int year, int half)
    {
        if (year is < MinYear or > MaxYear)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, $"A period's year must lie between {MinYear} and {MaxYear}.");
        }

        if (half is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(half), half, "A half must be 1 or 2.");
        }

        return new HalfYear(((year - MinYear) * 2) + (half - 1));
    }

    /// <summary>The period a business date falls in.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The date's year is out of range.</exception>
    public static HalfYear Containing(LocalDate date)
    {
        if (date.Year is < MinYear or > MaxYear)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"A period's year must lie between {MinYear} and {MaxYear}.");
        }

        return Of(date.Year, date.Month <= 6 ? 1 : 2);
    }

    /// <summary>The period an instant falls in, judged by its date in <paramref name="zone"/>.</summary>
    public static HalfYear Containing(Instant instant, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Containing(instant.InZone(zone).Date);
    }

    /// <summary>Parses the canonical form such as <c>2026H1</c>; anything else gives false.</summary>
    public static bool TryParse(string? text, out HalfYear period)
    {
        period = default;
        if (text is null || text.Length != 6 || text[4] != 'H')
        {
            return false;
        }

        var year = 0;
        for (var i = 0; i < 4; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            year = (year * 10) + (text[i] - '0');
        }

        var half = text[5] switch
        {
            '1' => 1,
            '2' => 2,
            _ => 0,
        };

        if (half == 0 || year is < MinYear or > MaxYear)
        {
            return false;
        }

        period = Of(year, half);
        return true;
    }

    /// <summary>Parses the canonical form such as <c>2026H1</c>.</summary>
    /// <exception cref="FormatException">The text is not a period.</exception>
    public static HalfYear Parse(string text) =>
        TryParse(text, out var period)
            ? period
            : throw new FormatException(
                $"'{text}' is not a half-year period: expected a year from {MinYear} to {MaxYear}, 'H', then 1 or 2 (e.g. 2026H1).");

    /// <summary>The first instant of the period: 00:00 on its first day in <paramref name="zone"/>.</summary>
    public Instant StartInstant(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Start.AtStartOfDayInZone(zone).ToInstant();
    }

    /// <summary>
    /// The end of the period, exclusive: the first instant of the following day in <paramref name="zone"/>,
    /// which is the start of the next period.
    /// </summary>
    public Instant EndInstant(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return End.PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
    }

    /// <summary>True when the business date lies in the period.</summary>
    public bool Contains(LocalDate date) => date >= Start && date <= End;

    /// <inheritdoc />
    public int CompareTo(HalfYear other) => _ordinal.CompareTo(other._ordinal);

    /// <summary>True when <paramref name="a"/> comes before <paramref name="b"/>.</summary>
    public static bool operator <(HalfYear a, HalfYear b) => a._ordinal < b._ordinal;

    /// <summary>True when <paramref name="a"/> comes after <paramref name="b"/>.</summary>
    public static bool operator >(HalfYear a, HalfYear b) => a._ordinal > b._ordinal;

    /// <summary>True when <paramref name="a"/> is <paramref name="b"/> or comes before it.</summary>
    public static bool operator <=(HalfYear a, HalfYear b) => a._ordinal <= b._ordinal;

    /// <summary>True when <paramref name="a"/> is <paramref name="b"/> or comes after it.</summary>
    public static bool operator >=(HalfYear a, HalfYear b) => a._ordinal >= b._ordinal;

    /// <summary>The canonical form, e.g. <c>2026H1</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}H{Half}");
}
