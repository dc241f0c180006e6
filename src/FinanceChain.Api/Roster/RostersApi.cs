using FinanceChain.Api.Localization;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace FinanceChain.Api.Roster;

/// <summary>
/// The half-year roster (名录): compiled by admin, regulator or the roster-republish job, reviewed by the
/// central-bank branch, public once approved.
/// </summary>
public static class RostersApi
{
    public static RouteGroupBuilder MapRosters(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/rosters").WithTags("Roster").RequireAuthorization();

        group.MapGet("/", ListRostersAsync)
            .WithSummary("Rosters by period, oldest first. Banks and enterprises see published ones only.")
            .ProducesStandardErrors();
        group.MapGet("/schedule", GetScheduleAsync).RequireAuthorization(Policies.AdminOrRegulator)
            .WithSummary("The roster-republish job's cron, time zone, whether it is registered, its next run (null when it is not) and last run (admin, regulator).")
            .ProducesStandardErrors();
        group.MapGet("/published/latest", GetLatestPublishedAsync).AllowAnonymous()
            .WithSummary("The latest published roster, no key needed; ?format=csv or ?format=xlsx for a file. Reviewer flags are left out.")
            .WithDescription("`?format=json` (default) gives the JSON below. `?format=csv` gives `text/csv; charset=utf-8` with a " +
                "byte-order mark (Excel reads the Chinese names right), a header row and one row per chain, as an attachment " +
                "named `roster-<period>.csv`. `?format=xlsx` gives the same table as an Excel workbook `roster-<period>.xlsx` " +
                "(counts and amounts as numbers). The files' header row is in the language of `Accept-Language` (Chinese by " +
                "default). No form carries the reviewer's flags or the review comment.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{period}", GetRosterAsync)
            .WithSummary("One period's roster. Admin and regulator see drafts and returned ones with flags; others only published ones, without flags.")
            .ProducesETag()
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{period}/diff", GetRosterDiffAsync)
            .WithSummary("What changed from the last roster published before the period: chains, lead banks, core enterprises.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{period}/compile", CompileRosterAsync).RequireAuthorization(Policies.AdminOrRegulator)
            .WithSummary("Compile the period's draft from the current chains, pairings and core enterprises (admin, regulator). " +
                "Replaces a draft or returned roster; 409 when published. Allowed for the previous, current and next half-year.")
            .ProducesETag()
            .ProducesStandardErrors(StatusCodes.Status409Conflict);
        group.MapPost("/{period}/approve", ApproveRosterAsync).RequireAuthorization(Policies.Regulator)
            .WithSummary("Approve the draft, which publishes it (regulator); 409 before the period has started in Asia/Shanghai. Optional If-Match with the ETag of the draft reviewed.")
            .ProducesETag()
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);
        group.MapPost("/{period}/return", ReturnRosterAsync).RequireAuthorization(Policies.Regulator)
            .WithSummary("Return the draft with a comment saying why (regulator); compile it again to make a new draft.")
            .ProducesETag()
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);
        return group;
    }

    public static async Task<Ok<Page<RosterSummaryResponse>>> ListRostersAsync(HttpContext http, RosterStore rosters, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        return TypedResults.Ok(await rosters.ListAsync(PageRequest.From(limit, cursor), publishedOnly: !caller.SeesEverything, cancellationToken));
    }

    public static async Task<Ok<RosterResponse>> GetRosterAsync(string period, HttpContext http, RosterStore rosters, TextCatalog texts, CancellationToken cancellationToken)
    {
        var stored = await VisibleRosterAsync(period, http, rosters, cancellationToken);
        http.Response.Headers.ETag = ETags.For(stored.Version);
        return TypedResults.Ok(stored.Roster.ToResponse(Caller.From(http.User).SeesEverything, texts));
    }

    public static async Task<Ok<RosterDiffResponse>> GetRosterDiffAsync(string period, HttpContext http, RosterStore rosters, CancellationToken cancellationToken)
    {
        var stored = await VisibleRosterAsync(period, http, rosters, cancellationToken);
        var previous = await rosters.PreviousPublishedAsync(stored.Roster.Period, cancellationToken);
        return TypedResults.Ok(RosterDiff.Between(previous?.Roster, stored.Roster).ToResponse());
    }

    public static async Task<Ok<RosterResponse>> CompileRosterAsync(string period, HttpContext http, RosterStore rosters, TextCatalog texts, CancellationToken cancellationToken)
    {
        var halfYear = ParsePeriod(period);
        rosters.EnsureInCompileWindow(halfYear);
        var stored = await rosters.CompileAsync(halfYear, RosterActor.From(Caller.From(http.User)), cancellationToken);
        http.Response.Headers.ETag = ETags.For(stored.Version);
        return TypedResults.Ok(stored.Roster.ToResponse(reviewer: true, texts));
    }

    public static async Task<Ok<RosterResponse>> ApproveRosterAsync(
        string period, [FromBody] ReviewRosterRequest? request, HttpContext http, RosterStore rosters, TextCatalog texts, CancellationToken cancellationToken)
    {
        var halfYear = ParsePeriod(period);
        var stored = await rosters.ApproveAsync(halfYear, request?.Comment, IfMatchVersion(http.Request), RosterActor.From(Caller.From(http.User)), cancellationToken);
        http.Response.Headers.ETag = ETags.For(stored.Version);
        return TypedResults.Ok(stored.Roster.ToResponse(reviewer: true, texts));
    }

    public static async Task<Ok<RosterResponse>> ReturnRosterAsync(
        string period, [FromBody] ReviewRosterRequest? request, HttpContext http, RosterStore rosters, TextCatalog texts, CancellationToken cancellationToken)
    {
        var halfYear = ParsePeriod(period);
        var stored = await rosters.ReturnAsync(halfYear, request?.Comment, IfMatchVersion(http.Request), RosterActor.From(Caller.From(http.User)), cancellationToken);
        http.Response.Headers.ETag = ETags.For(stored.Version);
        return TypedResults.Ok(stored.Roster.ToResponse(reviewer: true, texts));
    }

    public static async Task<Results<Ok<PublishedRosterResponse>, FileContentHttpResult>> GetLatestPublishedAsync(
        string? format, RosterStore rosters, RosterDownloads downloads, CancellationToken cancellationToken)
    {
        if (format is not (null or "" or "json" or "csv" or "xlsx"))
        {
            throw new FieldValidationException("format", ErrorCodes.EnumUnknown, "json, csv, xlsx");
        }

        var latest = await rosters.LatestPublishedAsync(cancellationToken) ?? throw new NotFoundException("publishedRoster");
        var roster = latest.Roster;
        return format switch
        {
            "csv" => TypedResults.File(downloads.Csv(roster), RosterCsv.ContentType, RosterCsv.FileName(roster.Period)),
            "xlsx" => TypedResults.File(downloads.Xlsx(roster), RosterDownloads.XlsxContentType, RosterDownloads.XlsxFileName(roster.Period)),
            _ => TypedResults.Ok(roster.ToPublished()),
        };
    }

    public static async Task<Ok<RosterScheduleResponse>> GetScheduleAsync(IClock clock, RosterRepublishJob job, Hangfire.JobStorage storage, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RosterJobs.ScheduleAsync(storage, job, clock, cancellationToken));

    /// <summary>The roster if the caller may see it: admin and regulator any, others published ones; 404 otherwise.</summary>
    private static async Task<StoredRoster> VisibleRosterAsync(string period, HttpContext http, RosterStore rosters, CancellationToken cancellationToken)
    {
        var stored = await rosters.GetAsync(ParsePeriod(period), cancellationToken);
        if (stored is null || (stored.Roster.Status != RosterStatus.Published && !Caller.From(http.User).SeesEverything))
        {
            throw new NotFoundException("roster");
        }

        return stored;
    }

    private static HalfYear ParsePeriod(string period) =>
        HalfYear.TryParse(period, out var halfYear)
            ? halfYear
            : throw new FieldValidationException("period", RosterApiCodes.PeriodFormat, HalfYear.MinYear, HalfYear.MaxYear);

    private static long? IfMatchVersion(HttpRequest request) =>
        string.IsNullOrWhiteSpace(request.Headers.IfMatch.ToString()) ? null : ETags.RequiredVersion(request);
}
