namespace FinanceChain.Api.Errors;

/// <summary>
/// An error with an HTTP status that the API reports as problem details: a stable code (camelCase) and the
/// values its text needs. The text itself comes from the features' resource files in the caller's language.
/// </summary>
public abstract class ApiException(int status, string code, object?[] args)
    : Exception(args.Length == 0 ? code : $"{code} ({string.Join(", ", args)})")
{
    public int Status { get; } = status;

    /// <summary>The stable code that names what went wrong.</summary>
    public string Code { get; } = code;

    /// <summary>The values the text of <see cref="Code"/> is filled with, in order.</summary>
    public IReadOnlyList<object?> Args { get; } = args;
}

/// <summary>
/// 404: the resource does not exist or the caller may not see it (never revealed which). <paramref name="entity"/>
/// names the kind in camelCase (<c>note</c>, <c>financingRequest</c>); the code is <c>noteNotFound</c> and so on.
/// </summary>
public sealed class NotFoundException(string entity)
    : ApiException(StatusCodes.Status404NotFound, entity + "NotFound", []);

/// <summary>403: the caller may see the resource but its role may not do this.</summary>
public sealed class ForbiddenException(string code, params object?[] args)
    : ApiException(StatusCodes.Status403Forbidden, code, args);

/// <summary>409: the request conflicts with the current state.</summary>
public sealed class ConflictException(string code, params object?[] args)
    : ApiException(StatusCodes.Status409Conflict, code, args);

/// <summary>412: the <c>If-Match</c> tag is not the current one.</summary>
public sealed class PreconditionFailedException(string code, params object?[] args)
    : ApiException(StatusCodes.Status412PreconditionFailed, code, args);

/// <summary>428: <c>If-Match</c> is required here.</summary>
public sealed class PreconditionRequiredException(string code, params object?[] args)
    : ApiException(StatusCodes.Status428PreconditionRequired, code, args);

/// <summary>422: the request is well formed but cannot be processed (e.g. an idempotency key reused with another body).</summary>
public sealed class UnprocessableException(string code, params object?[] args)
    : ApiException(StatusCodes.Status422UnprocessableEntity, code, args);

/// <summary>One field's error: a code and the values its text needs.</summary>
public sealed record FieldError(string Code, params object?[] Args);

/// <summary>400 with errors keyed by field, for checks that need the database (e.g. a referenced chain).</summary>
public sealed class FieldValidationException(IReadOnlyDictionary<string, FieldError[]> errors)
    : ApiException(StatusCodes.Status400BadRequest, "validationFailed", [])
{
    public FieldValidationException(string field, string code, params object?[] args)
        : this(new Dictionary<string, FieldError[]> { [field] = [new FieldError(code, args)] })
    {
    }

    public IReadOnlyDictionary<string, FieldError[]> Errors { get; } = errors;
}
