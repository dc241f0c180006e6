using NodaTime.Text;
using System.Text.RegularExpressions;
using System.Globalization;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace FinanceChain.Api.Roster;

internal sealed class RosterRow
{
    public string Period { get; set; } = "";
    public string Status { get; set; } = "";
    public string Entries { get; set; } = "[]";
    public int EntryCount { get; set; }
    public Instant CompiledAt { get; set; }
    public string CompiledBy { get; set; } = "";
    public Instant? ReviewedAt { get; set; }
    public string? ReviewedBy { get; set; }
    public string? ReviewComment { get; set; }
    public long Version { get; set; }
}

internal sealed class RosterSummaryRow
{
    public string Period { get; set; } = "";
    public string Status { get; set; } = "";
    public int EntryCount { get; set; }
    public Instant CompiledAt { get; set; }
    public Instant? ReviewedAt { get; set; }
}

internal sealed class PairingInputRow
{
    public string ChainId { get; set; } = "";
    public string InstitutionId { get; set; } = "";
    public string InstitutionName { get; set; } = "";
    public Instant Since { get; set; }
}

/// <summary>Who changes a roster: an API key, or the roster-republish job.</summary>
/// <param name="Id">The API key id, or <c>roster-republish</c>.</param>
/// <param name="Role">The key's role in lower case, or <c>system</c>.</param>
public readonly record struct RosterActor(string Id, string Role)
{
    /// <summary>The recurring job.</summary>
    public static RosterActor Job => new(RosterSchedule.JobId, "system");

    public static RosterActor From(Caller caller) => new(caller.KeyId, caller.Role.ToString().ToLowerInvariant());
}

/// <summary>A roster as stored, with the version its row has.</summary>
public sealed record StoredRoster(HalfYearRoster Roster, long Version);

/// <summary>Activity figures read before a compile (outside its transaction: they come from other features).</summary>
public sealed record RosterActivitySnapshot(
    IReadOnlyList<RosterResultsInput> Results, IReadOnlyList<RosterDishonouringAcceptorInput> DishonouringAcceptors, IReadOnlyList<RosterNoteOutcomesInput> NoteOutcomes);

/// <summary>
/// Rosters: compiling a period's draft from the registry, the review (approve publishes, return sends it back)
/// and reading them. Entries are stored as one JSON document per roster, in a format of their own (see
/// <see cref="StoredEntry"/>) so that the domain records can change without breaking published rosters.
/// </summary>
public sealed class RosterStore(Db db, AuditLog audit, IClock clock, IRosterActivity activity)
{
    private const string SelectRoster = """
        SELECT period, status, entries, entry_count AS EntryCount, compiled_at AS CompiledAt, compiled_by AS CompiledBy,
               reviewed_at AS ReviewedAt, reviewed_by AS ReviewedBy, review_comment AS ReviewComment, version
        FROM rosters
        """;

    internal const string GetSql = SelectRoster + " WHERE period = @Period";
    internal const string LatestPublishedSql = SelectRoster + " WHERE status = 'published' ORDER BY period DESC {limit}";
    internal const string PreviousPublishedSql = SelectRoster + " WHERE status = 'published' AND period < @Period ORDER BY period DESC {limit}";

    internal const string ListSql = """
        SELECT period, status, entry_count AS EntryCount, compiled_at AS CompiledAt, reviewed_at AS ReviewedAt
        FROM rosters
        WHERE period > @After AND (@PublishedOnly = 0 OR status = 'published')
        ORDER BY period {limit}
        """;

    internal const string InsertSql = """
        INSERT INTO rosters (period, status, entries, entry_count, compiled_at, compiled_by, reviewed_at, reviewed_by, review_comment, version)
        VALUES (@Period, @Status, @Entries, @EntryCount, @CompiledAt, @CompiledBy, NULL, NULL, NULL, 1)
        """;

    internal const string RecompileSql = """
        UPDATE rosters
        SET status = @Status, entries = @Entries, entry_count = @EntryCount, compiled_at = @CompiledAt, compiled_by = @CompiledBy,
            reviewed_at = NULL, reviewed_by = NULL, review_comment = NULL, version = version + 1
        WHERE period = @Period AND version = @Version AND status <> 'published'
        """;

