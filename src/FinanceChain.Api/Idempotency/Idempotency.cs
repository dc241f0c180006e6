using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace FinanceChain.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> for endpoints that create something (as in the IETF Idempotency-Key draft):
/// <code>
/// group.MapPost("/", CreateNoteAsync).WithIdempotency();
/// </code>
/// </summary>
/// <remarks>
/// <para>For authenticated endpoints: the key space is the caller's API key. The header is optional; a
/// request without it runs normally. A key is at most 100 characters
/// (otherwise 400 keyed <c>idempotency-key</c>).</para>
/// <para>Scope: a key belongs to the API key that sent it (<c>owner</c> = the caller's key id) and to the
/// endpoint's route template and route values (<c>POST api/v1/notes/{id}/transfers?id=nte_1</c>), whatever the
/// spelling of the URL: the same key on another route or another note is another request. The stored <c>idem_key</c> is the SHA-256 of
/// the scope and the client's key, so it fits the column whatever the path.</para>
/// <para>Fingerprint: the SHA-256 of the canonical JSON of the bound request body (object members sorted
/// by name, numbers without trailing zeros), so <c>{"amount":1.50,"payeeId":"x"}</c> and
/// <c>{"payeeId":"x","amount":1.5}</c> are the same request.</para>
/// <para>Outcomes: the first request inserts a row with no status ("in progress", under a 60-second lease) and
/// runs inside one shared transaction (<see cref="Database.Db.SharedTransaction"/>). On a 2xx its status,
/// <c>Location</c> and body are written into that same transaction, which then commits: the change and the
/// response that answers it are stored together or not at all. On any other status or an exception the
/// transaction rolls back and the row is deleted, so that the client can retry with the same key at once. A
/// later request with the same key and fingerprint gets the stored response again (same status, body and
/// <c>Location</c>, plus <c>Idempotent-Replayed: true</c>) and changes nothing; while the first is in progress
/// it gets a 409; with another fingerprint a 422.</para>
/// <para>A request that dies (the process is killed) leaves its row in progress with nothing committed; once its
/// lease has run out a retry takes the key over and runs, creating exactly one thing
/// (<see cref="IdempotencyStore"/>). Everything is in the <c>idempotency_keys</c> table, so it holds across service
/// instances.</para>
/// </remarks>
public static class IdempotencyEndpoints
{
    /// <summary>The request header.</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary>The response header set on a replayed response.</summary>
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    /// <summary>The key of a bad header in a validation problem (header names are case-insensitive).</summary>
    public const string ErrorField = "idempotency-key";

    /// <summary>The longest key accepted.</summary>
    public const int MaxKeyLength = 100;

