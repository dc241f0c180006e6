using System.Diagnostics.CodeAnalysis;

namespace FinanceChain.Domain;

/// <summary>
/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last is a check
/// character over the first 17.
/// </summary>
public readonly record struct CreditCode
{
    /// <summary>The 31 symbols a code may use (no I, O, S, V, Z).</summary>
    public const string Charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private CreditCode(string value) => Value = value;

    /// <summary>The 18 characters, upper case.</summary>
    public string Value { get; }

    /// <summary>Characters 3-8: the administrative division code of the registering authority.</summary>
    public string RegionCode => Value.Substring(2, 6);

    /// <summary>
    /// Parses a code; lower case is normalised to upper case. When it fails, <paramref name="error"/> says why as a
    /// code of <see cref="RegistryCodes"/> and its values.
    /// </summary>
    public static bool TryParse(string? text, out CreditCode code, [NotNullWhen(false)] out Reason? error)
    {
        code = default;
        if (string.IsNullOrEmpty(text) || text.Length != 18)
        {
            error = new Reason(RegistryCodes.CreditCodeLength);
            return false;
        }

        var upper = text.ToUpperInvariant();
        foreach (var c in upper)
        {
            if (Charset.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                error = new Reason(RegistryCodes.CreditCodeCharacter, [c.ToString(), Charset]);
                return false;
            }
        }

        var expected = CheckCharacter(upper.AsSpan(0, 17));
        if (upper[17] != expected)
        {
            error = new Reason(RegistryCodes.CreditCodeCheck, [expected.ToString()]);
            return false;
        }

        code = new CreditCode(upper);
        error = null;
        return true;
    }

    /// <summary>Parses a code or throws <see cref="FormatException"/>.</summary>
    public static CreditCode Parse(string text) =>
        TryParse(text, out var code, out var error) ? code : throw new FormatException($"Not a credit code: {error}.");

    /// <summary>The check character for the first 17 characters of a code.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("Exactly 17 characters are needed.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Charset.IndexOf(char.ToUpperInvariant(first17[i]));
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' is not a credit-code character.", nameof(first17));
            }

            sum += value * Weights[i];
        }

        return Charset[(31 - (sum % 31)) % 31];
    }

    /// <summary>Completes 17 characters with their check character (used for demo data).</summary>
    public static CreditCode Complete(string first17) => Parse(first17 + CheckCharacter(first17));

    /// <inheritdoc />
    public override string ToString() => Value;
}
