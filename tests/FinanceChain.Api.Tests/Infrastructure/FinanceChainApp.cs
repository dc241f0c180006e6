using System.Net.Http.Headers;
using FinanceChain.Api.Database;
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
/// Without a file named, the app gets a new file copied from <see cref="SqliteTemplate"/> (already migrated);
/// a named file, such as <see cref="NewDatabaseFile"/>'s, is opened as it is and migrated by the app.
/// </summary>
public sealed class FinanceChainApp : WebApplicationFactory<Program>
{
    public static readonly Instant DefaultNow = Instant.FromUtc(2026, 3, 16, 2, 0);

    private readonly string _provider;
    private readonly string _connectionString;
    private readonly Dictionary<string, string?> _settings;

    /// <summary>
    /// Background jobs in tests: in-memory Hangfire storage, no Hangfire server processing jobs and no roster
    /// catch-up at start-up, unless a test's <c>settings</c> say otherwise. The recurring job is still registered.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> DefaultSettings = new Dictionary<string, string?>
    {
        ["Hangfire:Storage"] = "inMemory",
        ["Hangfire:Server"] = "false",
        ["Hangfire:CatchUp"] = "false",
    };

    private readonly Action<IServiceCollection>? _configureServices;
    private readonly Action? _onDisposed;

    public FinanceChainApp(
        string? databaseFile = null,
        FakeClock? clock = null,
        string provider = "sqlite",
        string? connectionString = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        Action? onDisposed = null)
    {
        _provider = provider;
        DatabaseFile = databaseFile ?? NewDatabaseFile();
        _connectionString = connectionString ?? $"Data Source={DatabaseFile}";
        Clock = clock ?? new FakeClock(DefaultNow);
        _settings = new Dictionary<string, string?>(DefaultSettings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        _configureServices = configureServices;
        _onDisposed = onDisposed;

        // A fresh database of its own, already migrated: a copy of the template instead of migrating anew. A file
        // the test names (a restart, a second instance, a migration test) is used as it is, empty or not.
        if (databaseFile is null && connectionString is null && provider == "sqlite"
            && !_settings.ContainsKey("Database:Provider") && !_settings.ContainsKey($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}"))
        {
            SqliteTemplate.CopyTo(DatabaseFile);
        }
    }

    /// <summary>The provider the service runs on: <c>sqlite</c> or <c>sqlserver</c>.</summary>
    public string Provider => _provider;

    /// <summary>
    /// A second service instance on the same database (as a second process would be), with the same clock unless
    /// another is given.
    /// </summary>
    public FinanceChainApp Another(FakeClock? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null) =>
        new(DatabaseFile, clock ?? Clock, _provider, _connectionString, settings, configureServices);

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
            _configureServices?.Invoke(services);
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

        if (disposing)
        {
            _onDisposed?.Invoke();
        }
    }
}
