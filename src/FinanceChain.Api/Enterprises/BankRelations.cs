using FinanceChain.Api.Database;
using FinanceChain.Api.Matching;
using NodaTime;

namespace FinanceChain.Api.Enterprises;

/// <summary>
/// Which enterprises a bank does business with: an enterprise with a live financing request (open or
/// offered, unexpired) that one of the bank's active products is eligible for, or to which the bank has made
/// an offer. Those banks may see its
/// confidential figures. Eligibility is the matching engine's, through the shared matching index.
/// </summary>
public sealed class BankRelations(Db db, MatchingIndexCache index, IClock clock)
{
    internal const string OfferedToSql = """
        SELECT DISTINCT r.enterprise_id
        FROM offers o JOIN financing_requests r ON r.id = o.request_id
        WHERE o.institution_id = @InstitutionId
        """;

    internal const string OfferedToEnterpriseSql = """
        SELECT COUNT(*)
        FROM offers o JOIN financing_requests r ON r.id = o.request_id
        WHERE o.institution_id = @InstitutionId AND r.enterprise_id = @EnterpriseId
        """;

    public async Task<IReadOnlySet<string>> EnterprisesOfAsync(string institutionId, CancellationToken cancellationToken)
    {
        var related = (await db.QueryAsync<string>(OfferedToSql, new { InstitutionId = institutionId }, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var snapshot = await index.CurrentAsync(cancellationToken);
        if (!snapshot.HasProducts(institutionId))
        {
            return related;
        }

        var requests = await db.QueryAsync<RequestRow>(FinancingRequestStore.LiveAllSql, new { Now = clock.GetCurrentInstant() }, cancellationToken);
        var needs = requests.Where(r => !related.Contains(r.EnterpriseId)).Select(r => (Key: r.EnterpriseId, Need: r.ToNeed()));
        related.UnionWith(snapshot.Index.MatchingNeeds(institutionId, needs));
        return related;
    }

    public async Task<bool> IsRelatedAsync(string institutionId, string enterpriseId, CancellationToken cancellationToken)
    {
        if (await db.QuerySingleOrDefaultAsync<long>(OfferedToEnterpriseSql, new { InstitutionId = institutionId, EnterpriseId = enterpriseId }, cancellationToken) > 0)
        {
            return true;
        }

        var snapshot = await index.CurrentAsync(cancellationToken);
        if (!snapshot.HasProducts(institutionId))
        {
            return false;
        }

        var requests = await db.QueryAsync<RequestRow>(
            FinancingRequestStore.LiveByEnterpriseSql, new { EnterpriseId = enterpriseId, Now = clock.GetCurrentInstant() }, cancellationToken);
        return requests.Any(r => snapshot.Index.AnyMatch(institutionId, r.ToNeed()));
    }
}
