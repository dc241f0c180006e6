using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace FinanceChain.Api.Tests.Webhooks;

/// <summary>
/// Two banks, two enterprises, admin and regulator, each with a key, on a service whose DNS answers from
/// <see cref="Dns"/>. With <c>allowPrivate</c> the SSRF guard is lifted, so that a receiver on 127.0.0.1 can be used.
/// </summary>
public sealed class WebhookWorld : IAsyncLifetime
{
    /// <summary>A public-looking host the fake DNS answers with a public address (no test ever connects to it).</summary>
    public const string PublicHost = "hooks.bank-a.example";
    public const string PublicUrl = "https://" + PublicHost + "/financechain";

    public WebhookWorld(bool allowPrivate = false, string? databaseFile = null, IDictionary<string, string?>? settings = null)
    {
        Dns = new FakeDnsResolver().Answer(PublicHost, "8.8.8.8");
        var all = new Dictionary<string, string?> { ["Webhooks:AllowPrivateAddresses"] = allowPrivate ? "true" : "false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        App = new FinanceChainApp(databaseFile: databaseFile, settings: all, configureServices: services =>
        {
            services.RemoveAll<IWebhookDnsResolver>();
            services.AddSingleton<IWebhookDnsResolver>(Dns);
        });
    }

    public FakeDnsResolver Dns { get; }
    public FinanceChainApp App { get; }
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Regulator { get; private set; } = null!;
    public HttpClient BankA { get; private set; } = null!;
    public HttpClient BankB { get; private set; } = null!;
    public HttpClient EnterpriseA { get; private set; } = null!;
    public HttpClient EnterpriseB { get; private set; } = null!;
    public string BankAId { get; private set; } = "";
    public string BankBId { get; private set; } = "";
    public string EnterpriseAId { get; private set; } = "";
    public string EnterpriseBId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Admin = await App.ClientAsync(Role.Admin);
        Regulator = await App.ClientAsync(Role.Regulator);
        BankAId = await Admin.CreateInstitutionAsync();
        BankBId = await Admin.CreateInstitutionAsync();
        EnterpriseAId = await Admin.CreateEnterpriseAsync();
        EnterpriseBId = await Admin.CreateEnterpriseAsync();
        BankA = await App.ClientAsync(Role.Bank, institutionId: BankAId);
        BankB = await App.ClientAsync(Role.Bank, institutionId: BankBId);
        EnterpriseA = await App.ClientAsync(Role.Enterprise, enterpriseId: EnterpriseAId);
        EnterpriseB = await App.ClientAsync(Role.Enterprise, enterpriseId: EnterpriseBId);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }

    public WebhookDispatcher Dispatcher => App.Services.GetRequiredService<WebhookDispatcher>();

    /// <summary>Subscribes and returns the 201 body (with the secret).</summary>
    public static async Task<JsonNode> SubscribeAsync(HttpClient client, string url, params string[] events) =>
        await (await client.PostAsJsonAsync("/api/v1/webhooks", new { url, events })).ExpectAsync(HttpStatusCode.Created);

    /// <summary>
    /// The tiny test-only use of the outbox: a change (an audit entry) and its event in one transaction, committed.
    /// Returns the event id, or null when nobody subscribed.
    /// </summary>
    public async Task<string?> RecordAsync(string type, IReadOnlyCollection<string> recipients, object data, bool commit = true)
    {
        var db = App.Services.GetRequiredService<Db>();
        var outbox = App.Services.GetRequiredService<WebhookOutbox>();
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(db.Dialect.WriteIsolation);
        await connection.ExecuteAsync(
            "INSERT INTO audit_log (at, actor, role, action, entity_type, entity_id, details) VALUES (@At, 'test', 'admin', 'test.change', 'test', 'x', '{}')",
            new { At = App.Clock.GetCurrentInstant() }, transaction);
        var id = await outbox.RecordAsync(connection, transaction, new WebhookEvent(type, recipients, data));
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }

        return id;
    }

    public async Task<JsonNode> DeliveriesAsync(HttpClient client, string subscriptionId) =>
        await (await client.GetAsync($"/api/v1/webhooks/{subscriptionId}/deliveries")).ExpectAsync(HttpStatusCode.OK);

    public async Task<JsonNode> DeliveryAsync(HttpClient client, string subscriptionId, string eventId) =>
        (await DeliveriesAsync(client, subscriptionId))["items"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == eventId)!;

    public async Task<long> CountAsync(string table)
    {
        var db = App.Services.GetRequiredService<Db>();
        return (await db.QueryAsync<long>($"SELECT COUNT(*) FROM {table}")).Single();
    }

    public void Advance(Duration by) => App.Clock.Advance(by);
}
