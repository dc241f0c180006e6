using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using FinanceChain.Api.Errors;
using FinanceChain.Domain;

namespace FinanceChain.Api.Http;

// The service's own validation attributes. Each failure is the text of a code (FieldTexts, in the request's
// language); the problem details give the code beside it in errorCodes.

/// <summary>An amount in yuan: at most 2 decimals, not negative, at most 1e13; <see cref="Minimum"/> applies.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class YuanAttribute : ValidationAttribute
{
    /// <summary>The codes this attribute reports.</summary>
    public static readonly IReadOnlyList<string> Codes =
        [RegistryCodes.AmountNegative, RegistryCodes.AmountTooLarge, RegistryCodes.AmountTooManyDecimals, RegistryCodes.AmountBelowMinimum];

    /// <summary>The smallest accepted amount in yuan (default 0.01: amounts are positive).</summary>
    public double Minimum { get; set; } = 0.01;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not decimal yuan)
        {
            return ValidationResult.Success;
        }

        if (!Money.TryFromYuan(yuan, out _, out var error))
        {
            return new ValidationResult(FieldTexts.Format(error.Code, [.. error.Args]));
        }

        var minimum = (decimal)Minimum;
        return yuan < minimum ? new ValidationResult(FieldTexts.Format(RegistryCodes.AmountBelowMinimum, Money.FromYuan(minimum))) : ValidationResult.Success;
    }
}

/// <summary>A 6-digit administrative division code of the GB/T 2260 list (<see cref="Divisions.Gb2260"/>); on a list, every item.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class RegionAttribute : ValidationAttribute
{
    /// <summary>The codes this attribute reports.</summary>
    public static readonly IReadOnlyList<string> Codes = [RegistryCodes.RegionFormat, RegistryCodes.RegionUnknown];

    /// <summary>Why <paramref name="text"/> is not a known region code, or null when it is one.</summary>
    public static string? Check(string? text)
    {
        if (!RegionCode.TryParse(text, out _))
        {
            return FieldTexts.Format(RegistryCodes.RegionFormat);
        }

        return Divisions.Gb2260.IsKnown(text) ? null : FieldTexts.Format(RegistryCodes.RegionUnknown, text);
    }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var error = value switch
        {
            null => null,
            string s => Check(s),
            IEnumerable<string?> list => list.Select(Check).FirstOrDefault(e => e is not null),
            _ => FieldTexts.Format(RegistryCodes.RegionFormat),
        };
        return error is null ? ValidationResult.Success : new ValidationResult(error);
    }
}

/// <summary>An 18-character unified social credit code with a correct check character (GB 32100-2015).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class CreditCodeAttribute : ValidationAttribute
{
    /// <summary>The codes this attribute reports.</summary>
    public static readonly IReadOnlyList<string> Codes = [RegistryCodes.CreditCodeLength, RegistryCodes.CreditCodeCharacter, RegistryCodes.CreditCodeCheck];

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is null)
        {
            return ValidationResult.Success;
        }

        return CreditCode.TryParse(value as string, out _, out var error) ? ValidationResult.Success : new ValidationResult(FieldTexts.Format(error.Code, [.. error.Args]));
    }
}

/// <summary>Free text without control characters (names, purposes).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PlainTextAttribute : ValidationAttribute
{
    /// <summary>The codes this attribute reports.</summary>
    public static readonly IReadOnlyList<string> Codes = [ErrorCodes.TextBlank, ErrorCodes.TextControlCharacters];

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) => value switch
    {
        null => ValidationResult.Success,
        string s when string.IsNullOrWhiteSpace(s) => new ValidationResult(FieldTexts.Format(ErrorCodes.TextBlank)),
        string s when s.Any(char.IsControl) => new ValidationResult(FieldTexts.Format(ErrorCodes.TextControlCharacters)),
        _ => ValidationResult.Success,
    };
}

/// <summary>
/// An id as the server issues them (<see cref="Ids.New"/>): three lower-case letters, an underscore and 32
/// lower-case hex digits, e.g. <c>ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f</c>. On a list, every item.
/// </summary>
/// <remarks>
/// Ids are compared by the database (SQL Server's default collation ignores case and trailing spaces) and by
/// the code (ordinally). Accepting only the exact form the server issues keeps both comparisons the same, so
/// that an upper-cased or padded id can never match a row in SQL and then differ from it in C#.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed partial class EntityIdAttribute : ValidationAttribute
{
    /// <summary>The form of every id the server issues.</summary>
    public const string Pattern = @"^[a-z]{3}_[0-9a-f]{32}\z";

    /// <summary>The codes this attribute reports.</summary>
    public static readonly IReadOnlyList<string> Codes = [ErrorCodes.IdForm, ErrorCodes.IdItemForm];

    /// <summary>True when <paramref name="id"/> has exactly the form of the server's ids.</summary>
    public static bool IsWellFormed(string? id) => id is not null && IdForm().IsMatch(id);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        switch (value)
        {
            case null:
                return ValidationResult.Success;
            case string id:
                return IsWellFormed(id) ? ValidationResult.Success : new ValidationResult(FieldTexts.Format(ErrorCodes.IdForm));
            case IEnumerable<string?> ids:
                var i = 0;
                foreach (var item in ids)
                {
                    if (!IsWellFormed(item))
                    {
                        return new ValidationResult(FieldTexts.Format(ErrorCodes.IdItemForm, i));
                    }

                    i++;
                }

                return ValidationResult.Success;
            default:
                return new ValidationResult(FieldTexts.Format(ErrorCodes.IdForm));
        }
    }

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex IdForm();
}
