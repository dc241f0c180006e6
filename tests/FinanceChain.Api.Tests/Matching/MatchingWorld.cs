using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Tests.Products;
using FinanceChain.Domain;

namespace FinanceChain.Api.Tests.Matching;

/// <summary>
/// A small market: one chain led by bank A, a second chain, three banks with keys, an SME (small, Wuhan
/// 420100) and another SME in the chain, admin and regulator.
/// </summary>
public sealed class MatchingWorld
{
    private MatchingWorld(FinanceChainApp app) => App = app;

    public FinanceChainApp App { get; }
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Regulator { get; private set; } = null!;
    public string Chain { get; private set; } = "";
    public string OtherChain { get; private set; } = "";
    public string BankA { get; private set; } = "";
    public string BankB { get; private set; } = "";
    public string BankC { get; private set; } = "";
    public HttpClient A { get; private set; } = null!;
    public HttpClient B { get; private set; } = null!;
    public HttpClient C { get; private set; } = null!;
    public string Sme { get; private set; } = "";
    public HttpClient SmeClient { get; private set; } = null!;
    public string OtherSme { get; private set; } = "";
    public HttpClient OtherSmeClient { get; private set; } = null!;

    public static async Task<MatchingWorld> CreateAsync(FinanceChainApp app)
    {
        var world = new MatchingWorld(app);
        await world.InitialiseAsync();
        return world;
    }

    /// <summary>A request by the SME in the chain, with <paramref name="change"/> applied to the default body.</summary>
    public Task<string> RequestAsync(Func<Dictionary<string, object?>, Dictionary<string, object?>>? change = null) =>
        SmeClient.CreateRequestAsync((change ?? (b => b))(ProductData.Request(Chain)));

    private async Task InitialiseAsync()
    {
        Admin = await App.ClientAsync(Role.Admin);
        Regulator = await App.ClientAsync(Role.Regulator);
        Chain = await Admin.CreateChainAsync();
        OtherChain = await Admin.CreateChainAsync();
        BankA = await Admin.CreateInstitutionAsync();
        BankB = await Admin.CreateInstitutionAsync();
        BankC = await Admin.CreateInstitutionAsync();
        await Admin.PairLeadBankAsync(Chain, BankA);
        A = await App.ClientAsync(Role.Bank, institutionId: BankA);
        B = await App.ClientAsync(Role.Bank, institutionId: BankB);
        C = await App.ClientAsync(Role.Bank, institutionId: BankC);
        Sme = await Admin.CreateEnterpriseAsync(Chain, "upstream", "420100");
        SmeClient = await App.ClientAsync(Role.Enterprise, enterpriseId: Sme);
        OtherSme = await Admin.CreateEnterpriseAsync(Chain, "upstream", "420100");
        OtherSmeClient = await App.ClientAsync(Role.Enterprise, enterpriseId: OtherSme);
    }
}
