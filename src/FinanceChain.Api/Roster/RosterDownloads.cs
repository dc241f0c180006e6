using System.Globalization;
using FinanceChain.Api.Localization;
using FinanceChain.Domain;
using MiniExcelLibs;

namespace FinanceChain.Api.Roster;

/// <summary>The header words of the roster files: <c>RosterFileTexts.resx</c> (Chinese) and <c>.en.resx</c>, keys <c>rosterFile.{column}</c>.</summary>
[Texts]
public sealed class RosterFileTexts;

/// <summary>
/// The published roster as files: CSV (<see cref="RosterCsv"/>) and XLSX, both with the header row in the caller's
/// language (Chinese unless <c>Accept-Language</c> asks for English) and the same columns and values, without flags.
/// In the XLSX counts and amounts are numbers, so that a spreadsheet can add them up; names stay text and are never
/// read as formulas.
/// </summary>
public sealed class RosterDownloads(TextCatalog texts)
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal) { "offersAccepted", "notesDiscounted", "enterprisesServed" };

    /// <summary>The public header row in the current language.</summary>
    public IReadOnlyList<string> Header() => RosterCsv.PublicColumns.Select(c => texts.Text("rosterFile." + c)).ToList();

    public static string XlsxFileName(HalfYear period) => $"roster-{period}.xlsx";

    public byte[] Csv(HalfYearRoster roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        return RosterCsv.ToUtf8WithBom(roster.Period, roster.Entries, includeFlags: false, Header());
    }

    public byte[] Xlsx(HalfYearRoster roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var header = Header();
        var rows = roster.Entries.Select(entry =>
        {
            var values = RosterCsv.Values(roster.Period, entry, includeFlags: false);
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++)
            {
                var column = RosterCsv.PublicColumns[i];
                row[header[i]] = values[i] is null ? null
                    : Integers.Contains(column) ? long.Parse(values[i]!, CultureInfo.InvariantCulture)
                    : column == "amountFinanced" ? decimal.Parse(values[i]!, CultureInfo.InvariantCulture)
                    : values[i];
            }

            return row;
        }).ToList();

        using var stream = new MemoryStream();
        stream.SaveAs(rows, sheetName: roster.Period.ToString());
        return stream.ToArray();
    }
}
