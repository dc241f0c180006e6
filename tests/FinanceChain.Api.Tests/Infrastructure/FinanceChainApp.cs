using System.Net.Http.Headers;
using FinanceChain.Api.Keys;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using NodaTime.Testing;

namespace FinanceChain.Api.Tests.Infrastructure;

/// <summary>
/// The service in process on its own SQLite file (or on SQL Server when a connection string is given),
/// with a fake clock. Several instances may share one database file, as several service processes would.
/// </summary>
public sealed class FinanceChainApp : WebApplicationFactory<Program>
{
    public static readonly Instant DefaultNow = Instant.FromUtc(2026, 3, 16, 2, 0);

    private readonly string _provider;
    private readonly string _connectionString;
    private readonly Dictionary<string, string?> _settings;

    public FinanceChainApp(string? databaseFile = null, FakeClock? clock = null, string provider = "sqlite", string? connectionString = null, IDictionary<string, string?>? settings = null)
    {
        _provider = provider;
        DatabaseFile = databaseFile ?? NewDatabaseFile();
        _connectionString = connectionString ?? $"Data Source={DatabaseFile}";
        Clock = clock ?? new FakeClock(DefaultNow);
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
    }

    public string DatabaseFile { get; }

    public FakeClock Clock { get; }

    public static string NewDatabaseFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "financechain-tests");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{Guid.NewGuid():N}.db");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", _provider);
        builder.UseSetting("ConnectionStrings:FinanceChain", _connectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
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

    /// <summary>Creates a key straight in the store (as the CLI does) and returns its secret.</summary>
    public async Task<string> CreateKeyAsync(Role role, string? institutionId = null, string? enterpriseId = null, string name = "test")
    {
        var store = Services.GetRequiredService<KeyStore>();
        var (_, plain) = await store.CreateAsync(role, name, institutionId, enterpriseId, "test", "admin", CancellationToken.None);
        return plain;
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async Task<HttpClient> ClientAsync(Role role, string? institutionId = null, string? enterpriseId = null) =>
        ClientWithKey(await CreateKeyAsync(role, institutionId, enterpriseId));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _provider == "sqlite")
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
