namespace FinanceChain.Domain;

/// <summary>
/// A six-digit administrative division code (GB/T 2260). A code covers the codes that start with its
/// significant prefix: <c>420000</c> (a province) covers <c>42xxxx</c>, <c>420100</c> (a city) covers
/// <c>4201xx</c>, and a county code covers itself.
/// </summary>
public readonly record struct RegionCode
{
    private RegionCode(string value) => Value = value;

    /// <summary>The six digits.</summary>
    public string Value { get; }

    /// <summary>The significant prefix: trailing "00" pairs dropped (at least two digits kept).</summary>
    public string Prefix
    {
        get
        {
            if (Value.EndsWith("0000", StringComparison.Ordinal))
            {
                return Value[..2];
            }

            return Value.EndsWith("00", StringComparison.Ordinal) ? Value[..4] : Value;
        }
    }

    /// <summary>Parses six digits whose province part is not 00.</summary>
    public static bool TryParse(string? text, out RegionCode region)
    {
        region = default;
        if (text is null || text.Length != 6 || !text.All(char.IsAsciiDigit) || text.StartsWith("00", StringComparison.Ordinal))
        {
            return false;
        }

        region = new RegionCode(text);
        return true;
    }

    /// <summary>Parses a code or throws <see cref="FormatException"/>.</summary>
    public static RegionCode Parse(string text) =>
        TryParse(text, out var region) ? region : throw new FormatException("A region is a 6-digit administrative division code.");

    /// <summary>True when <paramref name="other"/> lies inside this region.</summary>
    public bool Covers(RegionCode other) => other.Value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Value;
}
