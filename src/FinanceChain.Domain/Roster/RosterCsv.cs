using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace FinanceChain.Domain;

/// <summary>
/// Writes a roster as CSV (RFC 4180): a header row, then one row per chain with its lead bank; fields
/// separated by commas, lines ended by CRLF, a field quoted when it holds a comma, a double quote, CR or
/// LF, and quotes inside doubled.
/// </summary>
/// <remarks>
/// <para>
/// Amounts are yuan with two decimals and a dot (<c>1250000.50</c>), whatever the culture of the
/// server. <c>leadBankSince</c> is the pairing's business date in Asia/Shanghai (<c>yyyy-MM-dd</c>).
/// Lists inside a field (core enterprises, flags) are joined with <c>"; "</c>; flags are given by code
/// (<c>noLeadBank</c>).
/// </para>
/// <para>
/// Formula injection: the published roster is public and is opened in spreadsheet programs, which treat
/// a cell that begins with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> (and, in some, a tab or carriage
/// return) as a formula. Chain and enterprise names are typed by people, so a name such as
/// <c>=HYPERLINK("http://…")</c> would run in the reader's spreadsheet. Any field that begins with one
/// of those characters (or their full-width forms) gets a leading apostrophe, which spreadsheets show
/// as text and do not evaluate (OWASP "CSV Injection"). The cost is a visible apostrophe in the rare
/// name that really starts that way.
/// </para>
/// </remarks>
public static class RosterCsv
{
    /// <summary>The media type to serve the bytes of <see cref="ToUtf8WithBom(HalfYearRoster)"/> with.</summary>
    public const string ContentType = "text/csv; charset=utf-8; header=present";

    /// <summary>Joins the items of a list inside one field.</summary>
    public const string ListSeparator = "; ";

