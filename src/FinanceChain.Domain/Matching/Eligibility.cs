namespace FinanceChain.Domain;

/// <summary>The hard rules a product must meet for a request, in the order the API contract lists them.</summary>
public enum EligibilityRule
{
    /// <summary>The product has not been withdrawn.</summary>
    Active,
    /// <summary>The amount lies inside the product's amount range (inclusive).</summary>
    Amount,
    /// <summary>The term lies inside the product's term range (inclusive).</summary>
    Term,
    /// <summary>The product is offered to the request's chain (or to every chain).</summary>
    Chain,
    /// <summary>The product is offered to the requester's size (or to every size).</summary>
    EnterpriseSize,
    /// <summary>One of the product's regions covers the requester's region (or it has none).</summary>
    Region,
    /// <summary>The requester accepts the product's type (or any type).</summary>
    ProductType,
    /// <summary>The product's lowest rate is at or below the requester's ceiling, when one is given.</summary>
    Rate,
    /// <summary>The requester offers the collateral the product takes (none needs nothing).</summary>
    Collateral,
    /// <summary>A note discount needs a supply-chain note the requester holds.</summary>
    NoteHeld,
    /// <summary>A product that requires a confirmed receivable needs one.</summary>
    ConfirmedReceivable,
}

/// <summary>How one rule came out for a product and a request.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Met">True when the product passes the rule.</param>
/// <param name="Failure">
/// For a rule not met, why, as a code and values (e.g. <c>ruleAmountAboveMaximum</c> with the amount asked and the
/// product's maximum): what would have to change. Null when the rule is met.
/// </param>
public readonly record struct RuleOutcome(EligibilityRule Rule, bool Met, Reason? Failure);

/// <summary>
/// Every rule checked for one product against one request: what a bank sees when it asks why a request
/// does (not) match its product.
/// </summary>
public sealed class Eligibility
{
    internal Eligibility(ProductTerms product, IReadOnlyList<RuleOutcome> outcomes)
    {
        Product = product;
        Outcomes = outcomes;
    }

    /// <summary>The product checked.</summary>
    public ProductTerms Product { get; }

    /// <summary>One outcome per <see cref="EligibilityRule"/>, in rule order.</summary>
    public IReadOnlyList<RuleOutcome> Outcomes { get; }

    /// <summary>True when every rule is met.</summary>
    public bool IsEligible => Outcomes.All(o => o.Met);

    /// <summary>The rules not met, in rule order; empty when eligible.</summary>
    public IReadOnlyList<RuleOutcome> Failed => Outcomes.Where(o => !o.Met).ToList();
}
