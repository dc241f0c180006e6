using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Database;

/// <summary>The texts of the database layer's own errors: <c>DatabaseTexts.resx</c>.</summary>
[Texts]
public sealed class DatabaseTexts;

/// <summary>Codes of errors the database layer reports whatever the feature.</summary>
public static class DatabaseCodes
{
    /// <summary>409: a unique index refused a row that a concurrent request had just written.</summary>
    public const string DuplicateConflict = "duplicateConflict";
}
