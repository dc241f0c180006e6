using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Chains;
using FinanceChain.Api.Database;
using FinanceChain.Api.Enterprises;
using FinanceChain.Api.Institutions;
using FinanceChain.Api.Keys;
using FinanceChain.Api.Products;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Demo;

/// <summary>
/// DEMO DATA. Seeds the first 8 Hubei key chains of the financial chain-chief scheme and Hunan's
/// engineering-machinery chain, with banks, core enterprises and SMEs. Which bank leads which chain is a
/// demo pairing (the source does not publish it); credit codes are fictional but valid; every name
/// carries "(演示)". The banks post a few products (chain-specific and general, 2.50–6.00 %/yr; illustrative
/// terms, not the banks' real ones). Seeding twice adds nothing but fresh keys.
/// </summary>
public sealed class DemoSeeder(Db db, ChainStore chains, EnterpriseStore enterprises, KeyStore keys, ProductStore products, AuditLog audit, IClock clock)
{
    public const string Marker = "(演示)";

    private static readonly Caller Seeder = new("demo-seed", "demo seed", Role.Admin, null, null);

    private sealed record DemoBank(string Key, string Name, InstitutionKind Kind, string Region);
    private sealed record DemoChain(string Code, string Name, ChainCategory Category, string Region, string LeadBank);
    private sealed record DemoProduct(
        string Bank, string Name, ProductType Type, decimal MinYuan, decimal MaxYuan, int MinTermDays, int MaxTermDays, int MinRateBps, int MaxRateBps,
        string[] ChainCodes, EnterpriseSize[] Sizes, string[] Regions, Collateral Collateral, bool RequiresConfirmedReceivable = false);

    private sealed record DemoEnterprise(string Name, Industry Industry, int Employees, long RevenueYuan, long AssetsYuan, string Region, string ChainCode, ChainRole Role);

    private static readonly DemoBank[] Banks =
    [
        new("boc", "中国银行湖北省分行", InstitutionKind.LargeStateOwned, "420100"),
        new("abc", "中国农业银行湖北省分行", InstitutionKind.LargeStateOwned, "420100"),
        new("adbc", "中国农业发展银行湖北省分行", InstitutionKind.PolicyBank, "420100"),
        new("hbrcu", "湖北省农村信用社联合社", InstitutionKind.RuralFinancial, "420100"),
        new("ccb", "中国建设银行湖北省分行", InstitutionKind.LargeStateOwned, "420100"),
        new("bocs", "长沙银行", InstitutionKind.CityCommercial, "430100"),
    ];

    private static readonly DemoChain[] Chains =
    [
        new("HB-CRAYFISH", "特色淡水产品(小龙虾)", ChainCategory.Agriculture, "429005", "abc"),
        new("HB-MUSHROOM", "蔬菜(香菇)", ChainCategory.Agriculture, "421300", "adbc"),
        new("HB-BRICKTEA", "茶叶(青砖茶)", ChainCategory.Agriculture, "421200", "hbrcu"),
        new("HB-MUGWORT", "道地药材(艾草)", ChainCategory.Agriculture, "421100", "adbc"),
        new("HB-AEROSPACE", "航空航天", ChainCategory.Manufacturing, "420100", "boc"),
        new("HB-IC", "集成电路", ChainCategory.Manufacturing, "420100", "ccb"),
        new("HB-AUTO", "汽车", ChainCategory.Manufacturing, "420100", "boc"),
        new("HB-CHEM", "现代化工", ChainCategory.Manufacturing, "420500", "ccb"),
        new("HN-MACHINERY", "工程机械", ChainCategory.Manufacturing, "430100", "bocs"),
    ];

