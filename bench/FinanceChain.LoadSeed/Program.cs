// Seeds a running FinanceChain service through its public API for the load benchmark, then writes the
// ids and keys the wrk scripts need. Usage: LoadSeed <baseUrl> <adminKey> <outDir> [products] [requests] [notes]
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;

using System.Text.Json.Nodes;

var baseUrl = new Uri(args[0]);
var adminKey = args[1];
var outDir = args[2];
var productCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10_000;
var requestCount = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100_000;
var noteCount = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 10_000;
const int Chains = 26, Banks = 20, SmesPerChain = 8;
var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };

HttpClient Client(string key)
{
    var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };
    client.DefaultRequestHeaders.Add("X-Api-Key", key);
    return client;
}

async Task<JsonNode> Send(HttpClient client, HttpMethod method, string path, object body, string? idempotencyKey = null)
{
    for (var attempt = 0; ; attempt++)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
        {
            return JsonNode.Parse(text)!;
        }

        if ((int)response.StatusCode is 429 or 503 && attempt < 20)
        {
            await Task.Delay(200);
            continue;
        }

        throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
}

string Id(JsonNode node) => node["id"]!.GetValue<string>();

string CreditCode(string region, int serial)
{
    const string charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    var first = $"91{region}{600_000_000 + serial}";
    var sum = first.Select((c, i) => charset.IndexOf(c) * weights[i]).Sum();
    return first + charset[(31 - sum % 31) % 31];
}

async Task ForAll(int count, int parallelism, Func<int, Task> work)
{
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, parallelism).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            await work(i);
        }
    }));
}

var admin = Client(adminKey);
var started = DateTime.UtcNow;
string[] regions = ["420100", "420500", "420600", "421300", "429005", "430100", "430200"];
string[] types = ["receivablesFinancing", "factoring", "orderFinancing", "inventoryPledge", "warehouseReceiptPledge", "prepaymentFinancing", "creditLoan"];
string[] sizes = ["medium", "small", "micro"];

var chainIds = new string[Chains];
var bankIds = new string[Banks];
var bankKeys = new string[Banks];
await ForAll(Chains, 8, async i => chainIds[i] = Id(await Send(admin, HttpMethod.Post, "/api/v1/chains",
    new { code = $"LOAD-{i:D2}-{started.Ticks % 100000}", name = $"负载测试产业链{i}", category = i < 10 ? "agriculture" : "manufacturing", region = regions[i % regions.Length] })));
await ForAll(Banks, 8, async i =>
{
    bankIds[i] = Id(await Send(admin, HttpMethod.Post, "/api/v1/institutions",
        new { name = $"负载测试银行{i}", kind = "jointStock", creditCode = CreditCode("420100", 10_000 + i + (int)(started.Ticks % 1000) * 1000), region = "420100" }));
    bankKeys[i] = (await Send(admin, HttpMethod.Post, "/api/v1/keys", new { role = "bank", name = $"load bank {i}", institutionId = bankIds[i] }))["key"]!.GetValue<string>();
});
await ForAll(Chains, 8, async i => await Send(admin, HttpMethod.Put, $"/api/v1/chains/{chainIds[i]}/lead-bank", new { institutionId = bankIds[i % Banks] }));

// One core enterprise and several SMEs per chain, each with its own key.
var enterprises = new ConcurrentBag<(int Chain, bool Core, string Id, string Key)>();
await ForAll(Chains * (SmesPerChain + 1), 8, async n =>
{
    var chain = n / (SmesPerChain + 1);
    var core = n % (SmesPerChain + 1) == 0;
    var region = regions[chain % regions.Length];
    var id = Id(await Send(admin, HttpMethod.Post, "/api/v1/enterprises", new
    {
        name = core ? $"负载测试核心企业{chain}" : $"负载测试供应商{n}",
        creditCode = CreditCode(region, 200_000 + n + (int)(started.Ticks % 1000) * 1000),
        industry = "industry",
        employees = core ? 5000 : 20 + n % 200,
        annualRevenue = core ? 9_000_000_000m : 3_000_000m + n * 100_000m,
        totalAssets = core ? 9_000_000_000m : 2_000_000m,
        region,
        chains = new[] { new { chainId = chainIds[chain], role = core ? "core" : "upstream" } },
    }));
    var key = (await Send(admin, HttpMethod.Post, "/api/v1/keys", new { role = "enterprise", name = $"load enterprise {n}", enterpriseId = id }))["key"]!.GetValue<string>();
    enterprises.Add((chain, core, id, key));
});
var smes = enterprises.Where(e => !e.Core).OrderBy(e => e.Id, StringComparer.Ordinal).ToArray();
var cores = enterprises.Where(e => e.Core).OrderBy(e => e.Chain).ToArray();
Console.WriteLine($"registry: {Chains} chains, {Banks} banks, {enterprises.Count} enterprises ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");

