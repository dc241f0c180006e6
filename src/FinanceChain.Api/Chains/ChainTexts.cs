using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Chains;

/// <summary>The texts of chains and their lead banks: <c>ChainTexts.resx</c>, <c>ChainTexts.en.resx</c>.</summary>
[Texts]
public sealed class ChainTexts;

/// <summary>Codes of the chains' errors.</summary>
public static class ChainCodes
{
    /// <summary>{0} the code already taken.</summary>
    public const string ChainCodeTaken = "chainCodeTaken";

    /// <summary>No institution has this id.</summary>
    public const string NoSuchInstitution = "noSuchInstitution";
}
