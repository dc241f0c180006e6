using FinanceChain.Api.Auth;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Idempotency;
using FinanceChain.Domain;
using FinanceChain.Domain.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace FinanceChain.Api.Webhooks;

/// <summary>The services the webhook endpoints use.</summary>
public sealed record WebhookServices(WebhookStore Store, WebhookAddressGuard Guard, WebhookOutbox Outbox, IOptions<JsonOptions> Json);

/// <summary>
/// Webhook subscriptions and their delivery logs. Banks and enterprises manage their own; another tenant's are a 404.
/// Admin and regulator may read every subscription and delivery log (never a secret) but change none (403).
/// </summary>
public static class WebhooksApi
{
    /// <summary>The most event types one request may list (repeats included).</summary>
    public const int MaxEventsListed = 50;

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization();
        var bankOrEnterprise = new Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder>(p => p.RequireRole("bank", "enterprise"));

        group.MapPost("/", CreateWebhookAsync).RequireAuthorization(bankOrEnterprise)
            .WithSummary("Subscribe the caller's bank or enterprise to event types at an https URL (bank, enterprise). The signing secret is in this response only.")
            .ProducesStandardErrors(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyEndpoints.HeaderName,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "Any string up to 100 characters. A retry with the same key and body returns the first response " +
                        "(the same subscription and secret) and creates nothing; the same key with another body is a 422.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyEndpoints.MaxKeyLength },
                });
                return Task.CompletedTask;
            });
        group.MapGet("/", ListWebhooksAsync)
            .WithSummary("The caller's subscriptions (bank, enterprise); every subscription for admin and regulator. Never the secrets.")
            .ProducesStandardErrors();
        group.MapGet("/{id}", GetWebhookAsync)
            .WithSummary("One subscription: its owner, admin and regulator.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", DeleteWebhookAsync).RequireAuthorization(bankOrEnterprise)
            .WithSummary("Delete one of the caller's subscriptions (bank, enterprise): nothing more is delivered to it; its pending deliveries are cancelled.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/deliveries", ListDeliveriesAsync)
            .WithSummary("The subscription's deliveries, newest first, optionally of one status (pending, delivering, delivered, failed): attempts, last response code, next attempt.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/deliveries/{deliveryId}/retry", RetryDeliveryAsync).RequireAuthorization(bankOrEnterprise)
            .WithSummary("Send a delivery again now, with the same webhook-id, and retry it for 24 hours if it fails (bank, enterprise). Retrying re-enables a disabled subscription.")
            .ProducesStandardErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Created<WebhookCreatedResponse>> CreateWebhookAsync(
        CreateWebhookRequest request, HttpContext http, [AsParameters] WebhookServices services, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var tenant = WebhookTenant.Of(caller) ?? throw new InvalidOperationException("Only banks and enterprises subscribe.");
        var idempotency = IdempotencyOf(http, request, services.Json.Value);

        var errors = new Dictionary<string, FieldError[]>();
        var events = CheckEvents(request.Events, errors);
        if (await services.Guard.CheckUrlAsync(request.Url, cancellationToken) is { } urlError)
        {
            errors["url"] = [urlError];
        }

        if (errors.Count > 0)
        {
            throw new FieldValidationException(errors);
        }

        var (created, replayed) = await services.Store.CreateAsync(tenant, caller, request.Url, events, idempotency, cancellationToken);
        if (replayed)
        {
            http.Response.Headers[IdempotencyEndpoints.ReplayedHeaderName] = "true";
        }

        return TypedResults.Created($"/api/v1/webhooks/{created.Id}", created);
    }

    public static async Task<Ok<Page<WebhookResponse>>> ListWebhooksAsync(HttpContext http, WebhookStore store, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var page = PageRequest.From(limit, cursor);
        return TypedResults.Ok(await store.ListAsync(caller.SeesEverything ? null : WebhookTenant.Of(caller)!.Value.Id, page, cancellationToken));
    }

    public static async Task<Ok<WebhookResponse>> GetWebhookAsync(string id, HttpContext http, WebhookStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await VisibleAsync(id, Caller.From(http.User), store, cancellationToken));

    public static async Task<NoContent> DeleteWebhookAsync(string id, HttpContext http, WebhookStore store, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        await store.DeleteAsync(id, WebhookTenant.Of(caller)!.Value, caller, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<Page<WebhookDeliveryResponse>>> ListDeliveriesAsync(
        string id, HttpContext http, WebhookStore store, string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = PageRequest.From(limit, cursor);
        var deliveryStatus = string.IsNullOrEmpty(status) ? (WebhookDeliveryStatus?)null : ParseStatus(status);
        await VisibleAsync(id, Caller.From(http.User), store, cancellationToken);
        return TypedResults.Ok(await store.ListDeliveriesAsync(id, deliveryStatus, page, cancellationToken));
    }

    public static async Task<Accepted<WebhookDeliveryResponse>> RetryDeliveryAsync(
        string id, string deliveryId, HttpContext http, WebhookStore store, WebhookOutbox outbox, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        await VisibleAsync(id, caller, store, cancellationToken);
        var delivery = await store.RetryAsync(id, deliveryId, caller, cancellationToken);
        outbox.DispatchNow(deliveryId);
        return TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries?status=pending", delivery);
    }

    /// <summary>The subscription if the caller may see it: its own tenant's, or any for admin and regulator; otherwise 404.</summary>
    private static async Task<WebhookResponse> VisibleAsync(string id, Caller caller, WebhookStore store, CancellationToken cancellationToken)
    {
        var subscription = EntityIdAttribute.IsWellFormed(id) ? await store.GetAsync(id, cancellationToken) : null;
        if (subscription is null || !(caller.SeesEverything || (subscription.InstitutionId ?? subscription.EnterpriseId) == WebhookTenant.Of(caller)?.Id))
        {
            throw new NotFoundException("webhook");
        }

        return subscription;
    }

    /// <summary>The distinct, known event types, in alphabetical order; errors go to <paramref name="errors"/> under <c>events</c>.</summary>
    private static IReadOnlyList<string> CheckEvents(IReadOnlyList<string?>? events, Dictionary<string, FieldError[]> errors)
    {
        if (events is null || events.Count == 0)
        {
            errors["events"] = [new FieldError(WebhookCodes.EventsRequired)];
            return [];
        }

        if (events.Count > MaxEventsListed)
        {
            errors["events"] = [new FieldError(WebhookCodes.EventsTooMany, MaxEventsListed)];
            return [];
        }

        var unknown = events.Where(e => !WebhookEventTypes.IsKnown(e)).Distinct(StringComparer.Ordinal)
            .Select(e => new FieldError(WebhookCodes.EventUnknown, e ?? "null", string.Join(", ", WebhookEventTypes.All)))
            .ToArray();
        if (unknown.Length > 0)
        {
            errors["events"] = unknown;
            return [];
        }

        return events.Select(e => e!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static WebhookIdempotency? IdempotencyOf(HttpContext http, CreateWebhookRequest request, JsonOptions json)
    {
        if (!http.Request.Headers.TryGetValue(IdempotencyEndpoints.HeaderName, out var values))
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrWhiteSpace(key) || key.Length > IdempotencyEndpoints.MaxKeyLength)
        {
            throw new FieldValidationException(IdempotencyEndpoints.ErrorField, WebhookCodes.IdempotencyKeyInvalid, IdempotencyEndpoints.MaxKeyLength);
        }

        var scope = IdempotencyEndpoints.Scope((http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "", http.Request.RouteValues);
        return new WebhookIdempotency(
            IdempotencyEndpoints.ScopedKey(http.Request.Method, scope, key),
            IdempotencyEndpoints.RequestHash(request, json.SerializerOptions));
    }

    private static WebhookDeliveryStatus ParseStatus(string text)
    {
        foreach (var value in Enum.GetValues<WebhookDeliveryStatus>())
        {
            if (string.Equals(Database.EnumText.Of(value), text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw new FieldValidationException("status", WebhookCodes.DeliveryStatusUnknown, string.Join(", ", Enum.GetValues<WebhookDeliveryStatus>().Select(Database.EnumText.Of)));
    }
}
