using System.Collections.Frozen;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace FinanceChain.Domain;

/// <summary>
/// Business days (工作日) in mainland China: Monday to Friday, except the statutory holidays, plus the Saturdays
/// and Sundays that the State Council makes working days to bridge a holiday (调休上班). Both change every year,
/// by the State Council's notice on public holidays (国务院办公厅关于部分节假日安排的通知), so they are data, not
/// rules: <see cref="China"/> reads them from the embedded file <c>Calendar/china-business-days.json</c>, which
/// names its source. Immutable.
/// </summary>
/// <remarks>
/// Only the years in the data are known. Asking about a date in any other year is a
/// <see cref="DomainConflictException"/> <c>businessCalendarYearMissing</c>: the calendar never guesses that an
/// unpublished year has no holidays. When the next year's notice is out, the data file is converted again
/// (<c>tools/holidays/convert.mjs</c>) and checked against the notice.
/// </remarks>
public sealed class BusinessCalendar
{
    private const string ResourceName = "FinanceChain.Domain.Calendar.china-business-days.json";

    private static readonly Lazy<BusinessCalendar> LazyChina = new(LoadChina);

    private readonly FrozenSet<int> _years;
    private readonly FrozenSet<LocalDate> _holidays;
    private readonly FrozenSet<LocalDate> _workdays;

    private BusinessCalendar(string source, FrozenSet<int> years, FrozenSet<LocalDate> holidays, FrozenSet<LocalDate> workdays)
    {
        Source = source;
        _years = years;
        _holidays = holidays;
        _workdays = workdays;
        Years = years.Order().ToArray();
    }

    /// <summary>The mainland-China calendar of the embedded data file.</summary>
    public static BusinessCalendar China => LazyChina.Value;

    /// <summary>Where the holidays and adjusted working days come from.</summary>
    public string Source { get; }

    /// <summary>The years the calendar knows, in order.</summary>
    public IReadOnlyList<int> Years { get; }

    /// <summary>
    /// A calendar of <paramref name="years"/>: <paramref name="holidays"/> are days off (weekend days among them
    /// change nothing), <paramref name="workdays"/> are weekend days worked. Every date must lie in one of the
    /// years, a working day must be a Saturday or Sunday and no day may be both; otherwise
    /// <see cref="ArgumentException"/> (the data is wrong, not the caller's input).
    /// </summary>
    public static BusinessCalendar Create(string source, IEnumerable<int> years, IEnumerable<LocalDate> holidays, IEnumerable<LocalDate> workdays)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var yearSet = years.ToFrozenSet();
        if (yearSet.Count == 0)
        {
            throw new ArgumentException("A calendar needs at least one year.", nameof(years));
        }

        var holidaySet = holidays.ToFrozenSet();
        var workdaySet = workdays.ToFrozenSet();
        foreach (var date in holidaySet.Concat(workdaySet))
        {
            if (!yearSet.Contains(date.Year))
            {
                throw new ArgumentException($"{Iso(date)} lies outside the calendar's years.", nameof(holidays));
            }
        }

        foreach (var date in workdaySet)
        {
            if (!IsWeekend(date))
            {
                throw new ArgumentException($"Working day {Iso(date)} is a weekday; only weekend days are made working days.", nameof(workdays));
            }

            if (holidaySet.Contains(date))
            {
                throw new ArgumentException($"{Iso(date)} is both a holiday and a working day.", nameof(workdays));
            }
        }

