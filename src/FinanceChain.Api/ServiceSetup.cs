using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Chains;
using FinanceChain.Api.Database;
using FinanceChain.Api.Enterprises;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Idempotency;
using FinanceChain.Api.Institutions;
using FinanceChain.Api.Keys;
using FinanceChain.Api.Localization;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Operations;
using FinanceChain.Api.Pages;
using FinanceChain.Api.Products;
using FinanceChain.Api.Receivables;
using FinanceChain.Api.Roster;
using FinanceChain.Api.Webhooks;
using Microsoft.AspNetCore.Http.Json;
using NodaTime;
using Scalar.AspNetCore;

namespace FinanceChain.Api;

/// <summary>What the service is made of, feature by feature; Program.cs only calls these two.</summary>
public static class ServiceSetup
{
    public static WebApplicationBuilder AddFinanceChain(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment())
        {
            // Readable lines for a person at a terminal; JSON, one object a line, for log collectors elsewhere.
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }

        // One line per request is the framework's information level; the service's own lines stay.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);

        services.AddOptions<DatabaseOptions>().Bind(builder.Configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton<Db>();
        services.AddSingleton<ChangeCounters>();
        services.AddSingleton<Migrator>();
        TypeHandlers.Register();

        services.AddLanguages();
        services.Configure<JsonOptions>(o => JsonSetup.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton<Problems>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddValidation();
        services.AddFinanceChainOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [OperationsApi.ReadyTag]);
        services.AddRolePolicies();
        services.AddRequestLimits(builder.Configuration);

        services.AddSingleton<AuditLog>();
        services.AddSingleton<KeyStore>();
        services.AddSingleton<ChainStore>();
        services.AddSingleton<EnterpriseStore>();
        services.AddSingleton<BankRelations>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<ReceivableStore>();
        services.AddSingleton<NoteStore>();
        services.AddNoteMaturity(builder.Configuration);
        services.AddSingleton<IRosterActivity, RosterActivity>();
        services.AddSingleton<RosterStore>();
        services.AddSingleton<RosterDownloads>();
        services.AddRosterJobs(builder.Configuration);
        services.AddPages(builder.Configuration);

        services.AddOptions<MatchingOptions>().Bind(builder.Configuration.GetSection(MatchingOptions.Section))
            .Validate(o => o.RequestLifetimeDays is >= 1 and <= 3650, "Matching:RequestLifetimeDays must lie between 1 and 3650.")
            .ValidateOnStart();
        services.AddSingleton<ProductStore>();
        services.AddSingleton<MatchingIndexCache>();
        services.AddSingleton<RequestIndexCache>();
        services.AddSingleton<BankInbox>();
        services.AddSingleton<NewlyMatchedRequests>();
        services.AddSingleton<FinancingRequestStore>();
        services.AddSingleton<OfferStore>();
        services.AddTransient<RequestExpiryJob>();
        services.AddSingleton<IRecurringJobSchedule, RequestExpirySchedule>();
        // Matching's seams, answered by the notes and receivables tables.
        services.AddSingleton<IRequestBacking, NoteRequestBacking>();
        services.AddSingleton<IOfferSettlement, NoteOfferSettlement>();
        services.AddWebhooks(builder.Configuration);
        return builder;
    }

    public static WebApplication UseFinanceChain(this WebApplication app)
    {
        // First, so that problem details written by the outer middleware are in the caller's language too.
        app.UseRequestLocalization();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePageStatusPages();
        app.UsePageFiles();
        // Routing after the status pages, so that a page's 403 or 404 re-executed as /error/{code} finds its page.
        app.UseRouting();
        app.UseRequestBodyLimit();
        app.UseHeaderLimits();
        // Before authentication: a GET reads the change counters once, for the key check and the indexes alike.
        ChangeCounters.UseCounterReadingPerRequest(app);
        // Authentication first: the rate limiter keys a valid caller by its key id, anyone else by address.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseJobsDashboardAccess();

        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("FinanceChain API").DisableDefaultFonts());
        app.MapOperations();
        app.MapKeys();
        app.MapMe();
        app.MapChains();
        app.MapInstitutions();
        app.MapEnterprises();
        app.MapProducts();
        app.MapFinancingRequests();
        app.MapOffers();
        app.MapBankInbox();
        app.MapAudit();
        app.MapReceivables();
        app.MapNotes();
        app.MapRosters();
        app.MapRosterJobsDashboard();
        app.MapWebhooks();
        app.MapPages();
        return app;
    }
}