    internal const string ReviewSql = """
        UPDATE rosters
        SET status = @Status, reviewed_at = @ReviewedAt, reviewed_by = @ReviewedBy, review_comment = @ReviewComment, version = version + 1
        WHERE period = @Period AND version = @Version AND status = 'draft'
        """;

    internal const string ActiveChainsSql = "SELECT id AS ChainId, code, name, region FROM chains WHERE active = 1";

    internal const string CurrentPairingsSql = """
        SELECT p.chain_id AS ChainId, p.institution_id AS InstitutionId, i.name AS InstitutionName, p.since
        FROM lead_bank_pairings p
        JOIN chains c ON c.id = p.chain_id
        JOIN institutions i ON i.id = p.institution_id
        WHERE p.until IS NULL AND c.active = 1
        """;

    internal const string CoreEnterprisesSql = """
        SELECT m.chain_id AS ChainId, e.id AS EnterpriseId, e.name, e.credit_code AS CreditCode
        FROM chain_members m
        JOIN chains c ON c.id = m.chain_id
        JOIN enterprises e ON e.id = m.enterprise_id
        WHERE m.role = 'core' AND c.active = 1
        """;

    private static readonly JsonSerializerOptions EntriesJson =
        new JsonSerializerOptions(JsonSerializerDefaults.Web).ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    /// <summary>
    /// The periods that may be compiled at <paramref name="now"/>: the half-year under way, the one just ended
    /// (a draft returned around the boundary can still be redone) and the next one (prepared ahead of its start).
    /// </summary>
    public static (HalfYear Earliest, HalfYear Latest) CompileWindow(Instant now)
    {
        var current = RosterSchedule.LastScheduledStart(now);
        return (current == HalfYear.MinValue ? current : current.Previous, current == HalfYear.MaxValue ? current : current.Next);
    }

    /// <summary>Throws a 400 on field <c>period</c> unless the period lies in <see cref="CompileWindow"/>.</summary>
    public void EnsureInCompileWindow(HalfYear period)
    {
        var (earliest, latest) = CompileWindow(clock.GetCurrentInstant());
        if (period < earliest || period > latest)
        {
            throw new FieldValidationException("period", RosterApiCodes.OutsideCompileWindow, earliest, latest);
        }
    }

    /// <summary>
    /// Compiles the period's draft from the current registry and activity, replacing a draft or returned roster.
    /// 409 when the period is published.
    /// </summary>
    public async Task<StoredRoster> CompileAsync(HalfYear period, RosterActor actor, CancellationToken cancellationToken)
    {
        var existing = await GetAsync(period, cancellationToken);
        HalfYearRoster.EnsureCanCompile(period, existing?.Roster.Status);
        var snapshot = await ReadActivityAsync(period, cancellationToken);
        return await db.InTransactionAsync((connection, transaction) => CompileAsync(connection, transaction, period, actor, snapshot), cancellationToken);
    }

    /// <summary>The lead banks' results, the dishonouring acceptors and the chains' note outcomes in the period before <paramref name="period"/>.</summary>
    public async Task<RosterActivitySnapshot> ReadActivityAsync(HalfYear period, CancellationToken cancellationToken)
    {
        if (period == HalfYear.MinValue)
        {
            // RosterCompiler refuses it with a 400; there is no previous period to read.
            return new RosterActivitySnapshot([], [], []);
        }

        var results = await activity.ResultsAsync(period.Previous, cancellationToken);
        var dishonouring = await activity.DishonouringAcceptorsAsync(period.Previous, cancellationToken);
        var outcomes = await activity.NoteOutcomesAsync(period.Previous, cancellationToken);
        return new RosterActivitySnapshot(results, dishonouring, outcomes);
    }

