using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Products;

/// <summary>The texts of products: <c>ProductTexts.resx</c>, <c>ProductTexts.en.resx</c>.</summary>
[Texts]
public sealed class ProductTexts;

/// <summary>Codes of the products' errors.</summary>
public static class ProductCodes
{
    /// <summary>The product is withdrawn and can no longer change.</summary>
    public const string ProductWithdrawn = "productWithdrawn";

    /// <summary>The product has already been withdrawn.</summary>
    public const string ProductAlreadyWithdrawn = "productAlreadyWithdrawn";

    /// <summary>No chain has this id.</summary>
    public const string NoSuchChain = "productNoSuchChain";
}
