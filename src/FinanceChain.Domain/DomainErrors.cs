namespace FinanceChain.Domain;

/// <summary>A rule of the domain refused an operation; the API maps each kind to a status code.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>Input that breaks a rule (400), keyed by the offending field.</summary>
public sealed class DomainValidationException(string field, string message) : DomainException(message)
{
    /// <summary>The field (camelCase, as in JSON) that is wrong.</summary>
    public string Field { get; } = field;
}

/// <summary>The operation does not fit the current state (409).</summary>
public sealed class DomainConflictException(string message) : DomainException(message);