    /// <summary>Compiles inside the caller's transaction, and audits it there.</summary>
    internal async Task<StoredRoster> CompileAsync(DbConnection connection, DbTransaction transaction, HalfYear period, RosterActor actor, RosterActivitySnapshot snapshot)
    {
        var existing = await GetAsync(connection, transaction, period);
        var chains = await connection.QueryAsync<RosterChainInput>(ActiveChainsSql, transaction: transaction);
        var pairings = (await connection.QueryAsync<PairingInputRow>(CurrentPairingsSql, transaction: transaction))
            .Select(p => new RosterPairingInput(p.ChainId, p.InstitutionId, p.InstitutionName, p.Since));
        var core = await connection.QueryAsync<RosterCoreEnterpriseInput>(CoreEnterprisesSql, transaction: transaction);

        var inputs = new RosterInputs(chains.AsList(), pairings.ToList(), core.AsList(), snapshot.Results, snapshot.DishonouringAcceptors, snapshot.NoteOutcomes);
        var draft = RosterCompiler.Compile(period, inputs);
        var roster = HalfYearRoster.Compile(existing?.Roster, draft, clock.GetCurrentInstant());

        var row = new
        {
            Period = period.ToString(),
            Status = EnumText.Of(roster.Status),
            Entries = JsonSerializer.Serialize(roster.Entries.Select(StoredEntry.From).ToList(), EntriesJson),
            EntryCount = roster.Entries.Count,
            roster.CompiledAt,
            CompiledBy = actor.Id,
            Version = existing?.Version ?? 0,
        };

        if (existing is null)
        {
            try
            {
                await connection.ExecuteAsync(InsertSql, row, transaction);
            }
            catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
            {
                throw new ConflictException(RosterApiCodes.CompiledConcurrently, period);
            }
        }
        else if (await connection.ExecuteAsync(RecompileSql, row, transaction) == 0)
        {
            throw new ConflictException(RosterApiCodes.ChangedWhileCompiling, period);
        }

        await audit.AppendAsync(transaction, actor.Id, actor.Role, "roster.compiled", "roster", period.ToString(), new
        {
            replaced = existing is null ? null : EnumText.Of(existing.Roster.Status),
            chains = roster.Entries.Count,
            flags = roster.Entries.Sum(e => e.Flags.Count),
        });
        return new StoredRoster(roster, row.Version + 1);
    }

    /// <summary>Approves (publishes) a draft. <paramref name="expectedVersion"/>, from If-Match, guards against approving a draft recompiled since it was read.</summary>
    public Task<StoredRoster> ApproveAsync(HalfYear period, string? comment, long? expectedVersion, RosterActor actor, CancellationToken cancellationToken) =>
        ReviewAsync(period, expectedVersion, actor, "roster.approved", (roster, at) => roster.Approve(comment, at), cancellationToken);

    /// <summary>Returns a draft with a comment saying why.</summary>
    public Task<StoredRoster> ReturnAsync(HalfYear period, string? comment, long? expectedVersion, RosterActor actor, CancellationToken cancellationToken) =>
        ReviewAsync(period, expectedVersion, actor, "roster.returned", (roster, at) => roster.Return(comment, at), cancellationToken);

    public async Task<StoredRoster?> GetAsync(HalfYear period, CancellationToken cancellationToken) =>
        ToStored(await db.QuerySingleOrDefaultAsync<RosterRow>(GetSql, new { Period = period.ToString() }, cancellationToken));

    public async Task<StoredRoster?> LatestPublishedAsync(CancellationToken cancellationToken) =>
        ToStored((await db.QueryAsync<RosterRow>(LatestPublishedSql, new { limit = 1 }, cancellationToken)).SingleOrDefault());

    /// <summary>The last roster published for a period before <paramref name="period"/>.</summary>
    public async Task<StoredRoster?> PreviousPublishedAsync(HalfYear period, CancellationToken cancellationToken) =>
        ToStored((await db.QueryAsync<RosterRow>(PreviousPublishedSql, new { Period = period.ToString(), limit = 1 }, cancellationToken)).SingleOrDefault());

    /// <summary>Rosters by period, oldest first; only published ones when <paramref name="publishedOnly"/>.</summary>
    public async Task<Page<RosterSummaryResponse>> ListAsync(PageRequest page, bool publishedOnly, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync<RosterSummaryRow>(ListSql, new { page.After, PublishedOnly = publishedOnly, limit = page.FetchLimit }, cancellationToken);
        return page.ToPage(rows, r => r.Period, r => r.ToSummary());
    }

    internal static async Task<StoredRoster?> GetAsync(DbConnection connection, DbTransaction transaction, HalfYear period) =>
        ToStored(await connection.QuerySingleOrDefaultAsync<RosterRow>(GetSql, new { Period = period.ToString() }, transaction));

