using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Notes;

/// <summary>
/// Supply-chain notes (供应链票据): issue, pass on in sub-note ranges, and their history; at maturity, presentment for
/// payment (提示付款), payment or dishonour (拒付) by the acceptor, recourse (追索), and settlement.
/// </summary>
public static class NotesApi
{
    public static RouteGroupBuilder MapNotes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/notes").WithTags("Notes").RequireAuthorization();

        group.MapPost("/", CreateNoteAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("Issue and accept a note (core enterprise of a chain), held whole by the payee; optionally from part or all of what remains of a confirmed receivable the caller owes the payee.")
            .ProducesStandardErrors(StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/", ListNotesAsync)
            .WithSummary("Notes the caller accepted or holds or held (regulator: all; admin: none), by id.")
            .ProducesStandardErrors();
        group.MapGet("/{id}", GetNoteAsync)
            .WithSummary("One note with its holdings and their holders' names: its acceptor, current and past holders (enterprises and banks), regulator; 404 for anyone else.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/transfers", TransferNoteAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("Pass on (endorse) part of the caller's sub-notes, lowest-numbered first, before the due date. More than held: 409, nothing changes.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/{id}/transfers/{transferId}", GetTransferAsync)
            .WithSummary("One transfer of the note, with the note's current holdings.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/settle", SettleNoteAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("The acceptor's shortcut, on or after the due date: every holder is paid its unpaid sub-notes at once; presentments waiting for an answer are paid and open recourse claims end; the note is settled.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/{id}/history", GetNoteHistoryAsync)
            .WithSummary("Every event of the note in order (issued, transferred, discounted, presented, paid, dishonoured, recourse claimed, paid or superseded, settled), with actor, key name, parties' names and instant.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);

        group.MapPost("/{id}/presentments", PresentAsync).RequireAuthorization(Policies.BankOrEnterprise)
            .WithSummary("A holder presents its balance for payment (提示付款), from the due date to 10 days after it, once. The acceptor answers by the answer due date (Notes:AnswerBusinessDays business days, default 2); no answer is a dishonour with reason noAnswer.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/{id}/presentments", ListPresentmentsAsync)
            .WithSummary("The note's presentments, by id, for whoever may see the note.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/presentments/{presentmentId}", GetPresentmentAsync)
            .WithSummary("One presentment of the note.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/presentments/{presentmentId}/pay", PayPresentmentAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("The acceptor pays a presentment by its answer due date: those sub-notes are paid and leave circulation. Others who see the note: 403; answered or too late: 409.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id}/presentments/{presentmentId}/dishonour", DishonourAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("The acceptor refuses (拒付) a presentment, with a reason, by its answer due date: the holder may pursue recourse. Others who see the note: 403; answered or too late: 409.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/{id}/recourse-targets", GetRecourseTargetsAsync)
            .WithSummary("For a dishonoured presentment: whom its holder may pursue, the acceptor and every earlier endorser of exactly those sub-notes (from each range's own chain of endorsements), each with the ranges and amount it is liable for.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id}/recourse", ClaimRecourseAsync).RequireAuthorization(Policies.BankOrEnterprise)
            .WithSummary("The holder of a dishonoured presentment's unpaid sub-notes claims an amount from the acceptor or an earlier endorser (追索); it may claim against several for the same sub-notes, the first payment ends the others.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/{id}/recourse", ListRecourseAsync)
            .WithSummary("The note's recourse claims, by id, for whoever may see the note.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/recourse/{recourseId}", GetRecourseAsync)
            .WithSummary("One recourse claim of the note.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/recourse/{recourseId}/pay", PayRecourseAsync).RequireAuthorization(Policies.BankOrEnterprise)
            .WithSummary("The target pays a claim: an endorser takes the claimant's place, holds those sub-notes and may pursue its own earlier endorsers or the acceptor; the acceptor's payment ends them. Others who see the note: 403; not open: 409.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Created<NoteResponse>> CreateNoteAsync(CreateNoteRequest request, HttpContext http, NoteStore notes, CancellationToken cancellationToken)
    {
        var note = await notes.IssueAsync(request, Caller.From(http.User), cancellationToken);
        return TypedResults.Created($"/api/v1/notes/{note.Id}", note);
    }

    public static async Task<Ok<Page<NoteResponse>>> ListNotesAsync(HttpContext http, NoteStore notes, int? limit, string? cursor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await notes.ListAsync(PageRequest.From(limit, cursor), Caller.From(http.User), cancellationToken));

    public static async Task<Ok<NoteResponse>> GetNoteAsync(string id, HttpContext http, NoteStore notes, CancellationToken cancellationToken) =>
        TypedResults.Ok(await notes.GetAsync(id, Caller.From(http.User), cancellationToken) ?? throw new NotFoundException("note"));

    public static async Task<Created<TransferResponse>> TransferNoteAsync(
        string id, TransferNoteRequest request, HttpContext http, NoteStore notes, CancellationToken cancellationToken)
    {
        var transfer = await notes.TransferAsync(id, request, Caller.From(http.User), cancellationToken);
        return TypedResults.Created($"/api/v1/notes/{id}/transfers/{transfer.Id}", transfer);
    }

    public static async Task<Ok<TransferResponse>> GetTransferAsync(string id, string transferId, HttpContext http, NoteStore notes, CancellationToken cancellationToken) =>
        TypedResults.Ok(await notes.GetTransferAsync(id, transferId, Caller.From(http.User), cancellationToken) ?? throw new NotFoundException("transfer"));

    public static async Task<Ok<NoteResponse>> SettleNoteAsync(string id, HttpContext http, NoteMaturityStore maturity, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maturity.SettleAsync(id, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<NoteHistoryResponse>> GetNoteHistoryAsync(string id, HttpContext http, NoteStore notes, CancellationToken cancellationToken) =>
        TypedResults.Ok(await notes.HistoryAsync(id, Caller.From(http.User), cancellationToken) ?? throw new NotFoundException("note"));

    public static async Task<Created<PresentmentResponse>> PresentAsync(string id, HttpContext http, NoteMaturityStore maturity, CancellationToken cancellationToken)
    {
        var presentment = await maturity.PresentAsync(id, Caller.From(http.User), cancellationToken);
        return TypedResults.Created($"/api/v1/notes/{presentment.NoteId}/presentments/{presentment.Id}", presentment);
    }

    public static async Task<Ok<Page<PresentmentResponse>>> ListPresentmentsAsync(
        string id, HttpContext http, NoteMaturityStore maturity, int? limit, string? cursor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maturity.ListPresentmentsAsync(id, PageRequest.From(limit, cursor), Caller.From(http.User), cancellationToken));

    public static async Task<Ok<PresentmentResponse>> GetPresentmentAsync(string id, string presentmentId, HttpContext http, NoteMaturityStore maturity, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maturity.GetPresentmentAsync(id, presentmentId, Caller.From(http.User), cancellationToken) ?? throw new NotFoundException("presentment"));

    public static async Task<Ok<PresentmentResponse>> PayPresentmentAsync(string id, string presentmentId, HttpContext http, NoteMaturityStore maturity, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maturity.PayPresentmentAsync(id, presentmentId, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<PresentmentResponse>> DishonourAsync(
        string id, string presentmentId, DishonourRequest request, HttpContext http, NoteMaturityStore maturity, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maturity.DishonourAsync(id, presentmentId, request, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<RecourseTargetsResponse>> GetRecourseTargetsAsync(
        string id, string presentmentId, string? holderId, HttpContext http, NoteMaturityStore maturity, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maturity.TargetsAsync(id, presentmentId, holderId, Caller.From(http.User), cancellationToken));

    public static async Task<Created<RecourseResponse>> ClaimRecourseAsync(
        string id, ClaimRecourseRequest request, HttpContext http, NoteMaturityStore maturity, CancellationToken cancellationToken)
    {
        var claim = await maturity.ClaimAsync(id, request, Caller.From(http.User), cancellationToken);
        return TypedResults.Created($"/api/v1/notes/{claim.NoteId}/recourse/{claim.Id}", claim);
    }

    public static async Task<Ok<Page<RecourseResponse>>> ListRecourseAsync(
        string id, HttpContext http, NoteMaturityStore maturity, int? limit, string? cursor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maturity.ListClaimsAsync(id, PageRequest.From(limit, cursor), Caller.From(http.User), cancellationToken));

    public static async Task<Ok<RecourseResponse>> GetRecourseAsync(string id, string recourseId, HttpContext http, NoteMaturityStore maturity, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maturity.GetClaimAsync(id, recourseId, Caller.From(http.User), cancellationToken) ?? throw new NotFoundException("recourse"));

    public static async Task<Ok<RecourseResponse>> PayRecourseAsync(string id, string recourseId, HttpContext http, NoteMaturityStore maturity, CancellationToken cancellationToken) =>
        TypedResults.Ok(await maturity.PayClaimAsync(id, recourseId, Caller.From(http.User), cancellationToken));
}
