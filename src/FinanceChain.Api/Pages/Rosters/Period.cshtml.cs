using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Roster;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace FinanceChain.Api.Pages.Rosters;

/// <summary>
/// <c>/rosters/{period}</c> (regulator, admin): one period's roster with its flags and the difference from the last
/// published one. The regulator approves a draft (which publishes it) or returns it with a comment; admin and
/// regulator compile it (again) while the API allows. A published roster is read-only. The forms carry the version
/// of the roster read, so a draft compiled again in between is never approved unseen.
/// </summary>
[Authorize(Policy = Policies.AdminOrRegulator)]
public sealed class PeriodModel(RosterStore rosters, PageWords words, IClock clock) : PageModel
{
    public Caller Caller { get; private set; } = null!;

    public HalfYearRoster Roster { get; private set; } = null!;

    public long Version { get; private set; }

    public RosterDiff Diff { get; private set; } = null!;

    /// <summary>The key of the notice after a change (<c>approved</c>, <c>returned</c>, <c>compiled</c>).</summary>
    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    [BindProperty]
    public string? ApproveComment { get; set; }

    [BindProperty]
    public string? ReturnComment { get; set; }

    [BindProperty(Name = "version")]
    public long? ReadVersion { get; set; }

    public string? ApproveCommentError { get; private set; }

    public string? ReturnCommentError { get; private set; }

    /// <summary>An error that belongs to no field (e.g. the draft changed, the half-year has not started).</summary>
    public string? FormError { get; private set; }

    public bool MayReview => Caller.IsRegulator && Roster.Status == RosterStatus.Draft;

    public bool MayCompile => Roster.Status != RosterStatus.Published && InCompileWindow;

    public bool InCompileWindow { get; private set; }

    public int FlaggedEntries => Roster.Entries.Count(e => e.Flags.Count > 0);

    public async Task<IActionResult> OnGetAsync(string period, CancellationToken cancellationToken) =>
        await LoadAsync(period, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostApproveAsync(string period, CancellationToken cancellationToken) =>
        ReviewAsync(period, approve: true, cancellationToken);

    public Task<IActionResult> OnPostReturnAsync(string period, CancellationToken cancellationToken) =>
        ReviewAsync(period, approve: false, cancellationToken);

    public async Task<IActionResult> OnPostCompileAsync(string period, CancellationToken cancellationToken)
    {
        if (!HalfYear.TryParse(period, out var halfYear))
        {
            return NotFound();
        }

        try
        {
            rosters.EnsureInCompileWindow(halfYear);
            await rosters.CompileAsync(halfYear, RosterActor.From(Caller.From(User)), cancellationToken);
            return Redirect($"/rosters/{halfYear}?done=compiled");
        }
        catch (Exception e) when (IsUserError(e))
        {
            if (!await LoadAsync(period, cancellationToken))
            {
                return NotFound();
            }

            FormError = words.ErrorText(e);
            return Page();
        }
    }

    private async Task<IActionResult> ReviewAsync(string period, bool approve, CancellationToken cancellationToken)
    {
        if (!Caller.From(User).IsRegulator)
        {
            return Forbid();
        }

        if (!HalfYear.TryParse(period, out var halfYear))
        {
            return NotFound();
        }

        var actor = RosterActor.From(Caller.From(User));
        try
        {
            if (approve)
            {
                await rosters.ApproveAsync(halfYear, ApproveComment, ReadVersion, actor, cancellationToken);
            }
            else
            {
                await rosters.ReturnAsync(halfYear, ReturnComment, ReadVersion, actor, cancellationToken);
            }

            return Redirect($"/rosters/{halfYear}?done={(approve ? "approved" : "returned")}");
        }
        catch (Exception e) when (IsUserError(e))
        {
            if (!await LoadAsync(period, cancellationToken))
            {
                return NotFound();
            }

            var text = words.ErrorText(e);
            if (e is DomainValidationException { Field: "comment" } or FieldValidationException)
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
                if (approve)
                {
                    ApproveCommentError = text;
                }
                else
                {
                    ReturnCommentError = text;
                }
            }
            else
            {
                Response.StatusCode = e is ApiException api ? api.Status : StatusCodes.Status409Conflict;
                FormError = text;
            }

            return Page();
        }
    }

    /// <summary>What a person can put right: bad input, a state conflict, a stale form. Not found stays a 404 page.</summary>
    private static bool IsUserError(Exception e) =>
        e is DomainException || e is ApiException { Status: not (StatusCodes.Status404NotFound or StatusCodes.Status403Forbidden) };

    private async Task<bool> LoadAsync(string period, CancellationToken cancellationToken)
    {
        Caller = Caller.From(User);
        if (!HalfYear.TryParse(period, out var halfYear))
        {
            return false;
        }

        var stored = await rosters.GetAsync(halfYear, cancellationToken);
        if (stored is null)
        {
            return false;
        }

        Roster = stored.Roster;
        Version = stored.Version;
        var previous = await rosters.PreviousPublishedAsync(halfYear, cancellationToken);
        Diff = RosterDiff.Between(previous?.Roster, stored.Roster);
        var (earliest, latest) = RosterStore.CompileWindow(clock.GetCurrentInstant());
        InCompileWindow = halfYear >= earliest && halfYear <= latest;
        return true;
    }
}