    private async Task<StoredRoster> ReviewAsync(
        HalfYear period, long? expectedVersion, RosterActor actor, string action, Func<HalfYearRoster, Instant, HalfYearRoster> review, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            var existing = await GetAsync(connection, transaction, period) ?? throw new NotFoundException("roster");
            if (expectedVersion is not null && expectedVersion != existing.Version)
            {
                throw new PreconditionFailedException(RosterApiCodes.RosterRecompiled, period);
            }

            var reviewed = review(existing.Roster, clock.GetCurrentInstant());
            var changed = await connection.ExecuteAsync(ReviewSql, new
            {
                Period = period.ToString(),
                Status = EnumText.Of(reviewed.Status),
                reviewed.ReviewedAt,
                ReviewedBy = actor.Id,
                reviewed.ReviewComment,
                existing.Version,
            }, transaction);
            if (changed == 0)
            {
                throw new ConflictException(RosterApiCodes.ChangedWhileReviewing, period);
            }

            await audit.AppendAsync(transaction, actor.Id, actor.Role, action, "roster", period.ToString(), new { comment = reviewed.ReviewComment });
            return new StoredRoster(reviewed, existing.Version + 1);
        }, cancellationToken);

    private static StoredRoster? ToStored(RosterRow? row)
    {
        if (row is null)
        {
            return null;
        }

        var entries = JsonSerializer.Deserialize<List<StoredEntry>>(row.Entries, EntriesJson) ?? [];
        var roster = HalfYearRoster.Restore(
            HalfYear.Parse(row.Period),
            EnumText.Parse<RosterStatus>(row.Status),
            entries.Select(e => e.ToDomain()).ToList().AsReadOnly(),
            row.CompiledAt,
            row.ReviewedAt,
            row.ReviewComment);
        return new StoredRoster(roster, row.Version);
    }
}

/// <summary>
/// The stored form of a roster entry. Field names and meanings must stay readable for every roster ever
/// published: add fields, never rename or drop them.
/// </summary>
internal sealed record StoredEntry(
    string ChainId,
    string ChainCode,
    string ChainName,
    string Region,
    StoredLeadBank? LeadBank,
    IReadOnlyList<StoredCoreEnterprise> CoreEnterprises,
    StoredMetrics Metrics,
    IReadOnlyList<StoredFlag> Flags)
{
    public static StoredEntry From(RosterEntry entry) => new(
        entry.ChainId,
        entry.ChainCode,
        entry.ChainName,
        entry.Region,
        entry.LeadBank is null ? null : new StoredLeadBank(entry.LeadBank.InstitutionId, entry.LeadBank.InstitutionName, entry.LeadBank.Since),
        entry.CoreEnterprises.Select(e => new StoredCoreEnterprise(e.EnterpriseId, e.Name, e.CreditCode)).ToList(),
        new StoredMetrics(entry.Metrics.Period.ToString(), entry.Metrics.OffersAccepted, entry.Metrics.AmountFinanced.Fen, entry.Metrics.NotesDiscounted, entry.Metrics.EnterprisesServed,
            entry.Metrics.NotesPaid, entry.Metrics.NotesDishonoured),
        entry.Flags.Select(StoredFlag.From).ToList());

    public RosterEntry ToDomain() => new(
        ChainId,
        ChainCode,
        ChainName,
        Region,
        LeadBank is null ? null : new RosterLeadBank(LeadBank.InstitutionId, LeadBank.InstitutionName, LeadBank.Since),
        CoreEnterprises.Select(e => new RosterCoreEnterprise(e.EnterpriseId, e.Name, e.CreditCode)).ToList().AsReadOnly(),
        new RosterMetrics(HalfYear.Parse(Metrics.Period), Metrics.OffersAccepted, Money.FromFen(Metrics.AmountFinancedFen), Metrics.NotesDiscounted, Metrics.EnterprisesServed,
            Metrics.NotesPaid, Metrics.NotesDishonoured),
        Flags.Select(f => f.ToDomain(this)).ToList().AsReadOnly());
}

internal sealed record StoredLeadBank(string InstitutionId, string InstitutionName, Instant Since);

