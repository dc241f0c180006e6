using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FinanceChain.Domain;

/// <summary>
/// An amount of renminbi held exactly as integer fen (0.01 yuan). Never a floating-point number.
/// </summary>
public readonly record struct Money : IComparable<Money>
{
    /// <summary>Fen in one yuan.</summary>
    public const long FenPerYuan = 100;

    /// <summary>The largest amount the service accepts: 1e13 yuan.</summary>
    public static readonly Money MaxValue = new(10_000_000_000_000L * FenPerYuan);

    /// <summary>Zero yuan.</summary>
    public static readonly Money Zero = new(0);

    private Money(long fen) => Fen = fen;

    /// <summary>The amount in fen.</summary>
    public long Fen { get; }

    /// <summary>The amount in yuan, exact.</summary>
    public decimal Yuan => Fen / (decimal)FenPerYuan;

    /// <summary>Builds an amount from fen; negative or above <see cref="MaxValue"/> is refused.</summary>
    public static Money FromFen(long fen)
    {
        if (fen < 0 || fen > MaxValue.Fen)
        {
            throw new ArgumentOutOfRangeException(nameof(fen), fen, "An amount must lie between 0 and 1e13 yuan.");
        }

        return new Money(fen);
    }

    /// <summary>
    /// Builds an amount from yuan. More than two decimals, a negative amount or one above 1e13 yuan
    /// cannot be represented and fails with a reason (a code of <see cref="RegistryCodes"/> and its values).
    /// </summary>
    public static bool TryFromYuan(decimal yuan, out Money money, [NotNullWhen(false)] out Reason? error)
    {
        money = Zero;
        if (yuan < 0)
        {
            error = new Reason(RegistryCodes.AmountNegative);
            return false;
        }

        if (yuan > MaxValue.Yuan)
        {
            error = new Reason(RegistryCodes.AmountTooLarge, [MaxValue]);
            return false;
        }

        var fen = yuan * FenPerYuan;
        if (fen != decimal.Truncate(fen))
        {
            error = new Reason(RegistryCodes.AmountTooManyDecimals);
            return false;
        }

        money = new Money((long)fen);
        error = null;
        return true;
    }

    /// <summary>Builds an amount from yuan or throws <see cref="ArgumentException"/>.</summary>
    public static Money FromYuan(decimal yuan) =>
        TryFromYuan(yuan, out var money, out var error) ? money : throw new ArgumentException($"Amount {error}.", nameof(yuan));

    /// <summary>Adds two amounts; overflow past <see cref="MaxValue"/> is not silent.</summary>
    public static Money operator +(Money a, Money b) => FromFen(checked(a.Fen + b.Fen));

    /// <summary>Subtracts; a negative result is refused.</summary>
    public static Money operator -(Money a, Money b) => FromFen(checked(a.Fen - b.Fen));

    /// <inheritdoc />
    public int CompareTo(Money other) => Fen.CompareTo(other.Fen);

    /// <summary>Compares two amounts.</summary>
    public static bool operator <(Money a, Money b) => a.Fen < b.Fen;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >(Money a, Money b) => a.Fen > b.Fen;

    /// <summary>Compares two amounts.</summary>
    public static bool operator <=(Money a, Money b) => a.Fen <= b.Fen;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >=(Money a, Money b) => a.Fen >= b.Fen;

    /// <summary>The amount in yuan with two decimals, e.g. <c>1250000.50</c>.</summary>
    public override string ToString() => Yuan.ToString("0.00", CultureInfo.InvariantCulture);
}
