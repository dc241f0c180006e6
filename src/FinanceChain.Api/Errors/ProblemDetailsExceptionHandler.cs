using System.Text.Json;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace FinanceChain.Api.Errors;

/// <summary>
/// Maps every exception to RFC 9457 problem details: domain and API errors to their status, malformed
/// JSON and unknown enum values to 400 with the offending field, anything else to a 500 without details.
/// Every problem carries a stable <c>code</c>; its <c>title</c>, <c>detail</c> and field messages are in the
/// caller's language (<see cref="Problems"/>), and <c>errorCodes</c> gives each field's codes beside them.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, Database.Db db, Problems problems, Http.LimitOptions limits, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
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
                ProblemDetails = problems.Problem(503, ErrorCodes.DatabaseBusy, []),
                Exception = exception,
            });
        }

        if (exception is System.Data.Common.DbException duplicate && db.Dialect.IsUniqueViolation(duplicate))
        {
            // A concurrent duplicate that got past the checks before it and was caught by a unique index.
            logger.LogWarning(exception, "Unique violation on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = problems.Problem(409, Database.DatabaseCodes.DuplicateConflict, []),
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

    internal ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        FieldValidationException e => problems.Validation(ErrorCodes.ValidationFailed, e.Errors),
        ApiException e => problems.Problem(e.Status, e.Code, e.Args),
        DomainValidationException e => problems.Validation(ErrorCodes.ValidationFailed, new Dictionary<string, FieldError[]> { [e.Field] = [new FieldError(e.Code, [.. e.Args])] }),
        DomainConflictException e => problems.Problem(409, e.Code, e.Args),
        BadHttpRequestException e => FromBadRequest(e),
        _ => null,
    };

    private ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return problems.Problem(413, ErrorCodes.PayloadTooLarge, [limits.MaxRequestBodyBytes]);
        }

        if (exception.InnerException is JsonException json)
        {
            var field = JsonField(json.Path);
            // System.Text.Json's messages name .NET types; say what the client can act on instead.
            var error = json is Http.JsonInputException input ? new FieldError(input.Code, [.. input.Args])
                : field == "body" ? new FieldError(ErrorCodes.JsonMalformed) : new FieldError(ErrorCodes.JsonWrongValue);
            return problems.Validation(ErrorCodes.JsonInvalid, new Dictionary<string, FieldError[]> { [field] = [error] });
        }

        return problems.Problem(exception.StatusCode, ErrorCodes.BadRequest, []);
    }

    // "$.chains[0].role" → "chains[0].role"; "$" (the whole body) → "body".
    private static string JsonField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