internal sealed record StoredCoreEnterprise(string EnterpriseId, string Name, string CreditCode);

internal sealed record StoredMetrics(string Period, int OffersAccepted, long AmountFinancedFen, int NotesDiscounted, int EnterprisesServed, int NotesPaid = 0, int NotesDishonoured = 0);

/// <summary>
/// A stored flag: its code, the values of its text (<see cref="StoredArg"/>) and the enterprise concerned. Flags
/// compiled before flags carried values have an English <see cref="Message"/> instead; reading them derives the
/// values from the entry (names, codes, the period) and, for an overdue note, from that message, so that every roster
/// ever stored reads in every language. Published rosters never change, so they are read this way, not migrated.
/// </summary>
internal sealed partial record StoredFlag(string Code, string? Message, string? EnterpriseId, IReadOnlyList<StoredArg>? Args = null)
{
    public static StoredFlag From(RosterFlag flag) =>
        new(EnumText.Of(flag.Code), null, flag.EnterpriseId, flag.Args.Select(StoredArg.From).ToList());

    public RosterFlag ToDomain(StoredEntry entry)
    {
        var code = EnumText.Parse<RosterFlagCode>(Code);
        return new RosterFlag(code, Args is null ? LegacyArgs(code, entry) : Args.Select(a => a.ToValue()).ToList(), EnterpriseId);
    }

    private IReadOnlyList<object?> LegacyArgs(RosterFlagCode code, StoredEntry entry)
    {
        switch (code)
        {
            case RosterFlagCode.LeadBankFinancedNothing:
                return [entry.LeadBank?.InstitutionName ?? "", entry.ChainCode, entry.ChainName, HalfYear.Parse(entry.Metrics.Period)];
            case RosterFlagCode.CoreEnterpriseOverdueNote:
                var enterprise = entry.CoreEnterprises.FirstOrDefault(e => e.EnterpriseId == EnterpriseId);
                var match = OverdueMessage().Match(Message ?? "");
                var count = match.Success ? int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture) : 0;
                var due = match.Success ? LocalDatePattern.Iso.Parse(match.Groups["due"].Value).GetValueOrThrow() : (LocalDate?)null;
                return [enterprise?.Name ?? "", enterprise?.CreditCode ?? "", count, due];
            default:
                return [entry.ChainCode, entry.ChainName];
        }
    }

    // "… accepted 2 notes past due and unpaid, the earliest due 2026-05-10." (flags compiled before they carried values)
    [GeneratedRegex(@"accepted (?<count>[0-9]+) notes? past due and unpaid, the earliest due (?<due>[0-9]{4}-[0-9]{2}-[0-9]{2})", RegexOptions.CultureInvariant)]
    private static partial Regex OverdueMessage();
}

/// <summary>One stored value of a flag's text, with its kind so that it reads back as what it was.</summary>
/// <param name="Kind"><c>text</c>, <c>number</c>, <c>money</c> (fen), <c>date</c> (ISO) or <c>period</c> (<c>2026H1</c>).</param>
/// <param name="Value">The value in that kind's invariant form.</param>
internal sealed record StoredArg(string Kind, string? Value)
{
    public static StoredArg From(object? value) => value switch
    {
        null => new("text", null),
        string s => new("text", s),
        int or long => new("number", Convert.ToString(value, CultureInfo.InvariantCulture)),
        Money m => new("money", m.Fen.ToString(CultureInfo.InvariantCulture)),
        LocalDate d => new("date", LocalDatePattern.Iso.Format(d)),
        HalfYear p => new("period", p.ToString()),
        _ => throw new ArgumentException($"A flag value of type {value.GetType().Name} cannot be stored.", nameof(value)),
    };

    public object? ToValue() => Kind switch
    {
        _ when Value is null => null,
        "number" => int.TryParse(Value, CultureInfo.InvariantCulture, out var small) ? small : long.Parse(Value, CultureInfo.InvariantCulture),
        "money" => Money.FromFen(long.Parse(Value, CultureInfo.InvariantCulture)),
        "date" => LocalDatePattern.Iso.Parse(Value).GetValueOrThrow(),
        "period" => HalfYear.Parse(Value),
        _ => Value,
    };
}
