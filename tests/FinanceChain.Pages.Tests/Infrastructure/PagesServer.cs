using FinanceChain.Api.Cli;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using NodaTime.Testing;

namespace FinanceChain.Pages.Tests.Infrastructure;

/// <summary>
/// The service on a real loopback port (so that a browser can reach it), on its own SQLite file, with the demo
/// data seeded at a fixed time: 1 December 2026, 10:00 in Shanghai, while 2026H2 is under way. Background jobs as in
/// the API tests: in-memory storage, no job server, no catch-up (the recurring job is registered all the same).
/// </summary>
public sealed class PagesServer : WebApplicationFactory<Program>
{
    public static readonly Instant Now = Instant.FromUtc(2026, 12, 1, 2, 0);

    private readonly IReadOnlyDictionary<string, string?> _settings;

    public PagesServer(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "financechain-tests");
        Directory.CreateDirectory(directory);
        DatabaseFile = Path.Combine(directory, $"{Guid.NewGuid():N}.db");
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public string DatabaseFile { get; }

    public FakeClock Clock { get; } = new(Now);

    /// <summary>The demo's keys by role, as <c>--demo</c> printed them (the first of each role).</summary>
    public IReadOnlyDictionary<Role, string> Keys { get; private set; } = new Dictionary<Role, string>();

    /// <summary>The demo's key of the person whose key line names <paramref name="words"/> (an enterprise's or bank's name).</summary>
    public string KeyOf(string words)
    {
        var line = DemoOutput.Split('\n').Select(l => l.TrimEnd())
            .First(l => l.Contains(": fc_", StringComparison.Ordinal) && l[..l.IndexOf(" (key name", StringComparison.Ordinal)].Contains(words, StringComparison.Ordinal));
        return line[(line.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
    }

    /// <summary>What <c>--demo</c> printed.</summary>
    public string DemoOutput { get; private set; } = "";

    /// <summary>Where the browser reaches the service, e.g. <c>http://127.0.0.1:41235</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts Kestrel on a free loopback port and seeds the demo.</summary>
    public async Task StartAsync()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        var output = new StringWriter();
        await CommandLine.SeedDemoAsync(Services, output);
        DemoOutput = output.ToString();
        Keys = DemoKeys(DemoOutput);
    }

    /// <summary>
    /// Asks once for the sign-in form, a desk and the API, so that building the endpoints and the pages' first
    /// rendering happen here, before any test starts its clock, not inside the first test's sign-in.
    /// </summary>
    public async Task WarmUpAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        foreach (var path in new[] { "/signin", "/roster", "/health/live" })
        {
            using var response = await client.GetAsync(path);
        }
    }

    /// <summary>The first key of each role in the demo's output: lines such as <c>  regulator  … : fc_…</c>.</summary>
    public static IReadOnlyDictionary<Role, string> DemoKeys(string output)
    {
        var keys = new Dictionary<Role, string>();
        foreach (var line in output.Split('\n').Select(l => l.TrimEnd()))
        {
            var word = line.TrimStart().Split(' ')[0];
            if (Enum.TryParse<Role>(word, ignoreCase: true, out var role) && line.Contains(": fc_", StringComparison.Ordinal))
            {
                keys.TryAdd(role, line[(line.LastIndexOf(": ", StringComparison.Ordinal) + 2)..]);
            }
        }

        return keys;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", "sqlite");
        builder.UseSetting("ConnectionStrings:FinanceChain", $"Data Source={DatabaseFile}");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Hangfire:Storage", "inMemory");
        builder.UseSetting("Hangfire:Server", "false");
        builder.UseSetting("Hangfire:CatchUp", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IClock>();
            services.AddSingleton<IClock>(Clock);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
