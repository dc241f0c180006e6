using System.Globalization;
using FinanceChain.Api.Localization;
using System.ComponentModel.DataAnnotations;
using FinanceChain.Api.Http;
using FinanceChain.Api.Database;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Roster;

/// <summary>The central-bank branch's decision on a draft roster.</summary>
/// <param name="Comment">Why: required when returning, optional when approving (at most 2000 characters).</param>
public sealed record ReviewRosterRequest([StringLength(HalfYearRoster.MaxCommentLength, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxChars))] string? Comment = null);

/// <summary>One period in the list of rosters.</summary>
/// <param name="Period">The half-year, e.g. <c>2026H1</c>.</param>
/// <param name="Status">draft, returned or published.</param>
/// <param name="Chains">How many chains the roster lists.</param>
/// <param name="CompiledAt">When its entries were compiled.</param>
/// <param name="ReviewedAt">When it was approved or returned; null for a draft.</param>
public sealed record RosterSummaryResponse(string Period, RosterStatus Status, int Chains, Instant CompiledAt, Instant? ReviewedAt);

/// <summary>A half-year roster (名录) with its review.</summary>
/// <param name="Period">The half-year, e.g. <c>2026H1</c>.</param>
/// <param name="Status">draft, returned or published.</param>
/// <param name="CompiledAt">When the entries were compiled.</param>
/// <param name="ReviewedAt">When it was approved or returned; null for a draft.</param>
/// <param name="ReviewComment">The reviewer's comment (why it was returned); shown to admin and regulator only.</param>
/// <param name="Entries">One entry per active chain, ordered by chain code.</param>
public sealed record RosterResponse(
    string Period,
    RosterStatus Status,
    Instant CompiledAt,
    Instant? ReviewedAt,
    string? ReviewComment,
    IReadOnlyList<RosterEntryResponse> Entries);

/// <summary>One chain on a roster.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="ChainCode">Its code.</param>
/// <param name="ChainName">Its name.</param>
/// <param name="Region">Its 6-digit region code.</param>
/// <param name="RegionName">The region's full name (<c>湖北省</c>), from the GB/T 2260 list.</param>
/// <param name="LeadBank">The lead bank (主办行) when the roster was compiled; null when none was paired.</param>
/// <param name="CoreEnterprises">The chain's core enterprises (链主), by name.</param>
/// <param name="Metrics">The lead bank's results on the chain in the previous half-year.</param>
/// <param name="Flags">
/// What the reviewer should look at. Null unless the caller is admin or regulator: flags can name an enterprise
/// with an unpaid note, so they never leave the review.
/// </param>
public sealed record RosterEntryResponse(
    string ChainId,
    string ChainCode,
    string ChainName,
    string Region,
    string RegionName,
    RosterLeadBankResponse? LeadBank,
    IReadOnlyList<RosterCoreEnterpriseResponse> CoreEnterprises,
    RosterMetricsResponse Metrics,
    IReadOnlyList<RosterFlagResponse>? Flags);

/// <summary>A chain's lead bank on a roster.</summary>
/// <param name="InstitutionId">The institution.</param>
/// <param name="InstitutionName">Its name.</param>
/// <param name="Since">When the pairing began.</param>
public sealed record RosterLeadBankResponse(string InstitutionId, string InstitutionName, Instant Since);

/// <summary>A core enterprise on a roster.</summary>
/// <param name="EnterpriseId">The enterprise.</param>
/// <param name="Name">Its name.</param>
/// <param name="CreditCode">Its unified social credit code.</param>
public sealed record RosterCoreEnterpriseResponse(string EnterpriseId, string Name, string CreditCode);

/// <summary>The lead bank's results on its chain in the half-year before the roster's.</summary>
/// <param name="Period">The half-year the results cover.</param>
/// <param name="OffersAccepted">Offers of the lead bank accepted on the chain.</param>
/// <param name="AmountFinanced">Yuan financed: accepted offers plus notes discounted.</param>
/// <param name="NotesDiscounted">Supply-chain notes of the chain discounted at the lead bank.</param>
/// <param name="EnterprisesServed">Distinct enterprises of the chain financed.</param>
/// <param name="NotesPaid">Notes accepted by the chain's core enterprises that were paid in full in the half-year.</param>
/// <param name="NotesDishonoured">Notes accepted by the chain's core enterprises with a presentment dishonoured (or not answered) in the half-year.</param>
public sealed record RosterMetricsResponse(string Period, int OffersAccepted, decimal AmountFinanced, int NotesDiscounted, int EnterprisesServed, int NotesPaid, int NotesDishonoured);

