namespace FinanceChain.Domain;

/// <summary>
/// An active product that a request misses by one or two rules: what the borrower could change (or ask for)
/// to be served by it. Its rules say only what the request and the product's public terms say.
/// </summary>
/// <param name="Product">The product's terms.</param>
/// <param name="Failed">The rules it fails (one or two), in rule order, each with what would have to change.</param>
public sealed record NearMiss(ProductTerms Product, IReadOnlyList<RuleOutcome> Failed)
{
    /// <summary>The most near misses given for one request.</summary>
    public const int MaxCount = 5;

    /// <summary>The most rules a near miss may fail.</summary>
    public const int MaxFailedRules = 2;

    /// <summary>The product's id.</summary>
    public string ProductId => Product.Id;

    /// <summary>The bank offering the product.</summary>
    public string InstitutionId => Product.InstitutionId;
}
