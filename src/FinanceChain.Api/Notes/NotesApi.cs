using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Notes;

/// <summary>Supply-chain notes (供应链票据): issue, pass on in sub-note ranges, settle, and their history.</summary>
public static class NotesApi
{
    public static RouteGroupBuilder MapNotes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/notes").WithTags("Notes").RequireAuthorization();

        group.MapPost("/", CreateNoteAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("Issue and accept a note (core enterprise of a chain), held whole by the payee; optionally from a confirmed receivable the caller owes the payee.")
            .ProducesStandardErrors(StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/", ListNotesAsync)
            .WithSummary("Notes the caller accepted or holds or held (regulator: all; admin: none), by id.")
            .ProducesStandardErrors();
        group.MapGet("/{id}", GetNoteAsync)
            .WithSummary("One note with its holdings: its acceptor, current and past holders (enterprises and banks), regulator; 404 for anyone else.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/transfers", TransferNoteAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("Pass on (endorse) part of the caller's sub-notes, lowest-numbered first. More than held: 409, nothing changes.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/{id}/transfers/{transferId}", GetTransferAsync)
            .WithSummary("One transfer of the note, with the note's current holdings.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/settle", SettleNoteAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("The acceptor pays the note on or after its due date: every holder is paid its balance; the note is settled.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/{id}/history", GetNoteHistoryAsync)
            .WithSummary("Every event of the note in order (issued, transferred, discounted, paid, settled), with actor and instant.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
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

    public static async Task<Ok<NoteResponse>> SettleNoteAsync(string id, HttpContext http, NoteStore notes, CancellationToken cancellationToken) =>
        TypedResults.Ok(await notes.SettleAsync(id, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<NoteHistoryResponse>> GetNoteHistoryAsync(string id, HttpContext http, NoteStore notes, CancellationToken cancellationToken) =>
        TypedResults.Ok(await notes.HistoryAsync(id, Caller.From(http.User), cancellationToken) ?? throw new NotFoundException("note"));
}
