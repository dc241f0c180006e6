using Dapper;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Matching;

/// <summary>
/// A bank's inbox: the live requests at least one of its active products is eligible for, found through the
/// reverse matching index (<see cref="RequestIndexCache"/>) rather than by reading every live request.
/// </summary>
public sealed class BankInbox(Db db, IClock clock, MatchingIndexCache products, RequestIndexCache requests)
{
    /// <summary>At most this many of the bank's eligible products are listed per request, best first.</summary>
    public const int MaxProductIds = 20;

    internal const string PageSql = FinancingRequestStore.SelectRequest + " " + """
        WHERE r.id IN @Ids
        ORDER BY r.id
        """;

    /// <summary>
    /// Open or offered, unexpired requests eligible for at least one of the caller's active products, in id order
    /// (oldest first), each with the ids of the best <see cref="MaxProductIds"/> of those products.
    /// </summary>
    public async Task<Page<MatchedRequestResponse>> ListAsync(Caller caller, PageRequest page, CancellationToken cancellationToken)
    {
        var institutionId = caller.BankInstitutionId;
        var snapshot = await products.CurrentAsync(cancellationToken);
        var now = clock.GetCurrentInstant();
        IReadOnlyList<(RequestRow Row, FinancingNeed Need)> found = [];
        if (snapshot.HasProducts(institutionId))
        {
            var live = await requests.CurrentAsync(cancellationToken);
            var ids = live.Index.Matching(snapshot.Index.ProductsOfInstitution(institutionId), page.After, page.FetchLimit, now);
            if (ids.Count > 0)
            {
                var rows = await db.QueryAsync<RequestRow>(PageSql, new { Ids = ids }, cancellationToken);
                found = rows.Select(r => (Row: r, Need: r.ToNeed())).ToList();
            }
        }

        var institutionName = snapshot.InstitutionName(institutionId);
        return page.ToPage(found, f => f.Row.Id, f => new MatchedRequestResponse(
            f.Row.ToResponse(now),
            institutionId,
            institutionName,
            snapshot.Index.MatchingProducts(institutionId, f.Need, MaxProductIds).Select(p => p.Id).ToList()));
    }
}
