using System.Security.Claims;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Domain;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;

namespace FinanceChain.Api.Roster;

/// <summary>
/// Who may do what in the jobs dashboard at <c>/hangfire</c>, in front of Hangfire's own routes:
/// <list type="bullet">
/// <item>nobody signed in: a browser goes to the sign-in page (and comes back); a wrong <c>X-Api-Key</c> is a 401;</item>
/// <item>bank and enterprise: 403;</item>
/// <item>regulator: reads everything (also the counters the page's script posts for at <c>/stats</c>); every command (any
///   other POST: trigger, remove, requeue, delete) is a 403 and changes nothing;</item>
/// <item>admin: everything, and each command that Hangfire carried out is written to the audit trail
///   (<c>jobs.recurringTriggered</c>, <c>jobs.recurringRemoved</c>, <c>jobs.requeued</c>, <c>jobs.deleted</c> or
///   <c>jobs.command</c>; entity <c>job</c>, id the job's id), with the admin's key as actor.</item>
/// </list>
/// </summary>
public sealed class JobsDashboardAccess(RequestDelegate next)
{
    private const string JobsField = "jobs[]";
    private const string StatsPath = "/stats";

    /// <summary>Only admin changes jobs; the regulator's dashboard is read-only.</summary>
    public static bool MayChangeJobs(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(EnumText.Of(Role.Admin));
    }

    /// <summary>Admin and regulator may open the dashboard.</summary>
    public static bool MayRead(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(EnumText.Of(Role.Admin)) || user.IsInRole(EnumText.Of(Role.Regulator));
    }

    public async Task InvokeAsync(HttpContext http, Db db, AuditLog audit)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.User.FindFirst(Caller.KeyIdClaim) is null)
        {
            if (http.Request.Headers.ContainsKey(ApiKeyAuthentication.Header))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            // The session scheme answers with a redirect to /signin?returnUrl=… .
            await http.ChallengeAsync(SessionAuthentication.SchemeName);
            return;
        }

        var command = IsCommand(http.Request);
        if (!MayRead(http.User) || (command && !MayChangeJobs(http.User)))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!command)
        {
            await next(http);
            return;
        }

        // Read the form first (Hangfire reads the same buffered form), run the command, audit what it did.
        var jobs = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))[JobsField].ToArray() : [];
        await next(http);
        if (http.Response.StatusCode is >= 200 and < 300)
        {
            await AuditAsync(http, db, audit, jobs);
        }
    }

    /// <summary>
    /// Whether a dashboard request changes jobs: every POST but <c>/stats</c>, which the page's script posts every few
    /// seconds to read its counters.
    /// </summary>
    public static bool IsCommand(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        return !(request.Path.StartsWithSegments(RosterJobs.DashboardPath, StringComparison.OrdinalIgnoreCase, out var rest)
            && rest.Equals(StatsPath, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The audit action of a dashboard command path such as <c>/recurring/trigger</c> or <c>/jobs/failed/requeue</c>.</summary>
    public static string ActionOf(string commandPath)
    {
        ArgumentNullException.ThrowIfNull(commandPath);
        var path = commandPath.TrimEnd('/');
        return path switch
        {
            "/recurring/trigger" => "jobs.recurringTriggered",
            "/recurring/remove" => "jobs.recurringRemoved",
            _ when path.EndsWith("/requeue", StringComparison.Ordinal) || path.Contains("/requeue/", StringComparison.Ordinal) => "jobs.requeued",
            _ when path.EndsWith("/delete", StringComparison.Ordinal) || path.Contains("/delete/", StringComparison.Ordinal) => "jobs.deleted",
            _ => "jobs.command",
        };
    }

    private static async Task AuditAsync(HttpContext http, Db db, AuditLog audit, string?[] jobs)
    {
        var caller = Caller.From(http.User);
        var path = http.Request.Path.StartsWithSegments(RosterJobs.DashboardPath, StringComparison.OrdinalIgnoreCase, out var rest) ? rest.Value ?? "" : http.Request.Path.Value ?? "";
        var action = ActionOf(path);
        // Commands on one job carry its id in the path (/jobs/actions/requeue/{id}); the others in the form.
        var ids = jobs.Length > 0 ? jobs.Where(j => !string.IsNullOrEmpty(j)).Select(j => j!).ToArray() : [path.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? path];
        await db.InTransactionAsync(async (_, transaction) =>
        {
            foreach (var id in ids)
            {
                await audit.AppendAsync(transaction, caller, action, "job", id, new { command = path });
            }

            return 0;
        }, http.RequestAborted);
    }
}

/// <summary>
/// Hangfire's own gate, behind <see cref="JobsDashboardAccess"/>: admin and regulator only (the caller was
/// authenticated by the service's session or key before Hangfire saw the request).
/// </summary>
public sealed class DashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(JobsDashboardAccess.MayRead(context.GetHttpContext().User));
    }
}

/// <summary>Puts <see cref="JobsDashboardAccess"/> in front of the dashboard's routes.</summary>
public static class JobsDashboardAccessSetup
{
    public static IApplicationBuilder UseJobsDashboardAccess(this IApplicationBuilder app) =>
        app.UseWhen(
            http => http.Request.Path.StartsWithSegments(RosterJobs.DashboardPath, StringComparison.OrdinalIgnoreCase),
            branch => branch.UseMiddleware<JobsDashboardAccess>());
}
