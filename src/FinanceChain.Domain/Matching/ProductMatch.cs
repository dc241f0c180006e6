namespace FinanceChain.Domain;

/// <summary>An eligible product for a financing request, with its place in the ranking explained.</summary>
/// <param name="Product">The product's terms.</param>
/// <param name="IsLeadBank">True when the product's bank is the lead bank (一链一行) of the request's chain.</param>
/// <param name="Score">
/// A number that never rises down the ranking; see <see cref="MatchingEngine.Score"/> for how it is computed.
/// </param>
/// <param name="Reasons">Why the product fits and where it ranks, as codes and values, in the order a borrower reads them.</param>
public sealed record ProductMatch(ProductTerms Product, bool IsLeadBank, decimal Score, IReadOnlyList<Reason> Reasons)
{
    /// <summary>The product's id.</summary>
    public string ProductId => Product.Id;

    /// <summary>The bank offering the product.</summary>
    public string InstitutionId => Product.InstitutionId;
}