    /// <summary>Makes the endpoint honour <c>Idempotency-Key</c> (see <see cref="IdempotencyEndpoints"/>).</summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder)
    {
        builder.AddEndpointFilter<IdempotencyFilter>();
        builder.ProducesProblem(StatusCodes.Status409Conflict);
        builder.ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = HeaderName,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Any string up to 100 characters. A retry with the same key and body returns the first response " +
                    "and changes nothing; the same key with another body is a 422; a retry while the first request runs is a 409.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = MaxKeyLength },
            });
            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>The stored key: SHA-256 (hex) of the method, path and the client's key.</summary>
    internal static string ScopedKey(string method, string path, string key) =>
        Sha256Hex($"{method.ToUpperInvariant()} {path}\n{key}");

    /// <summary>
    /// The scope of a key: the route template and its values, not the raw path, so that
    /// <c>/API/v1/Notes/</c> and <c>/api/v1/notes</c> (the same endpoint to the router) share one key space.
    /// </summary>
    internal static string Scope(string routeTemplate, IEnumerable<KeyValuePair<string, object?>> routeValues)
    {
        var values = routeValues
            .OrderBy(v => v.Key, StringComparer.OrdinalIgnoreCase)
            .Select(v => $"{v.Key.ToLowerInvariant()}={Convert.ToString(v.Value, CultureInfo.InvariantCulture)?.Trim().ToLowerInvariant()}");
        return routeTemplate.Trim('/').ToLowerInvariant() + "?" + string.Join("&", values);
    }

    /// <summary>SHA-256 (hex) of the canonical JSON of <paramref name="body"/> (null when there is none).</summary>
    internal static string RequestHash(object? body, JsonSerializerOptions options)
    {
        var node = body is null ? null : JsonSerializer.SerializeToNode(body, body.GetType(), options);
        var canonical = new StringBuilder();
        WriteCanonical(node, canonical);
        return Sha256Hex(canonical.ToString());
    }

    private static void WriteCanonical(JsonNode? node, StringBuilder output)
    {
        switch (node)
        {
            case null:
                output.Append("null");
                break;
            case JsonObject obj:
                output.Append('{');
                var first = true;
                foreach (var (name, member) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        output.Append(',');
                    }

                    first = false;
                    output.Append(JsonSerializer.Serialize(name)).Append(':');
                    WriteCanonical(member, output);
                }

                output.Append('}');
                break;
            case JsonArray array:
                output.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Append(',');
                    }

                    WriteCanonical(array[i], output);
                }

                output.Append(']');
                break;
            default:
                var value = node.AsValue();
                if (value.GetValueKind() == JsonValueKind.Number
                    && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    // 1.50 and 1.5 are the same amount.
                    output.Append(number.ToString("G29", CultureInfo.InvariantCulture));
                }
                else
                {
                    output.Append(value.ToJsonString());
                }

                break;
        }
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>The endpoint filter behind <see cref="IdempotencyEndpoints.WithIdempotency"/>.</summary>
internal sealed class IdempotencyFilter(IdempotencyStore store, Database.Db db, IOptions<JsonOptions> json) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotencyEndpoints.HeaderName, out var values))
        {
            return await next(context);
        }

        var clientKey = values.Count == 1 ? values[0] ?? "" : "";
        if (string.IsNullOrWhiteSpace(clientKey) || clientKey.Length > IdempotencyEndpoints.MaxKeyLength)
        {
            throw new FieldValidationException(IdempotencyEndpoints.ErrorField, IdempotencyCodes.KeyInvalid, IdempotencyEndpoints.MaxKeyLength);
        }

        var owner = Caller.From(http.User).KeyId;
        var key = IdempotencyEndpoints.ScopedKey(http.Request.Method, RouteScope(http), clientKey);
        var hash = IdempotencyEndpoints.RequestHash(BoundBody(context), json.Value.SerializerOptions);

        var claim = await store.BeginAsync(owner, key, hash, http.RequestAborted);
        if (claim.Replay is { } stored)
        {
            return new ReplayResult(stored);
        }

        var lease = claim.LeaseToken!;

        // From here the key is "in progress": every way out commits the change with its response, or rolls the
        // change back and releases the key. The response is recorded before anything is sent, so a client that
        // hangs up mid-response still finds it on its retry.
        var response = await RunCommittingResponseAsync(context, next, owner, key, lease);
        if (response.StatusCode is not (>= 200 and < 300))
        {
            // Not a success: whatever the handler changed was rolled back with the shared transaction.
            await store.ReleaseAsync(owner, key, lease, CancellationToken.None);
        }

        return new CapturedResult(response.Body);
    }

    /// <summary>
    /// Runs the handler in a shared transaction and commits its change with its response (a 2xx), or rolls it back.
    /// A transaction that loses to contention (deadlock victim, busy database) is rolled back and the handler run
    /// again, a few times, as <see cref="Database.Db.InTransactionAsync{T}"/> does for a single transaction.
    /// </summary>
    private async Task<StoredResponse> RunCommittingResponseAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string owner, string key, string lease)
    {
        var http = context.HttpContext;
        for (var attempt = 1; ; attempt++)
        {
            var shared = db.BeginShared();
            try
            {
                var result = await next(context);
                var response = await CaptureAsync(http, result as IResult ?? TypedResults.Ok(result));
                if (response.StatusCode is >= 200 and < 300)
                {
                    await shared.RunAsync(
                        async (_, transaction) =>
                        {
                            await IdempotencyStore.CompleteAsync(transaction, owner, key, lease, response);
                            return 0;
                        },
                        CancellationToken.None);
                    await shared.CommitAsync(CancellationToken.None);
                }

                return response;
            }
            catch (DbException e) when (attempt < MaxAttempts && db.Dialect.IsTransient(e) && !http.Response.HasStarted)
            {
                await shared.DisposeAsync();
                http.Response.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * Random.Shared.Next(1, 4)), CancellationToken.None);
            }
            catch
            {
                await shared.DisposeAsync();
                await store.ReleaseAsync(owner, key, lease, CancellationToken.None);
                throw;
            }
            finally
            {
                await shared.DisposeAsync();
            }
        }
    }

    private const int MaxAttempts = 3;

    private static string RouteScope(HttpContext http) =>
        IdempotencyEndpoints.Scope(
            (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "",
            http.Request.RouteValues);

    /// <summary>The argument bound from the JSON body, if the endpoint has one.</summary>
    private static object? BoundBody(EndpointFilterInvocationContext context)
    {
        var bodyType = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        return bodyType is null ? null : context.Arguments.FirstOrDefault(a => a is not null && bodyType.IsInstanceOfType(a));
    }

    /// <summary>
    /// Runs the result into a buffer (status and headers go to the real response, the body is kept), so
    /// that exactly what the client gets can be stored for replay before any of it is sent.
    /// </summary>
    private static async Task<StoredResponse> CaptureAsync(HttpContext http, IResult result)
    {
        var response = http.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await result.ExecuteAsync(http);
        }
        finally
        {
            response.Body = original;
        }

        var body = Encoding.UTF8.GetString(buffer.ToArray());
        return new StoredResponse(response.StatusCode, response.Headers.Location.ToString() is { Length: > 0 } location ? location : null, body);
    }

    /// <summary>Sends the captured body; status and headers are already on the response.</summary>
    private sealed class CapturedResult(string body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            if (body.Length == 0)
            {
                return;
            }

            try
            {
                await httpContext.Response.WriteAsync(body, Encoding.UTF8, httpContext.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client is gone; the outcome is recorded and a retry with its key will get it.
            }
        }
    }

    private sealed class ReplayResult(StoredResponse stored) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = stored.StatusCode;
            response.Headers[IdempotencyEndpoints.ReplayedHeaderName] = "true";
            if (stored.Location is not null)
            {
                response.Headers.Location = stored.Location;
            }

            if (stored.Body.Length == 0)
            {
                return Task.CompletedTask;
            }

            response.ContentType = "application/json; charset=utf-8";
            return response.WriteAsync(stored.Body, Encoding.UTF8, httpContext.RequestAborted);
        }
    }
}
