using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Institutions;

/// <summary>The texts of institutions: <c>InstitutionTexts.resx</c>, <c>InstitutionTexts.en.resx</c>.</summary>
[Texts]
public sealed class InstitutionTexts;

/// <summary>Codes of the institutions' errors.</summary>
public static class InstitutionCodes
{
    /// <summary>An institution with this credit code is already registered.</summary>
    public const string InstitutionCreditCodeTaken = "institutionCreditCodeTaken";

    /// <summary>The contact's phone is not a phone number.</summary>
    public const string InstitutionContactPhoneInvalid = "institutionContactPhoneInvalid";

    /// <summary>The contact's e-mail is not an e-mail address.</summary>
    public const string InstitutionContactEmailInvalid = "institutionContactEmailInvalid";
}