/// <summary>Something on a roster entry the reviewer should look at.</summary>
/// <param name="Code">noLeadBank, leadBankFinancedNothing, noCoreEnterprise or coreEnterpriseDishonouredNote (coreEnterpriseOverdueNote only on rosters compiled before dishonours were recorded): stable in every language.</param>
/// <param name="Message">The flag in words, in the request's language (written when read, from the code and the values stored with it).</param>
/// <param name="EnterpriseId">The enterprise concerned, for coreEnterpriseDishonouredNote.</param>
/// <param name="EnterpriseName">Its name, when an enterprise is concerned.</param>
public sealed record RosterFlagResponse(RosterFlagCode Code, string Message, string? EnterpriseId, string? EnterpriseName);

/// <summary>The latest published roster, as anyone may read it (no reviewer flags, no review comment).</summary>
/// <param name="Period">The half-year, e.g. <c>2026H1</c>.</param>
/// <param name="PublishedAt">When the central-bank branch approved it.</param>
/// <param name="Entries">One entry per chain, ordered by chain code.</param>
public sealed record PublishedRosterResponse(string Period, Instant PublishedAt, IReadOnlyList<PublishedRosterEntryResponse> Entries);

/// <summary>One chain on the published roster.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="ChainCode">Its code.</param>
/// <param name="ChainName">Its name.</param>
/// <param name="Region">Its 6-digit region code.</param>
/// <param name="RegionName">The region's full name (<c>湖北省</c>), from the GB/T 2260 list.</param>
/// <param name="LeadBank">The lead bank (主办行); null when none was paired.</param>
/// <param name="CoreEnterprises">The chain's core enterprises (链主), by name.</param>
/// <param name="Metrics">The lead bank's results on the chain in the previous half-year.</param>
public sealed record PublishedRosterEntryResponse(
    string ChainId,
    string ChainCode,
    string ChainName,
    string Region,
    string RegionName,
    RosterLeadBankResponse? LeadBank,
    IReadOnlyList<RosterCoreEnterpriseResponse> CoreEnterprises,
    RosterMetricsResponse Metrics);

/// <summary>What changed from the last published roster before a period to that period's roster.</summary>
/// <param name="FromPeriod">The published roster compared against; null when none was published before (every chain is added).</param>
/// <param name="ToPeriod">The roster compared.</param>
/// <param name="ChainsAdded">Chains on the later roster only.</param>
/// <param name="ChainsRemoved">Chains on the published roster only.</param>
/// <param name="LeadBankChanges">Chains on both whose lead bank changed (or appeared, or went).</param>
/// <param name="CoreEnterpriseChanges">Chains on both whose core enterprises changed.</param>
public sealed record RosterDiffResponse(
    string? FromPeriod,
    string ToPeriod,
    IReadOnlyList<RosterChainRefResponse> ChainsAdded,
    IReadOnlyList<RosterChainRefResponse> ChainsRemoved,
    IReadOnlyList<RosterLeadBankChangeResponse> LeadBankChanges,
    IReadOnlyList<RosterCoreEnterpriseChangeResponse> CoreEnterpriseChanges);

/// <summary>A chain named in a difference.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="ChainCode">Its code.</param>
/// <param name="ChainName">Its name.</param>
public sealed record RosterChainRefResponse(string ChainId, string ChainCode, string ChainName);

/// <summary>A chain whose lead bank changed.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="From">The lead bank on the published roster; null when it had none.</param>
/// <param name="To">The lead bank now; null when it has none.</param>
public sealed record RosterLeadBankChangeResponse(RosterChainRefResponse Chain, RosterLeadBankResponse? From, RosterLeadBankResponse? To);

/// <summary>A chain whose core enterprises changed.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="Added">Core enterprises that were not on the published roster.</param>
/// <param name="Removed">Core enterprises on the published roster that are no longer.</param>
public sealed record RosterCoreEnterpriseChangeResponse(
    RosterChainRefResponse Chain,
    IReadOnlyList<RosterCoreEnterpriseResponse> Added,
    IReadOnlyList<RosterCoreEnterpriseResponse> Removed);

/// <summary>The schedule of the <c>roster-republish</c> job.</summary>
/// <param name="JobId">The recurring job's id (<c>roster-republish</c>).</param>
/// <param name="Cron">Its cron expression (<c>0 0 1 1,7 *</c>: 00:00 on 1 January and 1 July).</param>
/// <param name="TimeZone">The time zone the cron expression is read in (<c>Asia/Shanghai</c>).</param>
/// <param name="Registered">
/// Whether the recurring job is registered in the job storage now. It is registered at every start-up; an admin can
/// remove it in the jobs dashboard, and then nothing runs until the service starts again.
/// </param>
/// <param name="NextRun">The next scheduled run; null while the job is not registered (nothing will run).</param>
/// <param name="LastRun">The job's most recent run; null when it never ran.</param>
public sealed record RosterScheduleResponse(string JobId, string Cron, string TimeZone, bool Registered, Instant? NextRun, RosterJobRunResponse? LastRun);

