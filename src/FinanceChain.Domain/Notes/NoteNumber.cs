using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace FinanceChain.Domain;

/// <summary>Who accepted a note, the first digit of its number.</summary>
public enum NoteAcceptorKind
{
    /// <summary>Accepted by a bank (bank acceptance): digit 5.</summary>
    Bank = 5,
    /// <summary>Accepted by an enterprise, e.g. a core enterprise (commercial acceptance): digit 6.</summary>
    Commercial = 6,
}

/// <summary>
/// A 30-digit note number laid out like those of the new-generation bill system:
/// <c>K BBBBBBBBBBBB yyyyMMdd SSSSSSSS C</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>1 digit: the kind of acceptor (<see cref="NoteAcceptorKind"/>);</item>
/// <item>12 digits: the issuing bank's or platform's code (the real system uses the acceptor's bank code);</item>
/// <item>8 digits: the issue date, <c>yyyyMMdd</c>;</item>
/// <item>8 digits: a serial number, zero-padded;</item>
/// <item>1 digit: a check digit over the first 29 (Luhn, mod 10; the real system's algorithm is not
/// published, so this service uses its own).</item>
/// </list>
/// Uniqueness comes from the serial, which must come from a database sequence and never be reused; a
/// unique index on the number guards it again. Building and checking a number is a pure function.
/// </remarks>
public readonly record struct NoteNumber
{
    /// <summary>Digits in a note number.</summary>
    public const int Length = 30;

    /// <summary>Digits in the issuer code.</summary>
    public const int IssuerCodeLength = 12;

    /// <summary>The highest serial an 8-digit serial field can hold.</summary>
    public const long MaxSerial = 99_999_999;

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    private NoteNumber(string value) => Value = value;

    /// <summary>The 30 digits.</summary>
    public string Value { get; }

    /// <summary>The kind of acceptor (digit 1).</summary>
    public NoteAcceptorKind AcceptorKind => (NoteAcceptorKind)(Value[0] - '0');

    /// <summary>The issuer code (digits 2-13).</summary>
    public string IssuerCode => Value.Substring(1, IssuerCodeLength);

    /// <summary>The issue date (digits 14-21).</summary>
    public LocalDate IssueDate => DatePattern.Parse(Value.Substring(13, 8)).Value;

    /// <summary>The serial (digits 22-29).</summary>
    public long Serial => long.Parse(Value.AsSpan(21, 8), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// Builds the number of a note with the given serial (from a database sequence, 1 to
    /// <see cref="MaxSerial"/>). A malformed issuer code or a serial out of range is an
    /// <see cref="ArgumentException"/>: both come from configuration and the database, never from a client.
    /// </summary>
    public static NoteNumber Create(NoteAcceptorKind kind, string issuerCode, LocalDate issueDate, long serial)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown acceptor kind.");
        }

        ArgumentNullException.ThrowIfNull(issuerCode);
        if (issuerCode.Length != IssuerCodeLength || !IsDigits(issuerCode))
        {
            throw new ArgumentException($"An issuer code is {IssuerCodeLength} digits.", nameof(issuerCode));
        }

        if (serial < 1 || serial > MaxSerial)
        {
            throw new ArgumentOutOfRangeException(nameof(serial), serial, $"A serial lies between 1 and {MaxSerial}.");
        }

        if (issueDate.Year < 1 || issueDate.Year > 9999 || issueDate.Calendar != CalendarSystem.Iso)
        {
            throw new ArgumentOutOfRangeException(nameof(issueDate), issueDate, "An issue date is an ISO date with a 4-digit year.");
        }

        var first29 = string.Create(
            CultureInfo.InvariantCulture,
            $"{(int)kind}{issuerCode}{DatePattern.Format(issueDate)}{serial:D8}");
        return new NoteNumber(first29 + CheckDigit(first29));
    }

    /// <summary>
    /// Parses a number: 30 digits, a known acceptor kind, a real date and a matching check digit.
    /// </summary>
    public static bool TryParse(string? text, out NoteNumber number, [NotNullWhen(false)] out string? error)
    {
        number = default;
        if (text is null || text.Length != Length || !IsDigits(text))
        {
            error = $"must be {Length} digits";
            return false;
        }

        if (!Enum.IsDefined((NoteAcceptorKind)(text[0] - '0')))
        {
            error = "starts with an unknown acceptor kind";
            return false;
        }

        if (!DatePattern.Parse(text.Substring(13, 8)).Success)
        {
            error = "does not hold a valid issue date in digits 14-21";
            return false;
        }

        if (CheckDigit(text.AsSpan(0, Length - 1)) != text[Length - 1])
        {
            error = "has a wrong check digit";
            return false;
        }

        number = new NoteNumber(text);
        error = null;
        return true;
    }

    /// <summary>Parses a number or throws <see cref="FormatException"/>.</summary>
    public static NoteNumber Parse(string text) =>
        TryParse(text, out var number, out var error) ? number : throw new FormatException($"Note number {error}.");

    /// <summary>Whether <paramref name="text"/> is a well-formed note number with the right check digit.</summary>
    public static bool IsValid(string? text) => TryParse(text, out _, out _);

    /// <summary>The Luhn check digit for the first 29 digits of a number.</summary>
    public static char CheckDigit(ReadOnlySpan<char> first29)
    {
        if (first29.Length != Length - 1 || !IsDigits(first29))
        {
            throw new ArgumentException($"Exactly {Length - 1} digits are needed.", nameof(first29));
        }

        // Luhn: from the rightmost digit leftwards, double every other digit starting with the rightmost
        // (the check digit will stand to its right), subtract 9 from doubles above 9, and sum.
        var sum = 0;
        var doubleIt = true;
        for (var i = first29.Length - 1; i >= 0; i--)
        {
            var digit = first29[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>The 30 digits.</summary>
    public override string ToString() => Value;

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
