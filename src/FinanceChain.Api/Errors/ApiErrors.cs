namespace FinanceChain.Api.Errors;

/// <summary>An error with an HTTP status that the API reports as problem details.</summary>
public abstract class ApiException(int status, string title, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
}

/// <summary>404: the resource does not exist or the caller may not see it (never revealed which).</summary>
public sealed class NotFoundException(string what)
    : ApiException(StatusCodes.Status404NotFound, "Not found", $"{what} was not found.");

/// <summary>403: the caller may see the resource but its role may not do this.</summary>
public sealed class ForbiddenException(string message)
    : ApiException(StatusCodes.Status403Forbidden, "Forbidden", message);

/// <summary>409: the request conflicts with the current state.</summary>
public sealed class ConflictException(string message)
    : ApiException(StatusCodes.Status409Conflict, "Conflict", message);

/// <summary>412: the <c>If-Match</c> tag is not the current one.</summary>
public sealed class PreconditionFailedException(string message)
    : ApiException(StatusCodes.Status412PreconditionFailed, "Precondition failed", message);

/// <summary>428: <c>If-Match</c> is required here.</summary>
public sealed class PreconditionRequiredException(string message)
    : ApiException(StatusCodes.Status428PreconditionRequired, "Precondition required", message);

/// <summary>422: the request is well formed but cannot be processed (e.g. an idempotency key reused with another body).</summary>
public sealed class UnprocessableException(string message)
    : ApiException(StatusCodes.Status422UnprocessableEntity, "Unprocessable request", message);

/// <summary>400 with errors keyed by field, for checks that need the database (e.g. a referenced chain).</summary>
public sealed class FieldValidationException(IDictionary<string, string[]> errors)
    : ApiException(StatusCodes.Status400BadRequest, "One or more validation errors occurred.", "Validation failed.")
{
    public FieldValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IDictionary<string, string[]> Errors { get; } = errors;
}
