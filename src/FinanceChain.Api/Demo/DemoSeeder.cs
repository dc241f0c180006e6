using System.Globalization;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Chains;
using FinanceChain.Api.Database;
using FinanceChain.Api.Enterprises;
using FinanceChain.Api.Institutions;
using FinanceChain.Api.Keys;
using FinanceChain.Api.Localization;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Products;
using FinanceChain.Api.Receivables;
using FinanceChain.Api.Roster;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain;
using Microsoft.Extensions.Options;
using NodaTime;

namespace FinanceChain.Api.Demo;

/// <summary>
/// DEMO DATA. Seeds the first 8 Hubei key chains of the financial chain-chief scheme and Hunan's
/// engineering-machinery chain, with banks, core enterprises and SMEs. Which bank leads which chain is a
/// demo pairing (the source does not publish it); credit codes are fictional but valid; every name
/// carries "(演示)". The banks post a few products (chain-specific and general, 2.50–6.00 %/yr; illustrative
/// terms, not the banks' real ones).
/// </summary>
/// <remarks>
/// <para>
/// So that the review desk and the dashboard have something to show, the demo also plays the last half-year
/// through, with the clock set back: the registry is created at its start and that half-year's roster is
/// published; then financing is requested, offered and accepted, notes are issued, passed on, discounted and paid,
/// a receivable is confirmed and factored, one chain changes its lead bank, a chain and a core enterprise are added,
/// and one core enterprise dishonours a note presented at maturity. A little happens in the half-year under way too.
/// Finally the current half-year's draft roster is compiled, with its flags, for the central-bank branch to review.
/// </para>
/// <para>
/// Seeding is done once: on a database that already holds the demo, it adds nothing but fresh keys, and says so.
/// </para>
/// </remarks>
public sealed class DemoSeeder(Db db, KeyStore keys, IClock clock, MatchingIndexCache index, IOptions<MatchingOptions> matching, TextCatalog texts,
    WebhookOutbox outbox)
{
    public const string Marker = "(演示)";

    private const string SeederKeyId = "demo-seed";

    private static readonly Caller Seeder = new(SeederKeyId, "demo seed", Role.Admin, null, null);
    private static readonly Caller Regulator = new(SeederKeyId, "demo seed", Role.Regulator, null, null);

    private sealed record DemoBank(string Key, string Name, InstitutionKind Kind, string Region);
    private sealed record DemoChain(string Code, string Name, ChainCategory Category, string Region, string LeadBank);
    private sealed record DemoProduct(
        string Bank, string Name, ProductType Type, decimal MinYuan, decimal MaxYuan, int MinTermDays, int MaxTermDays, int MinRateBps, int MaxRateBps,
        string[] ChainCodes, EnterpriseSize[] Sizes, string[] Regions, Collateral Collateral, bool RequiresConfirmedReceivable = false);

    private sealed record DemoEnterprise(string Name, Industry Industry, int Employees, long RevenueYuan, long AssetsYuan, string Region, string ChainCode, ChainRole Role);

    /// <summary>A key the demo prints: its role, the words on its line, the key's name and what it is bound to.</summary>
    private sealed record DemoKey(Role Role, string Label, string Name, string? Bank = null, string? Enterprise = null);

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

    /// <summary>A chain registered during the last half-year, after its roster was published, and not yet paired.</summary>
    private static readonly DemoChain NewChain = new("HB-OPTO", "光电子信息", ChainCategory.Emerging, "420100", "");

    /// <summary>A core enterprise that joined the automobile chain during the last half-year.</summary>
    private static readonly DemoEnterprise NewCore =
        new("武汉东风零部件集团有限公司", Industry.Industry, 4200, 16_000_000_000, 21_000_000_000, "420100", "HB-AUTO", ChainRole.Core);

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

    private static readonly DemoKey[] Keys =
    [
        new(Role.Admin, "admin (industry department)", "省经信厅 产业链专班" + Marker),
        new(Role.Regulator, "regulator (central-bank branch)", "人民银行湖北省分行 名录审核" + Marker),
        new(Role.Bank, "bank 中国银行湖北省分行", "中国银行湖北省分行 普惠金融部" + Marker, Bank: "boc"),
        new(Role.Bank, "bank 中国农业银行湖北省分行", "中国农业银行湖北省分行 乡村振兴金融部" + Marker, Bank: "abc"),
        new(Role.Enterprise, "core enterprise 东湖汽车制造有限公司", "东湖汽车制造 财务部" + Marker, Enterprise: "东湖汽车制造有限公司"),
        new(Role.Enterprise, "SME 襄阳驰远汽车零部件有限公司", "襄阳驰远 财务部" + Marker, Enterprise: "襄阳驰远汽车零部件有限公司"),
        // The automobile chain's dealer, to whom the SME passes notes on; and an SME of another chain, who sees none of it.
        new(Role.Enterprise, "SME 武汉通达汽车销售服务有限公司", "武汉通达 财务部" + Marker, Enterprise: "武汉通达汽车销售服务有限公司"),
        new(Role.Enterprise, "SME 长沙湘力焊接结构件有限公司", "长沙湘力 财务部" + Marker, Enterprise: "长沙湘力焊接结构件有限公司"),
    ];

    internal const string ChainIdByCodeSql = "SELECT id FROM chains WHERE code = @Code";
    internal const string InstitutionIdByNameSql = "SELECT id FROM institutions WHERE name = @Name";
    internal const string EnterpriseIdByNameSql = "SELECT id FROM enterprises WHERE name = @Name";

    public async Task SeedAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var existing = await db.QuerySingleOrDefaultAsync<string>(InstitutionIdByNameSql, new { Name = Banks[0].Name + Marker }, cancellationToken);
        if (existing is not null)
        {
            await output.WriteLineAsync($"DEMO DATA {Marker}: already in this database; nothing added. Fresh keys for the demo's people:");
        }
        else
        {
            await new DemoStory(db, clock, index, matching, texts, outbox).PlayAsync(cancellationToken);
            await output.WriteLineAsync(
                $"DEMO DATA {Marker}: {Chains.Length + 1} chains, {Banks.Length} banks, {Enterprises.Length + 1} enterprises, {Products.Length} products, " +
                $"the last half-year's financing and notes, its published roster and this half-year's draft for review " +
                $"(names marked {Marker}; credit codes fictional).");
        }

        await PrintKeysAsync(output, cancellationToken);
    }

    private async Task PrintKeysAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("Keys (shown once; sign in with one at /signin, or send it as X-Api-Key):");
        foreach (var key in Keys)
        {
            var institutionId = key.Bank is null ? null
                : await db.QuerySingleOrDefaultAsync<string>(InstitutionIdByNameSql, new { Name = Banks.Single(b => b.Key == key.Bank).Name + Marker }, cancellationToken);
            var enterpriseId = key.Enterprise is null ? null
                : await db.QuerySingleOrDefaultAsync<string>(EnterpriseIdByNameSql, new { Name = key.Enterprise + Marker }, cancellationToken);
            var (row, plain) = await keys.CreateAsync(key.Role, key.Name, institutionId, enterpriseId, SeederKeyId, "admin", cancellationToken);
            var boundTo = key.Bank is not null ? $", for {Banks.Single(b => b.Key == key.Bank).Name}{Marker}" : key.Enterprise is not null ? $", for {key.Enterprise}{Marker}" : "";
            await output.WriteLineAsync($"  {row.Role,-10} {key.Label} (key name {row.Name}{boundTo}): {plain}");
        }
    }

    // 9 = registered with market regulation, 1 = company; a fictional organisation code; a valid check character.
    private static string DemoCreditCode(string region, int serial) =>
        CreditCode.Complete($"91{region}{(738_000_000 + serial).ToString(CultureInfo.InvariantCulture)}").Value;

    /// <summary>A clock the demo moves by hand, so that what it plays happened when the story says.</summary>
    private sealed class DemoClock(Instant start) : IClock
    {
        public Instant Now { get; set; } = start;

        public Instant GetCurrentInstant() => Now;
    }

    /// <summary>
    /// The half-year just ended and the one under way, played through the service's own stores (so every rule, audit
    /// entry and note range is as if people had done it), each store on the demo's clock.
    /// </summary>
    private sealed class DemoStory
    {
        private readonly Db _db;
        private readonly Instant _now;
        private readonly DemoClock _clock;
        private readonly AuditLog _audit;
        private readonly ChainStore _chains;
        private readonly EnterpriseStore _enterprises;
        private readonly ProductStore _products;
        private readonly ReceivableStore _receivables;
        private readonly NoteStore _notes;
        private readonly FinancingRequestStore _requests;
        private readonly OfferStore _offers;
        private readonly RosterStore _rosters;
        private readonly Dictionary<string, string> _bankIds = [];
        private readonly Dictionary<string, string> _chainIds = [];
        private readonly Dictionary<string, string> _enterpriseIds = [];
        private readonly Dictionary<string, string> _productIds = [];
        private readonly HalfYear _current;
        private readonly HalfYear _previous;
        private readonly NoteMaturityStore _maturity;

        public DemoStory(Db db, IClock realClock, MatchingIndexCache index, IOptions<MatchingOptions> matching, TextCatalog texts, WebhookOutbox outbox)
        {
            _db = db;
            _now = realClock.GetCurrentInstant();
            _current = RosterSchedule.LastScheduledStart(_now);
            _previous = _current.Previous;
            _clock = new DemoClock(_now);
            _audit = new AuditLog(_clock);
            _chains = new ChainStore(db, _audit, _clock);
            _enterprises = new EnterpriseStore(db, _audit, _clock);
            _products = new ProductStore(db, _audit, _clock, outbox);
            _receivables = new ReceivableStore(db, _audit, _clock, outbox);
            _notes = new NoteStore(db, _audit, _receivables, BusinessCalendar.China, _clock, outbox);
            _maturity = new NoteMaturityStore(db, _notes, _audit, BusinessCalendar.China, Options.Create(new NoteOptions()), _clock);
            _requests = new FinancingRequestStore(db, _audit, _clock, matching, new NoteRequestBacking(db, _clock), index, texts, outbox);
            _offers = new OfferStore(db, _audit, _clock, _requests, new NoteOfferSettlement(_notes, _receivables), BusinessCalendar.China, outbox);
            _rosters = new RosterStore(db, _audit, _clock, new RosterActivity(db));
        }

        public async Task PlayAsync(CancellationToken ct)
        {
            // The last half-year: the registry at its start, and its roster published.
            At(_previous, day: 2, hour: 9);
            await RegistryAsync(ct);
            At(_previous, day: 2, hour: 15);
            await _rosters.CompileAsync(_previous, RosterActor.From(Seeder), ct);
            At(_previous, day: 3, hour: 10);
            await _rosters.ApproveAsync(_previous, "演示：首期名录审核通过。", null, RosterActor.From(Regulator), ct);

            await LastHalfYearAsync(ct);
            await ThisHalfYearAsync(ct);

            // Today: the draft of the half-year under way, for the central-bank branch to review.
            _clock.Now = _now;
            await _rosters.CompileAsync(_current, RosterActor.From(Seeder), ct);
        }

        private async Task RegistryAsync(CancellationToken ct)
        {
            for (var i = 0; i < Banks.Length; i++)
            {
                _bankIds[Banks[i].Key] = await CreateInstitutionAsync(Banks[i], i, ct);
            }

            foreach (var chain in Chains)
            {
                _chainIds[chain.Code] = await CreateChainAsync(chain, ct);
                await _chains.PairLeadBankAsync(_chainIds[chain.Code], _bankIds[chain.LeadBank], Seeder, ct);
            }

            for (var i = 0; i < Enterprises.Length; i++)
            {
                await CreateEnterpriseAsync(Enterprises[i], 100 + i, ct);
            }

            foreach (var product in Products)
            {
                var bank = new Caller(SeederKeyId, "demo seed", Role.Bank, _bankIds[product.Bank], null);
                var created = await _products.CreateAsync(new ProductRequest(
                    product.Name + Marker, product.Type, product.MinYuan, product.MaxYuan, product.MinTermDays, product.MaxTermDays, product.MinRateBps, product.MaxRateBps,
                    product.Collateral, product.ChainCodes.Select(c => _chainIds[c]).ToList(), product.Sizes, product.Regions, product.RequiresConfirmedReceivable),
                    bank, ct);
                _productIds[product.Name] = created.Id;
            }
        }

        private async Task LastHalfYearAsync(CancellationToken ct)
        {
            var p = _previous;

            // Automobiles: two suppliers' orders financed by the lead bank; a note issued, passed on and paid at maturity.
            At(p, 12);
            await FinanceAsync("襄阳驰远汽车零部件有限公司", "HB-AUTO", 3_000_000m, 90, "发动机缸体订单备料", "航空航天与汽车供应链订单融资", 365,
                [ProductType.OrderFinancing], [Collateral.None], ct);
            At(p, 25);
            await FinanceAsync("武汉通达汽车销售服务有限公司", "HB-AUTO", 1_200_000m, 120, "整车采购周转", "航空航天与汽车供应链订单融资", 380,
                [ProductType.OrderFinancing], [Collateral.None], ct);
            At(p, 18);
            var autoNote = await IssueNoteAsync("东湖汽车制造有限公司", "襄阳驰远汽车零部件有限公司", 2_000_000m, DayOf(p, 108), ct);
            At(p, 40);
            await PassOnAsync(autoNote, "襄阳驰远汽车零部件有限公司", "武汉通达汽车销售服务有限公司", 800_000m, ct);
            At(p, 108, hour: 10);
            await SettleAsync(autoNote, "东湖汽车制造有限公司", ct);

            // Crayfish: a warehouse-receipt loan from the lead bank.
            At(p, 33);
            await FinanceAsync("潜江市田园小龙虾养殖专业合作社", "HB-CRAYFISH", 2_000_000m, 120, "小龙虾冷库仓单质押", "仓单质押贷", 360,
                [ProductType.WarehouseReceiptPledge], [Collateral.WarehouseReceipt], ct);

            // Brick tea: a small credit loan for tea growers.
            At(p, 47);
            await FinanceAsync("赤壁羊楼洞茶叶种植合作社", "HB-BRICKTEA", 300_000m, 180, "春茶收购", "茶农小额信用贷", 550,
                [ProductType.CreditLoan], [Collateral.None], ct);

            // Integrated circuits: the core enterprise's note passed on, part discounted at the lead bank, paid at maturity.
            At(p, 15);
            var icNote = await IssueNoteAsync("武汉芯谷存储科技有限公司", "武汉晶源封装测试有限公司", 3_000_000m, DayOf(p, 150), ct);
            At(p, 30);
            await PassOnAsync(icNote, "武汉晶源封装测试有限公司", "武汉星河复合材料有限公司", 500_000m, ct);
            At(p, 52);
            await DiscountAsync(icNote, "武汉晶源封装测试有限公司", "HB-IC", 2_000_000m, DayOf(p, 150), 300, ct);
            At(p, 150, hour: 10);
            await SettleAsync(icNote, "武汉芯谷存储科技有限公司", ct);

            // Chemicals: a note partly discounted; at maturity both holders present it and the core enterprise
            // dishonours both presentments, which the reviewer sees on the current draft.
            At(p, 40);
            var chemNote = await IssueNoteAsync("宜昌三峡化工集团有限公司", "宜昌磷源矿业有限公司", 1_500_000m, DayOf(p, 130), ct);
            At(p, 61);
            await DiscountAsync(chemNote, "宜昌磷源矿业有限公司", "HB-CHEM", 600_000m, DayOf(p, 130), 320, ct);
            At(p, 130, hour: 9);
            var bySupplier = await _maturity.PresentAsync(chemNote, EnterpriseCaller("宜昌磷源矿业有限公司"), ct);
            var byBank = await _maturity.PresentAsync(chemNote, BankCaller(Chains.Single(c => c.Code == "HB-CHEM").LeadBank), ct);
            At(p, 131, hour: 16);
            await _maturity.DishonourAsync(chemNote, bySupplier.Id, new DishonourRequest("资金周转困难，暂无法兑付"), EnterpriseCaller("宜昌三峡化工集团有限公司"), ct);
            await _maturity.DishonourAsync(chemNote, byBank.Id, new DishonourRequest("资金周转困难，暂无法兑付"), EnterpriseCaller("宜昌三峡化工集团有限公司"), ct);

            // Engineering machinery: a receivable confirmed by 三一 and factored at the lead bank.
            At(p, 20);
            var receivable = await _receivables.RegisterAsync(
                new RegisterReceivableRequest(_enterpriseIds["三一重工股份有限公司"], 1_500_000m, DayOf(p, 170), [InvoiceNumber(p, 1)]),
                EnterpriseCaller("长沙精工液压件有限公司"), ct);
            At(p, 22);
            await _receivables.ConfirmAsync(receivable.Id, EnterpriseCaller("三一重工股份有限公司"), ct);
            At(p, 30);
            await FinanceAsync("长沙精工液压件有限公司", "HN-MACHINERY", 1_200_000m, 120, "液压件应收账款保理", "工程机械产业链保理", 420,
                [ProductType.Factoring], [Collateral.Receivable], ct, receivableId: receivable.Id);

            // Requests no product fits: below the mushroom chain's minimum, and a welding shop's loan outside any product.
            At(p, 70);
            await RequestAsync("随县菇农种植有限公司", "HB-MUSHROOM", 200_000m, 90, "香菇烘干设备", [ProductType.InventoryPledge], [Collateral.Inventory], ct);
            At(p, 95);
            await RequestAsync("长沙湘力焊接结构件有限公司", "HN-MACHINERY", 50_000m, 60, "焊材采购", [ProductType.CreditLoan], [Collateral.None], ct);

            // The registry changes after the published roster: a new chain (no lead bank yet), a new core enterprise,
            // and the aerospace chain's lead bank moves to 建设银行.
            At(p, 80);
            _chainIds[NewChain.Code] = await CreateChainAsync(NewChain, ct);
            await CreateEnterpriseAsync(NewCore, 150, ct);
            At(p, 90);
            await _chains.PairLeadBankAsync(_chainIds["HB-AEROSPACE"], _bankIds["ccb"], Seeder, ct);
        }

        private async Task ThisHalfYearAsync(CancellationToken ct)
        {
            // Whatever part of the half-year under way has passed, a little happens in it.
            Between(0.2);
            await FinanceAsync("襄阳驰远汽车零部件有限公司", "HB-AUTO", 2_500_000m, 90, "新车型模具订单", "航空航天与汽车供应链订单融资", 355,
                [ProductType.OrderFinancing], [Collateral.None], ct);
            Between(0.3);
            // Due a month from today: not yet due, so it is no reviewer's concern.
            var note = await IssueNoteAsync("东湖汽车制造有限公司", "襄阳驰远汽车零部件有限公司", 1_000_000m, DateOf(_now).PlusDays(30), ct);
            Between(0.4);
            await PassOnAsync(note, "襄阳驰远汽车零部件有限公司", "武汉通达汽车销售服务有限公司", 300_000m, ct);
            Between(0.5);
            await RequestAsync("随县菇农种植有限公司", "HB-MUSHROOM", 150_000m, 60, "菌棒采购", [ProductType.InventoryPledge], [Collateral.Inventory], ct);
        }

        private async Task<string> CreateInstitutionAsync(DemoBank bank, int index, CancellationToken ct)
        {
            var id = Ids.New("ins");
            var name = bank.Name + Marker;
            await _db.InTransactionAsync(async (connection, transaction) =>
            {
                await connection.ExecuteAsync(InstitutionsApi.InsertSql, new
                {
                    Id = id,
                    Name = name,
                    Kind = EnumText.Of(bank.Kind),
                    CreditCode = DemoCreditCode(bank.Region, index + 1),
                    bank.Region,
                    CreatedAt = _clock.Now,
                }, transaction);
                await _audit.AppendAsync(transaction, Seeder, "institution.created", "institution", id, new { name, demo = true });
                return 0;
            }, ct);
            return id;
        }

        private async Task<string> CreateChainAsync(DemoChain chain, CancellationToken ct) =>
            (await _chains.CreateAsync(new CreateChainRequest(chain.Code, chain.Name, chain.Category, chain.Region, "演示链长 " + Marker), Seeder, ct)).Id;

        private async Task CreateEnterpriseAsync(DemoEnterprise e, int serial, CancellationToken ct) =>
            _enterpriseIds[e.Name] = (await _enterprises.CreateAsync(new CreateEnterpriseRequest(
                e.Name + Marker, DemoCreditCode(e.Region, serial), e.Industry, e.Employees, e.RevenueYuan, e.AssetsYuan, e.Region,
                [new ChainMembershipRequest(_chainIds[e.ChainCode], e.Role)]), Seeder, ct)).Id;

        private async Task<string> RequestAsync(
            string enterprise, string chain, decimal amount, int termDays, string purpose, ProductType[] types, Collateral[] collateral, CancellationToken ct,
            string? receivableId = null, string? noteId = null) =>
            (await _requests.CreateAsync(
                new NewFinancingRequest(_chainIds[chain], amount, termDays, purpose + Marker, types, collateral, null, receivableId, noteId),
                EnterpriseCaller(enterprise), ct)).Id;

        /// <summary>
        /// A request, the lead bank's offer on it an hour later and its acceptance <paramref name="acceptAfter"/> after
        /// the offer (default: the next morning).
        /// </summary>
        private async Task FinanceAsync(
            string enterprise, string chain, decimal amount, int termDays, string purpose, string product, int rateBps,
            ProductType[] types, Collateral[] collateral, CancellationToken ct, string? receivableId = null, string? noteId = null, Duration? acceptAfter = null)
        {
            var request = await RequestAsync(enterprise, chain, amount, termDays, purpose, types, collateral, ct, receivableId, noteId);
            var bank = BankCaller(Products.Single(p => p.Name == product).Bank);
            _clock.Now += Duration.FromHours(1);
            var offer = await _offers.CreateAsync(request, new NewOffer(_productIds[product], amount, rateBps, termDays), bank, ct);
            _clock.Now += acceptAfter ?? Duration.FromHours(20);
            await _offers.AcceptAsync(offer.Id, EnterpriseCaller(enterprise), ct);
        }

        /// <summary>A holder's note discounted at the lead bank through matching: its term runs to the note's due date.</summary>
        private Task DiscountAsync(string noteId, string holder, string chain, decimal amount, LocalDate dueDate, int rateBps, CancellationToken ct)
        {
            // Offer and acceptance fall on the same business day, so the term is the days left to the day the note
            // pays (the next business day when it falls due on a holiday).
            var days = DiscountInterest.Days(DateOf(_clock.Now), dueDate, BusinessCalendar.China);
            var product = Products.Single(p => p.Type == ProductType.NoteDiscount).Name;
            return FinanceAsync(holder, chain, amount, days, "供应链票据贴现", product, rateBps, [ProductType.NoteDiscount], [Collateral.Note], ct,
                noteId: noteId, acceptAfter: Duration.FromHours(2));
        }

        private async Task<string> IssueNoteAsync(string acceptor, string payee, decimal amount, LocalDate dueDate, CancellationToken ct) =>
            (await _notes.IssueAsync(new CreateNoteRequest(_enterpriseIds[payee], amount, dueDate), EnterpriseCaller(acceptor), ct)).Id;

        private Task PassOnAsync(string noteId, string from, string to, decimal amount, CancellationToken ct) =>
            _notes.TransferAsync(noteId, new TransferNoteRequest(_enterpriseIds[to], amount), EnterpriseCaller(from), ct);

        private Task SettleAsync(string noteId, string acceptor, CancellationToken ct) =>
            _maturity.SettleAsync(noteId, EnterpriseCaller(acceptor), ct);

        private Caller EnterpriseCaller(string name) => new(SeederKeyId, "demo seed", Role.Enterprise, null, _enterpriseIds[name]);

        private Caller BankCaller(string key) => new(SeederKeyId, "demo seed", Role.Bank, _bankIds[key], null);

        /// <summary>Sets the clock to a day of the half-year (day 1 is its first), at an hour in Shanghai.</summary>
        private void At(HalfYear period, int day, int hour = 9) =>
            _clock.Now = DayOf(period, day).At(new LocalTime(hour, 0)).InZoneLeniently(Formats.Shanghai).ToInstant();

        /// <summary>Sets the clock to a fraction of the time from the start of the half-year under way until now.</summary>
        private void Between(double fraction)
        {
            var start = _current.StartInstant(Formats.Shanghai);
            _clock.Now = start + Duration.FromTicks((long)((_now - start).TotalTicks * fraction));
        }

        private static LocalDate DayOf(HalfYear period, int day) => period.Start.PlusDays(day - 1);

        private static LocalDate DateOf(Instant instant) => instant.InZone(Formats.Shanghai).Date;

        // A fully electronic invoice number (数电票): 20 digits, fictional.
        private static string InvoiceNumber(HalfYear period, int serial) =>
            string.Create(CultureInfo.InvariantCulture, $"{period.Year % 100:D2}42{serial:D16}");
    }

}
