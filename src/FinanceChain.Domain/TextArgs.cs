namespace FinanceChain.Domain;

// Values that the domain puts beside a code (in errors, match reasons, roster flags) when a plain number
// would not say how to write it. The API writes them in the reader's language.

/// <summary>
/// Something the domain says to people, as a stable code (camelCase) and the values its sentence needs, never
/// the sentence itself: a match reason, a rule a product fails. The API turns it into text in the reader's language.
/// </summary>
/// <param name="Code">The stable code; every code has a text in each language the API speaks.</param>
/// <param name="Args">The values of the text's placeholders, in order (<c>{0}</c>, <c>{1}</c>…).</param>
public sealed record Reason(string Code, IReadOnlyList<object?> Args)
{
    /// <summary>A reason whose text needs no values.</summary>
    public Reason(string code)
        : this(code, [])
    {
    }

    /// <summary>The code and its values, in no language (for logs and test output).</summary>
    public override string ToString() => Args.Count == 0 ? Code : $"{Code} ({string.Join(", ", Args)})";
}

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

/// <summary>
/// Several values written as one list in the reader's language (<c>小型、微型</c>, <c>small, micro</c>); each item
/// is written as it would be on its own (a <see cref="TextRef"/> by its text, a <see cref="RegionCode"/> by its name).
/// </summary>
public sealed record ListArg(IReadOnlyList<object> Items)
{
    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Items);
}

/// <summary>The text codes of the words the domain puts into sentences: enum values by kind.</summary>
public static class TermCodes
{
    /// <summary><c>productType</c> + the value's name: <c>productTypeNoteDiscount</c>.</summary>
    public static TextRef Of(ProductType type) => new("productType" + type);

    /// <summary><c>collateral</c> + the value's name: <c>collateralReceivable</c>.</summary>
    public static TextRef Of(Collateral collateral) => new("collateral" + collateral);

    /// <summary><c>enterpriseSize</c> + the value's name: <c>enterpriseSizeSmall</c>.</summary>
    public static TextRef Of(EnterpriseSize size) => new("enterpriseSize" + size);

    /// <summary>Every code <see cref="Of(ProductType)"/> and its overloads can give, for the test that each has a text.</summary>
    public static IEnumerable<string> All() =>
        Enum.GetValues<ProductType>().Select(t => Of(t).Code)
            .Concat(Enum.GetValues<Collateral>().Select(c => Of(c).Code))
            .Concat(Enum.GetValues<EnterpriseSize>().Select(s => Of(s).Code));
}
