namespace FinanceChain.Domain;

/// <summary>
/// A rule of the domain refused an operation. It carries a stable code (camelCase, e.g.
/// <c>noteBalanceInsufficient</c>) and the values a sentence about it needs, never the sentence itself:
/// the API turns code and values into text in the caller's language. The API maps each kind to a status code.
/// </summary>
public abstract class DomainException : Exception
{
    /// <summary>An error named by <paramref name="code"/>, with the values its text needs.</summary>
    protected DomainException(string code, object?[] args)
        : base(Describe(code, args))
    {
        Code = code;
        Args = args;
    }

    /// <summary>The stable code that names what went wrong.</summary>
    public string Code { get; }

    /// <summary>The values the text of <see cref="Code"/> is filled with, in order (<c>{0}</c>, <c>{1}</c>…).</summary>
    public IReadOnlyList<object?> Args { get; }

    // For logs only: the code and its values, in no language.
    private static string Describe(string code, object?[] args) =>
        args.Length == 0 ? code : $"{code} ({string.Join(", ", args)})";
}

/// <summary>Input that breaks a rule (400), keyed by the offending field.</summary>
public sealed class DomainValidationException(string field, string code, params object?[] args) : DomainException(code, args)
{
    /// <summary>The field (camelCase, as in JSON) that is wrong.</summary>
    public string Field { get; } = field;
}

/// <summary>The operation does not fit the current state (409).</summary>
public sealed class DomainConflictException(string code, params object?[] args) : DomainException(code, args);
