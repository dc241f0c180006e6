using System.Text.Json;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace FinanceChain.Api.Errors;

/// <summary>
/// Maps every exception to RFC 9457 problem details: domain and API errors to their status, malformed
/// JSON and unknown enum values to 400 with the offending field, anything else to a 500 without details.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, Database.Db db, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is System.Data.Common.DbException dbException && db.Dialect.IsTransient(dbException))
        {
            // Contention that outlasted the retries: the request may be repeated as it is.
            logger.LogWarning(exception, "Database contention on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            httpContext.Response.Headers.RetryAfter = "1";
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = new ProblemDetails { Status = 503, Title = "Busy", Detail = "The database is busy; retry the request after the time in Retry-After." },
                Exception = exception,
            });
        }

        var problem = ToProblem(exception);
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        FieldValidationException e => new HttpValidationProblemDetails(e.Errors) { Status = 400, Title = e.Title },
        ApiException e => new ProblemDetails { Status = e.Status, Title = e.Title, Detail = e.Message },
        DomainValidationException e => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Message] })
        {
            Status = 400,
            Title = "One or more validation errors occurred.",
        },
        DomainConflictException e => new ProblemDetails { Status = 409, Title = "Conflict", Detail = e.Message },
        BadHttpRequestException e => FromBadRequest(e),
        _ => null,
    };

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = 413, Title = "Payload too large", Detail = "The request body is larger than allowed." };
        }

        if (exception.InnerException is JsonException json)
        {
            var field = JsonField(json.Path);
            // System.Text.Json's messages name .NET types; say what the client can act on instead.
            var message = field == "body"
                ? json.Message.Split(" Path:", 2)[0]
                : "has a value of the wrong type, an unknown enum value, a null where a value is required, or a number out of range";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = 400,
                Title = "The request body is not valid JSON for this operation.",
            };
        }

        return new ProblemDetails { Status = exception.StatusCode, Title = "Bad request", Detail = exception.Message };
    }

    /// <summary>Validation keys as the client wrote them: <c>Chains[0].ChainId</c> becomes <c>chains[0].chainId</c>.</summary>
    public static void CamelCaseErrorKeys(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is HttpValidationProblemDetails validation)
        {
            var renamed = validation.Errors.ToDictionary(e => CamelCasePath(e.Key), e => e.Value);
            validation.Errors.Clear();
            foreach (var (key, value) in renamed)
            {
                validation.Errors[key] = value;
            }
        }
    }

    private static string CamelCasePath(string path) =>
        string.Join('.', path.Split('.').Select(segment => segment.Length > 0 && char.IsUpper(segment[0]) ? char.ToLowerInvariant(segment[0]) + segment[1..] : segment));

    // "$.chains[0].role" → "chains[0].role"; "$" (the whole body) → "body".
    private static string JsonField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
