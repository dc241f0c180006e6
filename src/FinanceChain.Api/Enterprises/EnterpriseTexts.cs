using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Enterprises;

/// <summary>The texts of enterprises: <c>EnterpriseTexts.resx</c>, <c>EnterpriseTexts.en.resx</c>.</summary>
[Texts]
public sealed class EnterpriseTexts;

/// <summary>Codes of the enterprises' errors.</summary>
public static class EnterpriseCodes
{
    /// <summary>{0} the chain listed twice.</summary>
    public const string ChainListedTwice = "chainListedTwice";

    /// <summary>No chain has this id.</summary>
    public const string NoSuchChain = "noSuchChain";

    /// <summary>The enterprise already belongs to the chain.</summary>
    public const string AlreadyMember = "alreadyMember";

    /// <summary>An enterprise with this credit code is already registered.</summary>
    public const string EnterpriseCreditCodeTaken = "enterpriseCreditCodeTaken";
}
