using FinanceChain.Api.Keys;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using NodaTime;
using NodaTime.Testing;

namespace FinanceChain.Client.Tests;

/// <summary>The service in process on its own SQLite file with a fake clock, and generated clients that call it.</summary>
public sealed class ServiceUnderTest : WebApplicationFactory<Program>
{
    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), "financechain-client-tests", $"{Guid.NewGuid():N}.db");

    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 3, 16, 2, 0));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_databaseFile)!);
        builder.UseSetting("Database:Provider", "sqlite");
        builder.UseSetting("ConnectionStrings:FinanceChain", $"Data Source={_databaseFile}");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // No background work: the journey is all requests and answers.
        builder.UseSetting("Hangfire:Storage", "inMemory");
        builder.UseSetting("Hangfire:Server", "false");
        builder.UseSetting("Hangfire:CatchUp", "false");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IClock>();
            services.AddSingleton<IClock>(Clock);
        });
    }

    /// <summary>The first admin key, made in the store as <c>keys create</c> makes it.</summary>
    public async Task<string> CreateAdminKeyAsync()
    {
        var (_, plain) = await Services.GetRequiredService<KeyStore>().CreateAsync(Role.Admin, "integration admin", null, null, "test", "admin", CancellationToken.None);
        return plain;
    }

    /// <summary>A generated client that sends <paramref name="apiKey"/> in X-Api-Key (and Accept-Language when given).</summary>
    public FinanceChainClient ClientFor(string apiKey, string? language = null)
    {
        var http = CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        if (language is not null)
        {
            http.DefaultRequestHeaders.Add("Accept-Language", language);
        }

        // The document names no absolute server ("/": the service that served it), so the address is the adapter's.
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'),
        };
        return new FinanceChainClient(adapter);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
