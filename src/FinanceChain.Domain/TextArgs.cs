namespace FinanceChain.Domain;

// Values that the domain puts beside a code (in errors, match reasons, roster flags) when a plain number
// would not say how to write it. The API writes them in the reader's language.

/// <summary>A value that is itself a code (an enum value, a kind of thing): its text takes its place.</summary>
public readonly record struct TextRef(string Code)
{
    /// <inheritdoc />
    public override string ToString() => Code;
}

/// <summary>An amount to be written in 万元 where it is round (<c>120 万元</c>), in full otherwise.</summary>
public readonly record struct MoneyInWan(Money Amount)
{
    /// <inheritdoc />
    public override string ToString() => Amount.ToString();
}

/// <summary>A rate in basis points per year, to be written <c>3.85 %</c>.</summary>
public readonly record struct RateArg(int Bps)
{
    /// <inheritdoc />
    public override string ToString() => (Bps / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " %";
}
