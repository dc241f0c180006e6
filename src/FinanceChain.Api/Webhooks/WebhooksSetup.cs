using Hangfire;

namespace FinanceChain.Api.Webhooks;

/// <summary>Webhooks: options, the SSRF-guarded HTTP client, the outbox, the dispatcher and its Hangfire sweep.</summary>
public static class WebhooksSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.TimeoutSeconds is >= 1 and <= 60, "Webhooks:TimeoutSeconds must lie between 1 and 60.")
            .ValidateOnStart();
        services.AddKeyRing(configuration);
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<IWebhookDnsResolver, SystemDnsResolver>();
        services.AddSingleton<WebhookAddressGuard>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookOutbox>();
        services.AddTransient<WebhookDispatcher>();

        // The dispatcher sets each attempt's timeout itself. No proxy, no redirects, no cookies: the connection goes
        // to an address the guard checked, and a redirect would be a way around it.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<WebhookAddressGuard>().ConnectAsync,
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });

        services.AddHostedService<WebhookJobsStartup>();
        return services;
    }
}

/// <summary>Registers the sweep that delivers whatever is due, every minute.</summary>
public sealed class WebhookJobsStartup(IRecurringJobManagerV2 recurringJobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        WebhookDispatcher.RegisterSweep(recurringJobs);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
