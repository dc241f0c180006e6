using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinanceChain.Api.Receivables;

/// <summary>Receivables (应收账款): suppliers register them; debtors confirm (确权) or reject them; suppliers may cancel them before that.</summary>
public static class ReceivablesApi
{
    public static RouteGroupBuilder MapReceivables(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/receivables").WithTags("Receivables").RequireAuthorization();

        group.MapPost("/", RegisterReceivableAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("Register a receivable owed to the calling enterprise (the creditor) by debtorId; it starts registered. An invoice already backing a receivable of the same debtor: 409.")
            .ProducesStandardErrors(StatusCodes.Status409Conflict)
            .WithIdempotency();
        group.MapGet("/", ListReceivablesAsync)
            .WithSummary("The caller's receivables as creditor or debtor, those a bank financed (regulator: all; admin: none), by id.")
            .ProducesStandardErrors();
        group.MapGet("/{id}", GetReceivableAsync)
            .WithSummary("One receivable: its creditor, its debtor, the bank that financed it, regulator; 404 for anyone else.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/confirm", ConfirmReceivableAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("The debtor confirms the receivable (确权). Its creditor gets 403; a receivable not registered any more is a 409.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id}/reject", RejectReceivableAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("The debtor rejects the receivable, with a reason, instead of confirming it; its invoices are free again. Its creditor gets 403; a receivable not registered any more is a 409.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id}/cancel", CancelReceivableAsync).RequireAuthorization(Policies.Enterprise)
            .WithSummary("The creditor cancels the receivable before its debtor confirms it; its invoices are free again. Its debtor gets 403; a confirmed or decided receivable is a 409.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Created<ReceivableResponse>> RegisterReceivableAsync(
        RegisterReceivableRequest request, HttpContext http, ReceivableStore receivables, CancellationToken cancellationToken)
    {
        var receivable = await receivables.RegisterAsync(request, Caller.From(http.User), cancellationToken);
        return TypedResults.Created($"/api/v1/receivables/{receivable.Id}", receivable);
    }

    public static async Task<Ok<Page<ReceivableResponse>>> ListReceivablesAsync(
        HttpContext http, ReceivableStore receivables, int? limit, string? cursor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await receivables.ListAsync(PageRequest.From(limit, cursor), Caller.From(http.User), cancellationToken));

    public static async Task<Ok<ReceivableResponse>> GetReceivableAsync(string id, HttpContext http, ReceivableStore receivables, CancellationToken cancellationToken) =>
        TypedResults.Ok(await receivables.GetAsync(id, Caller.From(http.User), cancellationToken) ?? throw new NotFoundException("receivable"));

    public static async Task<Ok<ReceivableResponse>> ConfirmReceivableAsync(string id, HttpContext http, ReceivableStore receivables, CancellationToken cancellationToken) =>
        TypedResults.Ok(await receivables.ConfirmAsync(id, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<ReceivableResponse>> RejectReceivableAsync(
        string id, RejectReceivableRequest request, HttpContext http, ReceivableStore receivables, CancellationToken cancellationToken) =>
        TypedResults.Ok(await receivables.RejectAsync(id, request, Caller.From(http.User), cancellationToken));

    public static async Task<Ok<ReceivableResponse>> CancelReceivableAsync(string id, HttpContext http, ReceivableStore receivables, CancellationToken cancellationToken) =>
        TypedResults.Ok(await receivables.CancelAsync(id, Caller.From(http.User), cancellationToken));
}
