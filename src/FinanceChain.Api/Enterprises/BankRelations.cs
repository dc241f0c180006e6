using FinanceChain.Api.Database;

namespace FinanceChain.Api.Enterprises;

/// <summary>
/// Which enterprises a bank does business with: an enterprise whose financing request matches one of
/// the bank's products, or to which the bank has made an offer. Those banks may see its confidential figures.
/// </summary>
public sealed class BankRelations(Db db)
{
    // Until financing requests exist an enterprise has no bank relation; the matching feature extends this.
    internal const string RelatedSql = "SELECT DISTINCT enterprise_id FROM chain_members WHERE 1 = 0 AND @InstitutionId IS NOT NULL";

    public async Task<IReadOnlySet<string>> EnterprisesOfAsync(string institutionId, CancellationToken cancellationToken) =>
        (await db.QueryAsync<string>(RelatedSql, new { InstitutionId = institutionId }, cancellationToken)).ToHashSet();

    public async Task<bool> IsRelatedAsync(string institutionId, string enterpriseId, CancellationToken cancellationToken) =>
        (await EnterprisesOfAsync(institutionId, cancellationToken)).Contains(enterpriseId);
}
