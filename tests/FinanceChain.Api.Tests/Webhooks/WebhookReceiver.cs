using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FinanceChain.Api.Tests.Webhooks;

/// <summary>One POST the receiver got: its webhook headers and its body, exactly as sent.</summary>
public sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, string? ContentType, string Body);

/// <summary>
/// A bank's endpoint, for real: Kestrel on 127.0.0.1 on a free port. It answers each POST with the status that
/// <see cref="Status"/> gives for the call's number (1 = the first), after <see cref="Delay"/> if one is set.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public Func<int, HttpStatusCode> Status { get; set; } = _ => HttpStatusCode.NoContent;

    public TimeSpan Delay { get; set; }

    /// <summary>Calls being answered right now, and the most at any one time.</summary>
    public int InFlight => _inFlight;

    public int MaxInFlight => _maxInFlight;

    private int _inFlight;
    private int _maxInFlight;

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = address.TrimEnd('/') + "/hooks";
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var call = Interlocked.Increment(ref _calls);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = _maxInFlight) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers;
            Received.Enqueue(new ReceivedWebhook(headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], context.Request.ContentType, body));
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted);
            }

            return Results.StatusCode((int)Status(call));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Waits (polling, at most <paramref name="timeout"/>) until at least <paramref name="count"/> calls arrived.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        Assert.True(Received.Count >= count, $"Expected {count} webhook calls but got {Received.Count} within {timeout}.");
        return Received.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A resolver that answers from a table, so that no test depends on real DNS; it counts its calls per host.</summary>
public sealed class FakeDnsResolver : FinanceChain.Api.Webhooks.IWebhookDnsResolver
{
    private readonly ConcurrentDictionary<string, Func<int, IPAddress[]>> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Always answers <paramref name="addresses"/> for <paramref name="host"/>.</summary>
    public FakeDnsResolver Answer(string host, params string[] addresses) => Answer(host, _ => addresses);

    /// <summary>Answers by call number (1 = the first), e.g. a public address first and a private one later (DNS rebinding).</summary>
    public FakeDnsResolver Answer(string host, Func<int, string[]> addresses)
    {
        _answers[host] = call => addresses(call).Select(IPAddress.Parse).ToArray();
        return this;
    }

    public int Calls(string host) => _calls.GetValueOrDefault(host);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var call = _calls.AddOrUpdate(host, 1, (_, n) => n + 1);
        return _answers.TryGetValue(host, out var answer)
            ? Task.FromResult(answer(call))
            : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
    }
}