var random = new Random(42);
var productBodies = Enumerable.Range(0, productCount).Select(i =>
{
    var rate = 250 + random.Next(0, 351);
    var min = 10_000m * random.Next(1, 50);
    return (Bank: i % Banks, Body: (object)new
    {
        name = $"供应链产品{i}",
        type = types[random.Next(types.Length)],
        minAmount = min,
        maxAmount = min * random.Next(10, 200),
        minTermDays = 30,
        maxTermDays = 30 * random.Next(2, 13),
        minRateBps = rate,
        maxRateBps = rate + random.Next(0, 200),
        chainIds = random.Next(3) == 0 ? Array.Empty<string>() : new[] { chainIds[random.Next(Chains)] },
        enterpriseSizes = random.Next(2) == 0 ? Array.Empty<string>() : new[] { sizes[random.Next(sizes.Length)] },
        regions = random.Next(2) == 0 ? Array.Empty<string>() : new[] { regions[random.Next(regions.Length)][..2] + "0000" },
        collateral = random.Next(3) == 0 ? "receivable" : "none",
        requiresConfirmedReceivable = false,
    });
}).ToArray();
var bankClients = bankKeys.Select(Client).ToArray();
await ForAll(productCount, 16, async i => await Send(bankClients[productBodies[i].Bank], HttpMethod.Post, "/api/v1/products", productBodies[i].Body));
Console.WriteLine($"products: {productCount} ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");

var smeClients = smes.Select(s => Client(s.Key)).ToArray();
var requestIds = new string[requestCount];
await ForAll(requestCount, 16, async i =>
{
    var sme = i % smes.Length;
    requestIds[i] = Id(await Send(smeClients[sme], HttpMethod.Post, "/api/v1/financing-requests", new
    {
        chainId = chainIds[smes[sme].Chain],
        amount = 50_000m * (1 + i % 40),
        termDays = 90,
        purpose = "采购原材料",
        acceptableTypes = Array.Empty<string>(),
        collateralOffered = i % 2 == 0 ? new[] { "receivable" } : Array.Empty<string>(),
    }));
});
Console.WriteLine($"requests: {requestCount} ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");

var coreClients = cores.Select(c => Client(c.Key)).ToArray();
var notes = new (string Id, int Holder, int To)[noteCount];
var dueDate = DateTime.UtcNow.AddDays(150).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
await ForAll(noteCount, 16, async i =>
{
    var chain = i % Chains;
    var payees = smes.Select((s, index) => (s, index)).Where(p => p.s.Chain == chain).ToArray();
    var holder = payees[i / Chains % payees.Length].index;
    var to = payees[(i / Chains + 1) % payees.Length].index;
    var note = await Send(coreClients[chain], HttpMethod.Post, "/api/v1/notes", new { payeeId = smes[holder].Id, amount = 1_000_000m, dueDate }, $"seed-note-{started.Ticks}-{i}");
    notes[i] = (Id(note), holder, to);
});
Console.WriteLine($"notes: {noteCount} ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");

// A narrow bank: one product for one chain's micro enterprises of up to 100,000 yuan, which few requests fit, so
// that its inbox must be found without reading every request; and the product updated by the product-update scenario.
var narrowKey = "";
var narrowProduct = "";
var narrowBody = new
{
    name = "窄口径产品",
    type = "creditLoan",
    minAmount = 50_000m,
    maxAmount = 100_000m,
    minTermDays = 30,
    maxTermDays = 360,
    minRateBps = 420,
    maxRateBps = 600,
    chainIds = new[] { chainIds[0] },
    enterpriseSizes = new[] { "micro" },
    regions = Array.Empty<string>(),
    collateral = "none",
    requiresConfirmedReceivable = false,
};
{
    var narrowBank = Id(await Send(admin, HttpMethod.Post, "/api/v1/institutions",
        new { name = "负载测试窄口径银行", kind = "cityCommercial", creditCode = CreditCode("420100", 90_000 + (int)(started.Ticks % 1000) * 1000), region = "420100" }));
    narrowKey = (await Send(admin, HttpMethod.Post, "/api/v1/keys", new { role = "bank", name = "load narrow bank", institutionId = narrowBank }))["key"]!.GetValue<string>();
    narrowProduct = Id(await Send(Client(narrowKey), HttpMethod.Post, "/api/v1/products", narrowBody));
}

Directory.CreateDirectory(outDir);
await File.WriteAllTextAsync(Path.Combine(outDir, "narrow.key"), narrowKey);
await File.WriteAllTextAsync(Path.Combine(outDir, "wide.key"), bankKeys[0]);
await File.WriteAllTextAsync(Path.Combine(outDir, "narrow-product.txt"), narrowProduct);
await File.WriteAllTextAsync(Path.Combine(outDir, "narrow-product.json"), System.Text.Json.JsonSerializer.Serialize(narrowBody));
var regulatorKey = (await Send(admin, HttpMethod.Post, "/api/v1/keys", new { role = "regulator", name = "load regulator" }))["key"]!.GetValue<string>();
await File.WriteAllTextAsync(Path.Combine(outDir, "regulator.key"), regulatorKey);
await File.WriteAllLinesAsync(Path.Combine(outDir, "requests.txt"), requestIds.Take(20_000));
await File.WriteAllLinesAsync(Path.Combine(outDir, "transfers.txt"), notes.Select(n => $"{n.Id} {smes[n.Holder].Key} {smes[n.To].Id}"));
await File.WriteAllLinesAsync(Path.Combine(outDir, "posters.txt"), smes.Select(s => $"{s.Key} {chainIds[s.Chain]}"));
Console.WriteLine($"seeded in {(DateTime.UtcNow - started).TotalSeconds:F0} s");