    private static readonly DemoEnterprise[] Enterprises =
    [
        new("潜江虾乡食品有限公司", Industry.Agriculture, 1200, 2_600_000_000, 1_800_000_000, "429005", "HB-CRAYFISH", ChainRole.Core),
        new("潜江市田园小龙虾养殖专业合作社", Industry.Agriculture, 35, 8_000_000, 3_000_000, "429005", "HB-CRAYFISH", ChainRole.Upstream),
        new("随州香菇产业集团有限公司", Industry.Agriculture, 900, 2_100_000_000, 1_500_000_000, "421300", "HB-MUSHROOM", ChainRole.Core),
        new("随县菇农种植有限公司", Industry.Agriculture, 18, 3_500_000, 1_200_000, "421321", "HB-MUSHROOM", ChainRole.Upstream),
        new("赤壁青砖茶业股份有限公司", Industry.Industry, 650, 520_000_000, 480_000_000, "421281", "HB-BRICKTEA", ChainRole.Core),
        new("赤壁羊楼洞茶叶种植合作社", Industry.Agriculture, 12, 900_000, 600_000, "421281", "HB-BRICKTEA", ChainRole.Upstream),
        new("蕲春艾草制品有限公司", Industry.Industry, 420, 380_000_000, 260_000_000, "421126", "HB-MUGWORT", ChainRole.Core),
        new("武汉航宇精密部件有限公司", Industry.Industry, 2600, 6_800_000_000, 9_000_000_000, "420100", "HB-AEROSPACE", ChainRole.Core),
        new("武汉星河复合材料有限公司", Industry.Industry, 140, 45_000_000, 30_000_000, "420115", "HB-AEROSPACE", ChainRole.Upstream),
        new("武汉芯谷存储科技有限公司", Industry.Industry, 5200, 12_000_000_000, 30_000_000_000, "420115", "HB-IC", ChainRole.Core),
        new("武汉晶源封装测试有限公司", Industry.Industry, 260, 150_000_000, 120_000_000, "420115", "HB-IC", ChainRole.Upstream),
        new("东湖汽车制造有限公司", Industry.Industry, 8000, 45_000_000_000, 60_000_000_000, "420100", "HB-AUTO", ChainRole.Core),
        new("襄阳驰远汽车零部件有限公司", Industry.Industry, 320, 260_000_000, 180_000_000, "420600", "HB-AUTO", ChainRole.Upstream),
        new("武汉通达汽车销售服务有限公司", Industry.Retail, 60, 90_000_000, 40_000_000, "420100", "HB-AUTO", ChainRole.Downstream),
        new("宜昌三峡化工集团有限公司", Industry.Industry, 3100, 9_500_000_000, 11_000_000_000, "420500", "HB-CHEM", ChainRole.Core),
        new("宜昌磷源矿业有限公司", Industry.Industry, 85, 32_000_000, 50_000_000, "420500", "HB-CHEM", ChainRole.Upstream),
        new("三一重工股份有限公司", Industry.Industry, 25000, 74_000_000_000, 150_000_000_000, "430100", "HN-MACHINERY", ChainRole.Core),
        new("中联重科股份有限公司", Industry.Industry, 24000, 47_000_000_000, 130_000_000_000, "430100", "HN-MACHINERY", ChainRole.Core),
        new("中国铁建重工集团股份有限公司", Industry.Industry, 6000, 10_000_000_000, 25_000_000_000, "430100", "HN-MACHINERY", ChainRole.Core),
        new("山河智能装备股份有限公司", Industry.Industry, 3000, 7_000_000_000, 18_000_000_000, "430100", "HN-MACHINERY", ChainRole.Core),
        new("中车株洲电力机车有限公司", Industry.Industry, 8000, 25_000_000_000, 40_000_000_000, "430200", "HN-MACHINERY", ChainRole.Core),
        new("长沙精工液压件有限公司", Industry.Industry, 95, 38_000_000, 26_000_000, "430100", "HN-MACHINERY", ChainRole.Upstream),
        new("长沙湘力焊接结构件有限公司", Industry.Industry, 15, 2_800_000, 1_500_000, "430100", "HN-MACHINERY", ChainRole.Upstream),
    ];

