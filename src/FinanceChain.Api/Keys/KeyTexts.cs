using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Keys;

/// <summary>The texts of API keys: <c>KeyTexts.resx</c>, <c>KeyTexts.en.resx</c>.</summary>
[Texts]
public sealed class KeyTexts;

/// <summary>Codes of the API keys' errors.</summary>
public static class KeyCodes
{
    public const string NoSuchInstitution = "keyNoSuchInstitution";
    public const string NoSuchEnterprise = "keyNoSuchEnterprise";
    public const string KeyAlreadyRevoked = "keyAlreadyRevoked";
    public const string BankKeyNeedsInstitution = "bankKeyNeedsInstitution";
    public const string InstitutionOnlyForBankKeys = "institutionOnlyForBankKeys";
    public const string EnterpriseKeyNeedsEnterprise = "enterpriseKeyNeedsEnterprise";
    public const string EnterpriseOnlyForEnterpriseKeys = "enterpriseOnlyForEnterpriseKeys";
}
