using System.Globalization;

namespace FinanceChain.Domain;

/// <summary>Words for matching results, as a borrower reads them.</summary>
internal static class MatchingText
{
    /// <summary>385 → "3.85 %/yr".</summary>
    public static string Rate(int bps) =>
        (bps / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " %/yr";

    public static string Days(int days) => days.ToString(CultureInfo.InvariantCulture);

    public static string Name(ProductType type) => type switch
    {
        ProductType.ReceivablesFinancing => "receivables financing",
        ProductType.Factoring => "factoring",
        ProductType.OrderFinancing => "order financing",
        ProductType.InventoryPledge => "inventory pledge",
        ProductType.WarehouseReceiptPledge => "warehouse-receipt pledge",
        ProductType.PrepaymentFinancing => "prepayment financing",
        ProductType.NoteDiscount => "note discount",
        ProductType.CreditLoan => "credit loan",
        _ => type.ToString(),
    };

    public static string Name(Collateral collateral) => collateral switch
    {
        Collateral.None => "none",
        Collateral.Receivable => "receivable",
        Collateral.Note => "supply-chain note",
        Collateral.Inventory => "inventory",
        Collateral.WarehouseReceipt => "warehouse receipt",
        Collateral.RealEstate => "real estate",
        Collateral.Guarantee => "guarantee",
        _ => collateral.ToString(),
    };

    public static string Name(EnterpriseSize size) => size switch
    {
        EnterpriseSize.Large => "large",
        EnterpriseSize.Medium => "medium",
        EnterpriseSize.Small => "small",
        EnterpriseSize.Micro => "micro",
        _ => size.ToString(),
    };

    public static string Capitalised(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