    private const string LineEnd = "\r\n";

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    /// <summary>The header row, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } = Array.AsReadOnly(new[]
    {
        "period",
        "chainCode",
        "chainName",
        "region",
        "leadBank",
        "leadBankSince",
        "coreEnterprises",
        "metricsPeriod",
        "offersAccepted",
        "amountFinanced",
        "notesDiscounted",
        "enterprisesServed",
        "flags",
    });

    /// <summary>
    /// The header row of the public file, which leaves out <c>flags</c>: flags are for the reviewer and can
    /// name an enterprise with an unpaid note.
    /// </summary>
    public static IReadOnlyList<string> PublicColumns { get; } = Array.AsReadOnly(Columns.Where(c => c != "flags").ToArray());

    /// <summary>A download file name such as <c>roster-2026H1.csv</c>.</summary>
    public static string FileName(HalfYear period) => $"roster-{period}.csv";

    /// <summary>Writes the roster to <paramref name="writer"/>.</summary>
    public static void Write(HalfYearRoster roster, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(roster);
        Write(roster.Period, roster.Entries, writer);
    }

    /// <summary>
    /// Writes the entries of <paramref name="period"/> to <paramref name="writer"/>; without the <c>flags</c>
    /// column (<see cref="PublicColumns"/>) when <paramref name="includeFlags"/> is false.
    /// </summary>
    /// <param name="period">The roster's period.</param>
    /// <param name="entries">Its entries.</param>
    /// <param name="writer">Where to write.</param>
    /// <param name="includeFlags">Whether to write the <c>flags</c> column.</param>
    /// <param name="header">
    /// The header row in words (one per column of <see cref="Columns"/> or <see cref="PublicColumns"/>, in order);
    /// null writes the column codes.
    /// </param>
    public static void Write(HalfYear period, IEnumerable<RosterEntry> entries, TextWriter writer, bool includeFlags = true, IReadOnlyList<string>? header = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(writer);
        var columns = includeFlags ? Columns : PublicColumns;
        if (header is not null && header.Count != columns.Count)
        {
            throw new ArgumentException($"The header has {header.Count} names for {columns.Count} columns.", nameof(header));
        }

        WriteRow(writer, header ?? columns);
        foreach (var entry in entries)
        {
            WriteRow(writer, Values(period, entry, includeFlags));
        }
    }

    /// <summary>
    /// One entry's fields as the file writes them (before quoting), in the order of <see cref="Columns"/>, or of
    /// <see cref="PublicColumns"/> when <paramref name="includeFlags"/> is false; for other formats of the same table.
    /// </summary>
    public static IReadOnlyList<string?> Values(HalfYear period, RosterEntry entry, bool includeFlags)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var row = Row(period, entry, HalfYear.ShanghaiZone).ToList();
        return includeFlags ? row : row.Take(PublicColumns.Count).ToList();
    }

    /// <summary>The roster as CSV text.</summary>
    public static string Write(HalfYearRoster roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        return Write(roster.Period, roster.Entries);
    }

    /// <summary>
    /// The entries of <paramref name="period"/> as CSV text; without flags unless <paramref name="includeFlags"/>; with
    /// <paramref name="header"/> as the header row when given.
    /// </summary>
    public static string Write(HalfYear period, IEnumerable<RosterEntry> entries, bool includeFlags = true, IReadOnlyList<string>? header = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(period, entries, writer, includeFlags, header);
        return writer.ToString();
    }

    /// <summary>
    /// The roster as UTF-8 bytes starting with the byte-order mark <c>EF BB BF</c>, without which Excel
    /// reads the file in the local ANSI code page and garbles Chinese names.
    /// </summary>
    public static byte[] ToUtf8WithBom(HalfYearRoster roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        return ToUtf8WithBom(roster.Period, roster.Entries);
    }

    /// <summary>
    /// The entries of <paramref name="period"/> as UTF-8 bytes with a byte-order mark; without the <c>flags</c>
    /// column when <paramref name="includeFlags"/> is false (the public file); with <paramref name="header"/> as the
    /// header row when given (the column codes otherwise).
    /// </summary>
    public static byte[] ToUtf8WithBom(HalfYear period, IEnumerable<RosterEntry> entries, bool includeFlags = true, IReadOnlyList<string>? header = null)
    {
        var text = Write(period, entries, includeFlags, header);
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        var preamble = encoding.GetPreamble();
        var bytes = new byte[preamble.Length + encoding.GetByteCount(text)];
        preamble.CopyTo(bytes, 0);
        encoding.GetBytes(text, 0, text.Length, bytes, preamble.Length);
        return bytes;
    }

    /// <summary>
    /// One field as it appears in the file: neutralised against formula injection, then quoted if it
    /// holds a comma, a double quote, CR or LF.
    /// </summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (StartsLikeAFormula(value))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    private static bool StartsLikeAFormula(string value) => value[0] is
        '=' or '+' or '-' or '@' or '\t' or '\r'
        or '＝' or '＋' or '－' or '＠'; // full-width forms, which some spreadsheet programs also accept

    private static IEnumerable<string?> Row(HalfYear period, RosterEntry entry, DateTimeZone zone)
    {
        var metrics = entry.Metrics;
        return
        [
            period.ToString(),
            entry.ChainCode,
            entry.ChainName,
            entry.Region,
            entry.LeadBank?.InstitutionName,
            entry.LeadBank is null ? null : DatePattern.Format(entry.LeadBank.Since.InZone(zone).Date),
            string.Join(ListSeparator, entry.CoreEnterprises.Select(e => e.Name)),
            metrics.Period.ToString(),
            metrics.OffersAccepted.ToString(CultureInfo.InvariantCulture),
            metrics.AmountFinanced.Yuan.ToString("0.00", CultureInfo.InvariantCulture),
            metrics.NotesDiscounted.ToString(CultureInfo.InvariantCulture),
            metrics.EnterprisesServed.ToString(CultureInfo.InvariantCulture),
            string.Join(ListSeparator, entry.Flags.Select(f => FlagName(f.Code))),
        ];
    }

    private static string FlagName(RosterFlagCode code)
    {
        var name = code.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static void WriteRow(TextWriter writer, IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                writer.Write(',');
            }

            writer.Write(Field(field));
            first = false;
        }

        writer.Write(LineEnd);
    }
}