    private static readonly DemoProduct[] Products =
    [
        new("abc", "小龙虾产业链应收账款融资", ProductType.ReceivablesFinancing, 100_000, 5_000_000, 30, 180, 345, 450,
            ["HB-CRAYFISH"], [], ["420000"], Collateral.Receivable, RequiresConfirmedReceivable: true),
        new("abc", "仓单质押贷", ProductType.WarehouseReceiptPledge, 1_000_000, 30_000_000, 30, 180, 320, 450,
            [], [], ["420000", "430000"], Collateral.WarehouseReceipt),
        new("adbc", "香菇艾草收购贷", ProductType.InventoryPledge, 500_000, 20_000_000, 90, 365, 290, 420,
            ["HB-MUSHROOM", "HB-MUGWORT"], [], ["420000"], Collateral.Inventory),
        new("hbrcu", "茶农小额信用贷", ProductType.CreditLoan, 10_000, 500_000, 30, 365, 520, 600,
            ["HB-BRICKTEA"], [EnterpriseSize.Small, EnterpriseSize.Micro], ["421200"], Collateral.None),
        new("boc", "航空航天与汽车供应链订单融资", ProductType.OrderFinancing, 500_000, 30_000_000, 30, 270, 300, 480,
            ["HB-AEROSPACE", "HB-AUTO"], [], [], Collateral.None),
        new("boc", "链捷贷应收账款融资", ProductType.ReceivablesFinancing, 100_000, 10_000_000, 30, 180, 350, 520,
            [], [EnterpriseSize.Medium, EnterpriseSize.Small, EnterpriseSize.Micro], ["420000"], Collateral.Receivable),
        new("ccb", "集成电路与化工供应链票据贴现", ProductType.NoteDiscount, 50_000, 50_000_000, 7, 180, 250, 380,
            ["HB-IC", "HB-CHEM"], [], [], Collateral.Note),
        new("ccb", "普惠小微信用贷", ProductType.CreditLoan, 10_000, 3_000_000, 30, 365, 380, 600,
            [], [EnterpriseSize.Small, EnterpriseSize.Micro], ["420000"], Collateral.None),
        new("bocs", "工程机械产业链保理", ProductType.Factoring, 200_000, 20_000_000, 30, 360, 330, 500,
            ["HN-MACHINERY"], [], ["430000"], Collateral.Receivable, RequiresConfirmedReceivable: true),
    ];

    internal const string ProductExistsSql = "SELECT COUNT(*) FROM products WHERE institution_id = @InstitutionId AND name = @Name";
    internal const string ChainIdByCodeSql = "SELECT id FROM chains WHERE code = @Code";
    internal const string InstitutionIdByNameSql = "SELECT id FROM institutions WHERE name = @Name";
    internal const string EnterpriseIdByNameSql = "SELECT id FROM enterprises WHERE name = @Name";

    public async Task SeedAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var bankIds = new Dictionary<string, string>();
        for (var i = 0; i < Banks.Length; i++)
        {
            var bank = Banks[i];
            bankIds[bank.Key] = await EnsureInstitutionAsync(bank, i, cancellationToken);
        }

        var chainIds = new Dictionary<string, string>();
        foreach (var chain in Chains)
        {
            var existing = await db.QuerySingleOrDefaultAsync<string>(ChainIdByCodeSql, new { chain.Code }, cancellationToken);
            chainIds[chain.Code] = existing ?? (await chains.CreateAsync(
                new CreateChainRequest(chain.Code, chain.Name, chain.Category, chain.Region, "演示链长 " + Marker), Seeder, cancellationToken)).Id;
            await chains.PairLeadBankAsync(chainIds[chain.Code], bankIds[chain.LeadBank], Seeder, cancellationToken);
        }

        var enterpriseIds = new Dictionary<string, string>();
        for (var i = 0; i < Enterprises.Length; i++)
        {
            var e = Enterprises[i];
            var name = e.Name + Marker;
            var existing = await db.QuerySingleOrDefaultAsync<string>(EnterpriseIdByNameSql, new { Name = name }, cancellationToken);
            enterpriseIds[e.Name] = existing ?? (await enterprises.CreateAsync(new CreateEnterpriseRequest(
                name, DemoCreditCode(e.Region, 100 + i), e.Industry, e.Employees, e.RevenueYuan, e.AssetsYuan, e.Region,
                [new ChainMembershipRequest(chainIds[e.ChainCode], e.Role)]), Seeder, cancellationToken)).Id;
        }