        return new BusinessCalendar(source, yearSet, holidaySet, workdaySet);
    }

    /// <summary>
    /// Reads the data file's form: <c>{ "source": "…", "years": { "2025": { "holidays": ["2025-01-01", …],
    /// "workdays": ["2025-01-26", …] } } }</c>. A malformed file is a <see cref="FormatException"/>.
    /// </summary>
    public static BusinessCalendar Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        CalendarFile file;
        try
        {
            file = JsonSerializer.Deserialize<CalendarFile>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
                ?? throw new FormatException("The calendar data is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException("The calendar data is not valid JSON.", e);
        }

        if (string.IsNullOrWhiteSpace(file.Source) || file.Years is null || file.Years.Count == 0)
        {
            throw new FormatException("The calendar data must name its source and hold at least one year.");
        }

        var years = new List<int>();
        var holidays = new List<LocalDate>();
        var workdays = new List<LocalDate>();
        foreach (var (yearText, year) in file.Years)
        {
            if (yearText.Length != 4 || !int.TryParse(yearText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                throw new FormatException($"'{yearText}' is not a year.");
            }

            years.Add(number);
            holidays.AddRange((year.Holidays ?? []).Select(ParseDate));
            workdays.AddRange((year.Workdays ?? []).Select(ParseDate));
        }

        return Create(file.Source, years, holidays, workdays);
    }

    /// <summary>
    /// This calendar with the years of <paramref name="more"/> added; a year in both is taken from
    /// <paramref name="more"/> whole. Lets an operator add a year the State Council has just published (or correct
    /// one) from a file in the same form, before a release carries it.
    /// </summary>
    public BusinessCalendar Including(BusinessCalendar more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var kept = _years.Where(y => !more._years.Contains(y)).ToArray();
        return Create(
            $"{Source}; {more.Source}",
            kept.Concat(more._years),
            _holidays.Where(d => !more._years.Contains(d.Year)).Concat(more._holidays),
            _workdays.Where(d => !more._years.Contains(d.Year)).Concat(more._workdays));
    }

    /// <summary>Whether the calendar knows <paramref name="year"/>.</summary>
    public bool Covers(int year) => _years.Contains(year);

    /// <summary>
    /// Whether <paramref name="date"/> is a business day: a weekday that is no holiday, or a weekend day made a
    /// working day. A year the calendar does not know is <c>businessCalendarYearMissing</c>.
    /// </summary>
    public bool IsBusinessDay(LocalDate date)
    {
        EnsureCovers(date.Year);
        return _workdays.Contains(date) || (!IsWeekend(date) && !_holidays.Contains(date));
    }

    /// <summary>
    /// <paramref name="date"/> when it is a business day, else the next business day after it: the day a payment
    /// due on a weekend or holiday is made (节假日顺延).
    /// </summary>
    public LocalDate OnOrAfter(LocalDate date)
    {
        while (!IsBusinessDay(date))
        {
            date = date.PlusDays(1);
        }

        return date;
    }

    /// <summary>
    /// The <paramref name="businessDays"/>-th business day after <paramref name="date"/> (which itself does not
    /// count, whether or not it is a business day): one business day after Friday 2025-01-24 is Sunday
    /// 2025-01-26, a working day before the Spring Festival. <paramref name="businessDays"/> must be at least 1.
    /// </summary>
    public LocalDate AddBusinessDays(LocalDate date, int businessDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(businessDays, 1);
        var left = businessDays;
        while (left > 0)
        {
            date = date.PlusDays(1);
            if (IsBusinessDay(date))
            {
                left--;
            }
        }

        return date;
    }

    private void EnsureCovers(int year)
    {
        if (!_years.Contains(year))
        {
            throw new DomainConflictException("businessCalendarYearMissing", year);
        }
    }

    private static bool IsWeekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static LocalDate ParseDate(string text)
    {
        var result = LocalDatePattern.Iso.Parse(text);
        return result.Success ? result.Value : throw new FormatException($"'{text}' is not an ISO date.");
    }

    private static BusinessCalendar LoadChina()
    {
        using var stream = typeof(BusinessCalendar).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded calendar data {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private sealed class CalendarFile
    {
        public string? Source { get; set; }
        public Dictionary<string, CalendarYear>? Years { get; set; }
    }

    private sealed class CalendarYear
    {
        public List<string>? Holidays { get; set; }
        public List<string>? Workdays { get; set; }
    }
}