/// <summary>One run of the <c>roster-republish</c> job.</summary>
/// <param name="Period">The half-year it compiled (or skipped).</param>
/// <param name="RanAt">When it ran.</param>
/// <param name="Trigger">scheduled (by the cron), catchUp (made up at start-up) or manual.</param>
/// <param name="Outcome">compiled; alreadyCompiled (an earlier run compiled the period); published (the period was already published).</param>
public sealed record RosterJobRunResponse(string Period, Instant RanAt, RosterJobTrigger Trigger, RosterJobOutcome Outcome);

/// <summary>What started a run of the <c>roster-republish</c> job.</summary>
public enum RosterJobTrigger
{
    /// <summary>The recurring schedule (also the dashboard's "Trigger now", which Hangfire runs with the same arguments).</summary>
    Scheduled,

    /// <summary>Made up at start-up because the latest scheduled start has no run.</summary>
    CatchUp,

    /// <summary>Started explicitly by an operator, outside Hangfire.</summary>
    Manual,
}

/// <summary>What a run of the <c>roster-republish</c> job did.</summary>
public enum RosterJobOutcome
{
    /// <summary>It compiled the period's draft.</summary>
    Compiled,

    /// <summary>An earlier run already compiled the period: nothing changed.</summary>
    AlreadyCompiled,

    /// <summary>The period's roster is already published: nothing changed.</summary>
    Published,
}

/// <summary>Maps stored rosters to responses; flags and comments only for reviewers.</summary>
internal static class RosterMapping
{
    public static RosterSummaryResponse ToSummary(this RosterSummaryRow row) =>
        new(row.Period, EnumText.Parse<RosterStatus>(row.Status), row.EntryCount, row.CompiledAt, row.ReviewedAt);

    public static RosterResponse ToResponse(this HalfYearRoster roster, bool reviewer, TextCatalog texts) => new(
        roster.Period.ToString(),
        roster.Status,
        roster.CompiledAt,
        roster.ReviewedAt,
        reviewer ? roster.ReviewComment : null,
        roster.Entries.Select(e => new RosterEntryResponse(
            e.ChainId,
            e.ChainCode,
            e.ChainName,
            e.Region,
            Divisions.Gb2260.FullName(e.Region),
            e.LeadBank?.ToResponse(),
            e.CoreEnterprises.Select(ToResponse).ToList(),
            e.Metrics.ToResponse(),
            reviewer ? e.Flags.Select(f => new RosterFlagResponse(
                f.Code,
                texts.Text(CultureInfo.CurrentUICulture, RosterCodes.Of(f.Code), f.Args),
                f.EnterpriseId,
                f.EnterpriseId is null ? null : e.CoreEnterprises.FirstOrDefault(c => c.EnterpriseId == f.EnterpriseId)?.Name)).ToList() : null)).ToList());

    public static PublishedRosterResponse ToPublished(this HalfYearRoster roster) => new(
        roster.Period.ToString(),
        roster.ReviewedAt ?? roster.CompiledAt,
        roster.Entries.Select(e => new PublishedRosterEntryResponse(
            e.ChainId,
            e.ChainCode,
            e.ChainName,
            e.Region,
            Divisions.Gb2260.FullName(e.Region),
            e.LeadBank?.ToResponse(),
            e.CoreEnterprises.Select(ToResponse).ToList(),
            e.Metrics.ToResponse())).ToList());

    public static RosterDiffResponse ToResponse(this RosterDiff diff) => new(
        diff.FromPeriod?.ToString(),
        diff.ToPeriod.ToString(),
        diff.ChainsAdded.Select(ToResponse).ToList(),
        diff.ChainsRemoved.Select(ToResponse).ToList(),
        diff.LeadBankChanges.Select(c => new RosterLeadBankChangeResponse(c.Chain.ToResponse(), c.From?.ToResponse(), c.To?.ToResponse())).ToList(),
        diff.CoreEnterpriseChanges.Select(c => new RosterCoreEnterpriseChangeResponse(
            c.Chain.ToResponse(),
            c.Added.Select(ToResponse).ToList(),
            c.Removed.Select(ToResponse).ToList())).ToList());

    private static RosterLeadBankResponse ToResponse(this RosterLeadBank bank) => new(bank.InstitutionId, bank.InstitutionName, bank.Since);

    private static RosterCoreEnterpriseResponse ToResponse(RosterCoreEnterprise enterprise) => new(enterprise.EnterpriseId, enterprise.Name, enterprise.CreditCode);

    private static RosterChainRefResponse ToResponse(this RosterChainRef chain) => new(chain.ChainId, chain.ChainCode, chain.ChainName);

    private static RosterMetricsResponse ToResponse(this RosterMetrics metrics) =>
        new(metrics.Period.ToString(), metrics.OffersAccepted, metrics.AmountFinanced.Yuan, metrics.NotesDiscounted, metrics.EnterprisesServed, metrics.NotesPaid, metrics.NotesDishonoured);
}
