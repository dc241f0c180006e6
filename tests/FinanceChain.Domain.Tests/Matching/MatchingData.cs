using FinanceChain.Domain;

namespace FinanceChain.Domain.Tests.Matching;

/// <summary>Builders for products and needs: a default that matches, changed one field at a time.</summary>
internal static class MatchingData
{
    public const string Chain = "chn_auto";
    public const string OtherChain = "chn_tea";
    public const string LeadBank = "ins_boc";
    public const string OtherBank = "ins_ccb";

    public static ProductTerms Product(
        string id = "prd_a",
        string institutionId = OtherBank,
        ProductType type = ProductType.ReceivablesFinancing,
        decimal minAmount = 100_000m,
        decimal maxAmount = 5_000_000m,
        int minTermDays = 30,
        int maxTermDays = 180,
        int minRateBps = 385,
        int? maxRateBps = null,
        string[]? chainIds = null,
        EnterpriseSize[]? sizes = null,
        string[]? regions = null,
        Collateral collateral = Collateral.None,
        bool requiresConfirmedReceivable = false,
        bool active = true) =>
        ProductTerms.Create(
            id,
            institutionId,
            type,
            Money.FromYuan(minAmount),
            Money.FromYuan(maxAmount),
            minTermDays,
            maxTermDays,
            minRateBps,
            maxRateBps ?? Math.Max(450, minRateBps),
            chainIds,
            sizes,
            regions?.Select(RegionCode.Parse),
            collateral,
            requiresConfirmedReceivable,
            active);

    public static FinancingNeed Need(
        string chainId = Chain,
        EnterpriseSize size = EnterpriseSize.Small,
        string region = "420111",
        decimal amount = 500_000m,
        int termDays = 90,
        ProductType[]? acceptableTypes = null,
        Collateral[]? collateralOffered = null,
        int? maxRateBps = null,
        bool holdsNote = false,
        bool hasConfirmedReceivable = false,
        string? leadBank = LeadBank) =>
        FinancingNeed.Create(
            chainId,
            size,
            RegionCode.Parse(region),
            Money.FromYuan(amount),
            termDays,
            acceptableTypes,
            collateralOffered,
            maxRateBps,
            holdsNote,
            hasConfirmedReceivable,
            leadBank);
}
