using System.ComponentModel.DataAnnotations;
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
