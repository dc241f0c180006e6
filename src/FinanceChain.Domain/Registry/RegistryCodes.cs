namespace FinanceChain.Domain;

/// <summary>
/// The codes of what is wrong with a credit code, an amount or a region code (400 on the field). The API's
/// resource files give each a text in every language it speaks.
/// </summary>
public static class RegistryCodes
{
    /// <summary>A credit code is 18 characters.</summary>
    public const string CreditCodeLength = "creditCodeLength";

    /// <summary>{0} the character that is not one of {1}, the 31 allowed.</summary>
    public const string CreditCodeCharacter = "creditCodeCharacter";

    /// <summary>{0} the check character expected.</summary>
    public const string CreditCodeCheck = "creditCodeCheck";

    /// <summary>An amount must not be negative.</summary>
    public const string AmountNegative = "amountNegative";

    /// <summary>{0} the largest amount accepted.</summary>
    public const string AmountTooLarge = "amountTooLarge";

    /// <summary>An amount has at most two decimals (whole fen).</summary>
    public const string AmountTooManyDecimals = "amountTooManyDecimals";

    /// <summary>{0} the smallest amount accepted here.</summary>
    public const string AmountBelowMinimum = "amountBelowMinimum";

    /// <summary>A region is a six-digit division code such as 420100.</summary>
    public const string RegionFormat = "regionFormat";

    /// <summary>{0} the code: six digits, but no division of GB/T 2260.</summary>
    public const string RegionUnknown = "regionUnknown";
}
