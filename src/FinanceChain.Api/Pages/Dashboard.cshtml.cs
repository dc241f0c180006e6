using System.Globalization;
using System.Text.Json;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Dashboard;
using FinanceChain.Api.Database;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages;

/// <summary>A table of figures: one row per chain, bank or kind, one column per series (mostly half-years).</summary>
/// <param name="Rows">Row labels, in order.</param>
/// <param name="Columns">Column labels, in order.</param>
/// <param name="Values">Values[row][column].</param>
public sealed record FigureTable(IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<decimal>> Values);

/// <summary>One chart and the table of its numbers.</summary>
/// <param name="Id">The element id (also what the tests look for).</param>
/// <param name="TitleKey">The key of its title.</param>
/// <param name="Unit">The unit of its values, in words.</param>
/// <param name="Table">Its numbers.</param>
/// <param name="Stacked">Whether the series stack (matched and unmatched requests).</param>
/// <param name="Transposed">Whether the table's columns are the chart's categories (half-years along the axis).</param>
public sealed record ChartView(string Id, string TitleKey, string Unit, FigureTable Table, bool Stacked = false, bool Transposed = false)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What <c>dashboard.js</c> draws: categories along the axis and one series per table column (or row).</summary>
    public string ChartJson => JsonSerializer.Serialize<object>(
        Transposed
            ? new
            {
                categories = Table.Columns,
                unit = Unit,
                stacked = Stacked,
                series = Table.Rows.Select((name, r) => new { name, data = Table.Values[r] }),
            }
            : (object)new
            {
                categories = Table.Rows,
                unit = Unit,
                stacked = Stacked,
                series = Table.Columns.Select((name, c) => new { name, data = Table.Values.Select(row => row[c]) }),
            },
        Json);
}

/// <summary>
/// <c>/dashboard</c> (regulator, admin): the activity of the chains over the last four half-years, each chart with its
/// numbers in a table beside it (readable without script, and by screen readers).
/// </summary>
[Authorize(Policy = Policies.AdminOrRegulator)]
public sealed class DashboardModel(DashboardStore store, PageWords words) : PageModel
{
    public IReadOnlyList<HalfYear> Periods { get; private set; } = [];

    public IReadOnlyList<ChartView> Charts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var figures = await store.ReadAsync(cancellationToken);
        Periods = figures.Periods;
        var periodNames = Periods.Select(words.PeriodName).ToList();
        var wan = words["page.dashboard.unitWan"];
        var count = words["page.dashboard.unitCount"];
        var enterprises = words["page.dashboard.unitEnterprises"];
        var requests = words["page.dashboard.unitRequests"];

        var noteKinds = DashboardStore.NoteSeries.Select(EnumText.Of).ToList();
        var noteRows = noteKinds.Select(k => words["page.dashboard.note." + k]).ToList();
        var matched = words["page.dashboard.matched"];
        var unmatched = words["page.dashboard.unmatched"];
        var requestTotals = new[]
        {
            Periods.Select(p => (decimal)figures.RequestsByChain.Where(r => r.Period == p.ToString()).Sum(r => r.Count)).ToList(),
            Periods.Select(p => (decimal)figures.RequestsByChain.Where(r => r.Period == p.ToString()).Sum(r => r.Amount)).ToList(),
        };

        Charts =
        [
            new("chart-amount-chain", "page.dashboard.amountByChain", wan, ByName(figures.FinancedByChain, r => Wan(r.Amount), periodNames)),
            new("chart-offers-chain", "page.dashboard.offersByChain", count, ByName(figures.FinancedByChain, r => r.Count, periodNames)),
            new("chart-amount-bank", "page.dashboard.amountByBank", wan, ByName(figures.FinancedByLeadBank, r => Wan(r.Amount), periodNames)),
            new("chart-offers-bank", "page.dashboard.offersByBank", count, ByName(figures.FinancedByLeadBank, r => r.Count, periodNames)),
            new("chart-smes", "page.dashboard.smesByChain", enterprises, ByName(figures.SmesServedByChain, r => r.Count, periodNames)),
            new("chart-notes", "page.dashboard.notes", count, new FigureTable(
                noteRows,
                periodNames,
                noteKinds.Select(k => (IReadOnlyList<decimal>)Periods.Select(p => (decimal)(figures.NoteEvents.SingleOrDefault(r => r.Period == p.ToString() && r.KeyId == k)?.Count ?? 0)).ToList()).ToList()),
                Transposed: true),
            new("chart-notes-amount", "page.dashboard.notesAmount", wan, new FigureTable(
                noteRows,
                periodNames,
                noteKinds.Select(k => (IReadOnlyList<decimal>)Periods.Select(p => Wan(figures.NoteEvents.SingleOrDefault(r => r.Period == p.ToString() && r.KeyId == k)?.Amount ?? 0)).ToList()).ToList()),
                Transposed: true),
            new("chart-requests", "page.dashboard.requests", requests, new FigureTable([matched, unmatched], periodNames, requestTotals), Stacked: true, Transposed: true),
            new("chart-requests-chain", "page.dashboard.requestsByChain", requests, RequestsByChain(figures.RequestsByChain, matched, unmatched), Stacked: true),
        ];

        FigureTable ByName(IReadOnlyList<DashboardRow> rows, Func<DashboardRow, decimal> value, IReadOnlyList<string> columns)
        {
            var names = rows.GroupBy(r => r.KeyId).Select(g => (Key: g.Key, Name: g.First().Name, Total: g.Sum(value)))
                .OrderByDescending(n => n.Total).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
            var values = names.Select(n => (IReadOnlyList<decimal>)Periods
                .Select(p => rows.Where(r => r.KeyId == n.Key && r.Period == p.ToString()).Sum(value)).ToList()).ToList();
            return new FigureTable(names.Select(n => n.Name).ToList(), columns, values);
        }
    }

    /// <summary>Requests per chain over the half-years shown: matched and unmatched.</summary>
    private static FigureTable RequestsByChain(IReadOnlyList<DashboardRow> rows, string matched, string unmatched)
    {
        var chains = rows.GroupBy(r => r.KeyId).Select(g => (Name: g.First().Name, Matched: (decimal)g.Sum(r => r.Count), Unmatched: (decimal)g.Sum(r => r.Amount)))
            .OrderByDescending(c => c.Matched + c.Unmatched).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        return new FigureTable(
            chains.Select(c => c.Name).ToList(),
            [matched, unmatched],
            chains.Select(c => (IReadOnlyList<decimal>)[c.Matched, c.Unmatched]).ToList());
    }

    /// <summary>Fen as 万元 with two decimals (1,200,000.00 yuan is 120).</summary>
    private static decimal Wan(long fen) => Math.Round(fen / 1_000_000m, 2);

    /// <summary>A value as the tables write it: thousands separated, at most two decimals.</summary>
    public static string Number(decimal value) => value.ToString("#,##0.##", CultureInfo.InvariantCulture);
}
