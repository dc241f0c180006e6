using FinanceChain.Client.Models;

namespace FinanceChain.Client.Tests;

/// <summary>
/// A bank's integration team, using only the client generated from the OpenAPI document: the registry is set up,
/// the bank posts a product, an SME's request shows in the bank's inbox, the bank offers, the SME accepts, and the
/// bank sees its deal accepted.
/// </summary>
public sealed class BankJourneyTests : IDisposable
{
    private readonly ServiceUnderTest _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Bank_PostsProduct_SeesRequestInInbox_Offers_AndSeesTheAcceptance()
    {
        var admin = _service.ClientFor(await _service.CreateAdminKeyAsync());
        var chain = await admin.Api.V1.Chains.PostAsync(new CreateChainRequest
        {
            Code = "HB-CRAYFISH", Name = "小龙虾产业链", Category = ChainCategory.Agriculture, Region = "429005",
        });
        var bank = await admin.Api.V1.Institutions.PostAsync(new CreateInstitutionRequest
        {
            Name = "中国农业银行湖北省分行", Kind = InstitutionKind.LargeStateOwned, CreditCode = Domain.CreditCode.Complete("91420100MA4K0B301").Value, Region = "420100",
        });
        var sme = await admin.Api.V1.Enterprises.PostAsync(new CreateEnterpriseRequest
        {
            Name = "潜江虾乡食品有限公司", CreditCode = Domain.CreditCode.Complete("91429005MA49C7X21").Value, Industry = Industry.Industry,
            Employees = 180, AnnualRevenue = 86_000_000.5m, TotalAssets = 52_000_000m, Region = "429005",
            Chains = [new ChainMembershipRequest { ChainId = chain!.Id, Role = ChainRole.Upstream }],
        });
        Assert.Equal(EnterpriseSize.Small, sme!.Size);
        var bankClient = _service.ClientFor((await admin.Api.V1.Keys.PostAsync(new CreateKeyRequest { Role = Role.Bank, Name = "农行 供应链金融系统", InstitutionId = bank!.Id }))!.Key!);
        var smeClient = _service.ClientFor((await admin.Api.V1.Keys.PostAsync(new CreateKeyRequest { Role = Role.Enterprise, Name = "虾乡财务部", EnterpriseId = sme.Id }))!.Key!);

        var product = await bankClient.Api.V1.Products.PostAsync(new ProductRequest
        {
            Name = "小龙虾产业链流动资金贷", Type = ProductType.CreditLoan, MinAmount = 100_000m, MaxAmount = 5_000_000m,
            MinTermDays = 30, MaxTermDays = 180, MinRateBps = 385, MaxRateBps = 450, Collateral = Collateral.None,
            ChainIds = [chain.Id!], Regions = ["420000"],
        });
        Assert.Equal(5_000_000m, product!.MaxAmount);

        var request = await smeClient.Api.V1.FinancingRequests.PostAsync(new NewFinancingRequest
        {
            ChainId = chain.Id, Amount = 1_200_000.5m, TermDays = 90, Purpose = "采购小龙虾原料，旺季备货", MaxRateBps = 450,
        });
        Assert.Equal(FinancingRequestStatus.Open, request!.Status);

        var inbox = await bankClient.Api.V1.Banks.Me.MatchedRequests.GetAsync();
        var matched = Assert.Single(inbox!.Items!, m => m.Request!.Id == request.Id);
        Assert.Contains(product.Id, matched.ProductIds!);
        Assert.Equal(1_200_000.5m, matched.Request!.Amount);

        var offer = await bankClient.Api.V1.FinancingRequests[request.Id!].Offers.PostAsync(new NewOffer
        {
            ProductId = product.Id, Amount = 1_200_000.5m, RateBps = 395, TermDays = 90,
        });
        Assert.Equal(OfferStatus.Pending, offer!.Status);

        var accepted = await smeClient.Api.V1.Offers[offer.Id!].Accept.PostAsync();
        Assert.Equal(FinancingRequestStatus.Accepted, accepted!.Request!.Status);

        var seen = await AcceptedOfferAsTheBankSeesItAsync(bankClient, offer.Id!);
        Assert.Equal(OfferStatus.Accepted, seen.Status);
        Assert.Equal(1_200_000.5m, seen.Amount);
    }

    /// <summary>
    /// The bank's view of its accepted deal: its own offers with status accepted (GET /offers?status=accepted),
    /// without the offer id it kept.
    /// </summary>
    private static async Task<OfferResponse> AcceptedOfferAsTheBankSeesItAsync(FinanceChainClient bank, string offerId)
    {
        var accepted = await bank.Api.V1.Offers.GetAsync(q => q.QueryParameters.Status = "accepted");
        return Assert.Single(accepted!.Items!, o => o.Id == offerId);
    }

    [Fact]
    public async Task Problems_ComeBackAsTypedErrors_WithTheirCode()
    {
        var admin = _service.ClientFor(await _service.CreateAdminKeyAsync(), language: "en");

        var missing = await Assert.ThrowsAsync<ProblemDetails>(() => admin.Api.V1.Chains["chn_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f"].GetAsync());
        Assert.Equal(404, missing.Status);
        Assert.Equal("chainNotFound", missing.Code);

        var invalid = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => admin.Api.V1.Chains.PostAsync(new CreateChainRequest
        {
            Code = "HB-AUTO", Name = "汽车", Category = ChainCategory.Manufacturing, Region = "420199",
        }));
        Assert.Equal(400, invalid.Status);
        Assert.NotNull(invalid.ErrorCodes);
    }
}
