using Dapper;

namespace FinanceChain.Api.Database;

/// <summary>The change counters that the in-memory copies of each instance are checked against, as read together.</summary>
/// <param name="Keys">The <c>keys</c> counter: moves with every API key created, revoked or changed (migration 0020).</param>
/// <param name="Products">The <c>products</c> counter (<c>ProductChanges</c>).</param>
/// <param name="Requests">The <c>requests</c> counter (migration 0019).</param>
public readonly record struct CounterReading(long Keys, long Products, long Requests);

/// <summary>
/// Reads every change counter in one query. Within one safe HTTP request (GET or HEAD, see
/// <see cref="UseCounterReadingPerRequest"/>) the first reading is kept and given to every later caller of the same
/// request: the key check and the matching index then cost one round trip together, not one each.
/// </summary>
/// <remarks>
/// Reusing a reading taken earlier in the same request is exact: everything committed before the request began is in
/// it, and a change committing while the request runs is concurrent with it, so either order is a correct answer.
/// What would not be exact is a request reading its own writes through an older reading, so <see cref="Db"/> forgets
/// the flow's reading whenever the flow begins or ends a write transaction.
/// </remarks>
public sealed class ChangeCounters(Db db)
{
    internal const string ReadAllSql = "SELECT name AS Name, value AS Value FROM change_counters WHERE name IN ('keys', 'products', 'requests')";

    private static readonly AsyncLocal<FlowReading?> Flow = new();

    /// <summary>The counters now, or as read earlier in the same safe HTTP request.</summary>
    public async ValueTask<CounterReading> ReadAsync(CancellationToken cancellationToken)
    {
        var flow = Flow.Value;
        if (flow?.Reading is { } kept)
        {
            return kept;
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CounterRow>(new CommandDefinition(ReadAllSql, cancellationToken: cancellationToken));
        long keys = 0, products = 0, requests = 0;
        foreach (var row in rows)
        {
            switch (row.Name)
            {
                case "keys": keys = row.Value; break;
                case "products": products = row.Value; break;
                case "requests": requests = row.Value; break;
            }
        }

        var reading = new CounterReading(keys, products, requests);
        if (flow is not null)
        {
            flow.Reading = reading;
        }

        return reading;
    }

    /// <summary>Keeps the first reading of each GET or HEAD request for the rest of it. Put it before authentication.</summary>
    public static IApplicationBuilder UseCounterReadingPerRequest(IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            // An async lambda: the flow value set here is seen by what it awaits and restored for its caller.
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                KeepFirstReading();
            }
            else
            {
                Flow.Value = null;
            }

            await next(context);
        });

    /// <summary>From now on in the current asynchronous flow, the first reading is kept for the later ones.</summary>
    internal static void KeepFirstReading() => Flow.Value = new FlowReading();

    /// <summary>Drops the current flow's kept reading, so that its next read goes to the database.</summary>
    internal static void ForgetFlowReading()
    {
        if (Flow.Value is { } flow)
        {
            flow.Reading = null;
        }
    }

    private sealed class FlowReading
    {
        public CounterReading? Reading { get; set; }
    }

    private sealed class CounterRow
    {
        public string Name { get; set; } = "";
        public long Value { get; set; }
    }
}