        foreach (var product in Products)
        {
            await EnsureProductAsync(product, bankIds[product.Bank], chainIds, cancellationToken);
        }

        await output.WriteLineAsync($"DEMO DATA {Marker}: {Chains.Length} chains, {Banks.Length} banks, {Enterprises.Length} enterprises, {Products.Length} products (names marked {Marker}; credit codes fictional).");
        await PrintKeyAsync(output, "admin", Role.Admin, null, null, cancellationToken);
        await PrintKeyAsync(output, "regulator (central-bank branch)", Role.Regulator, null, null, cancellationToken);
        await PrintKeyAsync(output, $"bank {Banks[0].Name}", Role.Bank, bankIds["boc"], null, cancellationToken);
        await PrintKeyAsync(output, $"bank {Banks[1].Name}", Role.Bank, bankIds["abc"], null, cancellationToken);
        await PrintKeyAsync(output, "core enterprise 东湖汽车制造有限公司", Role.Enterprise, null, enterpriseIds["东湖汽车制造有限公司"], cancellationToken);
        await PrintKeyAsync(output, "SME 襄阳驰远汽车零部件有限公司", Role.Enterprise, null, enterpriseIds["襄阳驰远汽车零部件有限公司"], cancellationToken);
    }

    private async Task PrintKeyAsync(TextWriter output, string label, Role role, string? institutionId, string? enterpriseId, CancellationToken cancellationToken)
    {
        var (_, plain) = await keys.CreateAsync(role, $"demo {label}", institutionId, enterpriseId, Seeder.KeyId, "admin", cancellationToken);
        await output.WriteLineAsync($"  {role.ToString().ToLowerInvariant(),-10} {label}: {plain}");
    }

    private async Task EnsureProductAsync(DemoProduct product, string bankId, Dictionary<string, string> chainIds, CancellationToken cancellationToken)
    {
        var name = product.Name + Marker;
        if (await db.QuerySingleOrDefaultAsync<long>(ProductExistsSql, new { InstitutionId = bankId, Name = name }, cancellationToken) > 0)
        {
            return;
        }

        var bank = new Caller(Seeder.KeyId, Seeder.Name, Role.Bank, bankId, null);
        await products.CreateAsync(new ProductRequest(
            name, product.Type, product.MinYuan, product.MaxYuan, product.MinTermDays, product.MaxTermDays, product.MinRateBps, product.MaxRateBps,
            product.Collateral, product.ChainCodes.Select(c => chainIds[c]).ToList(), product.Sizes, product.Regions, product.RequiresConfirmedReceivable),
            bank, cancellationToken);
    }

    private async Task<string> EnsureInstitutionAsync(DemoBank bank, int index, CancellationToken cancellationToken)
    {
        var name = bank.Name + Marker;
        var existing = await db.QuerySingleOrDefaultAsync<string>(InstitutionIdByNameSql, new { Name = name }, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var id = Ids.New("ins");
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(InstitutionsApi.InsertSql, new
            {
                Id = id,
                Name = name,
                Kind = EnumText.Of(bank.Kind),
                CreditCode = DemoCreditCode(bank.Region, index + 1),
                bank.Region,
                CreatedAt = clock.GetCurrentInstant(),
            }, transaction);
            await audit.AppendAsync(transaction, Seeder, "institution.created", "institution", id, new { name, demo = true });
            return 0;
        }, cancellationToken);
        return id;
    }

    // 9 = registered with market regulation, 1 = company; a fictional organisation code; a valid check character.
    private static string DemoCreditCode(string region, int serial) =>
        CreditCode.Complete($"91{region}{(738_000_000 + serial).ToString(System.Globalization.CultureInfo.InvariantCulture)}").Value;
}
