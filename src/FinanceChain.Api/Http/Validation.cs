using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using FinanceChain.Domain;

namespace FinanceChain.Api.Http;

/// <summary>An amount in yuan: at most 2 decimals, not negative, at most 1e13; <see cref="Minimum"/> applies.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class YuanAttribute : ValidationAttribute
{
    /// <summary>The smallest accepted amount in yuan (default 0.01: amounts are positive).</summary>
    public double Minimum { get; set; } = 0.01;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is null)
        {
            return ValidationResult.Success;
        }

        if (value is not decimal yuan)
        {
            return new ValidationResult("must be an amount in yuan");
        }

        if (!Money.TryFromYuan(yuan, out _, out var error))
        {
            return new ValidationResult(error);
        }

        return yuan < (decimal)Minimum ? new ValidationResult($"must be at least {(decimal)Minimum:0.00} yuan") : ValidationResult.Success;
    }
}

/// <summary>A 6-digit administrative division code (GB/T 2260).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class RegionAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) => value switch
    {
        null => ValidationResult.Success,
        string s when RegionCode.TryParse(s, out _) => ValidationResult.Success,
        IEnumerable<string> list when list.All(s => RegionCode.TryParse(s, out _)) => ValidationResult.Success,
        _ => new ValidationResult("must be a 6-digit administrative division code such as 420100"),
    };
}

/// <summary>An 18-character unified social credit code with a correct check character (GB 32100-2015).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class CreditCodeAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is null)
        {
            return ValidationResult.Success;
        }

        return CreditCode.TryParse(value as string, out _, out var error) ? ValidationResult.Success : new ValidationResult(error);
    }
}

/// <summary>Free text without control characters (names, purposes).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PlainTextAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) => value switch
    {
        null => ValidationResult.Success,
        string s when string.IsNullOrWhiteSpace(s) => new ValidationResult("must not be blank"),
        string s when s.Any(char.IsControl) => new ValidationResult("must not contain control characters"),
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

    private const string Expected = "must be an id as the server issues them, e.g. ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f";

    /// <summary>True when <paramref name="id"/> has exactly the form of the server's ids.</summary>
    public static bool IsWellFormed(string? id) => id is not null && IdForm().IsMatch(id);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        switch (value)
        {
            case null:
                return ValidationResult.Success;
            case string id:
                return IsWellFormed(id) ? ValidationResult.Success : new ValidationResult(Expected);
            case IEnumerable<string?> ids:
                var i = 0;
                foreach (var item in ids)
                {
                    if (!IsWellFormed(item))
                    {
                        return new ValidationResult($"item {i} {Expected}");
                    }

                    i++;
                }

                return ValidationResult.Success;
            default:
                return new ValidationResult(Expected);
        }
    }

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex IdForm();
}
