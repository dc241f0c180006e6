using System.Text;

namespace FinanceChain.Domain;

/// <summary>Where a receivable (应收账款) stands, as on the PBoC receivables-financing platform.</summary>
public enum ReceivableStatus
{
    /// <summary>Registered by the supplier (creditor); the debtor has not confirmed it yet.</summary>
    Registered,
    /// <summary>Confirmed by the debtor (确权): good for one financing or one note.</summary>
    Confirmed,
    /// <summary>Financed by a bank. Final: it cannot be used again.</summary>
    Financed,
    /// <summary>Turned into a supply-chain note (应收账款票据化). Final: it cannot be used again.</summary>
    ConvertedToNote,
}

/// <summary>
/// The moves a receivable can make: registered → confirmed → financed, or confirmed → converted to a note.
/// A confirmed receivable backs ONE financing or ONE note, never both and never twice. Every other move is
/// a <see cref="DomainConflictException"/> (409).
/// </summary>
/// <remarks>
/// Each method returns the new status; the caller stores it with a guard on the old one
/// (<c>UPDATE … WHERE status = @old</c>) so that two concurrent uses cannot both succeed.
/// </remarks>
public static class ReceivableTransitions
{
    /// <summary>The debtor confirms the receivable: only a registered one can be confirmed.</summary>
    public static ReceivableStatus Confirm(this ReceivableStatus current) => current switch
    {
        ReceivableStatus.Registered => ReceivableStatus.Confirmed,
        ReceivableStatus.Confirmed => throw new DomainConflictException("receivableAlreadyConfirmed"),
        _ => throw new DomainConflictException("receivableNotRegistered", Describe(current)),
    };

    /// <summary>A bank finances the receivable: it must be confirmed and not used yet.</summary>
    public static ReceivableStatus Finance(this ReceivableStatus current)
    {
        EnsureAvailable(current);
        return ReceivableStatus.Financed;
    }

    /// <summary>
    /// The debtor issues a note of <paramref name="noteAmount"/> against the receivable of
    /// <paramref name="receivableAmount"/>: the receivable must be confirmed and not used yet (conflict
    /// otherwise), and the note may not exceed it (<see cref="DomainValidationException"/> on <c>amount</c>).
    /// </summary>
    public static ReceivableStatus ConvertToNote(this ReceivableStatus current, Money receivableAmount, Money noteAmount)
    {
        EnsureAvailable(current);
        if (noteAmount > receivableAmount)
        {
            throw new DomainValidationException("amount", "receivableNoteExceedsAmount", receivableAmount);
        }

        return ReceivableStatus.ConvertedToNote;
    }

    /// <summary>Whether the receivable can still back a financing or a note: confirmed and not used yet.</summary>
    public static bool IsAvailable(this ReceivableStatus current) => current == ReceivableStatus.Confirmed;

    /// <summary>Throws <see cref="DomainConflictException"/> unless <see cref="IsAvailable"/>.</summary>
    public static void EnsureAvailable(this ReceivableStatus current)
    {
        switch (current)
        {
            case ReceivableStatus.Confirmed:
                return;
            case ReceivableStatus.Registered:
                throw new DomainConflictException("receivableNotConfirmed");
            case ReceivableStatus.Financed:
            case ReceivableStatus.ConvertedToNote:
                throw new DomainConflictException("receivableAlreadyUsed", Describe(current));
            default:
                throw new ArgumentOutOfRangeException(nameof(current), current, "Unknown receivable status.");
        }
    }

    /// <summary>The status as a value of an error: its text is that of <c>receivableStatus…</c> (<c>receivableStatusFinanced</c>).</summary>
    public static TextRef Describe(ReceivableStatus status) =>
        Enum.IsDefined(status)
            ? new TextRef("receivableStatus" + status)
            : throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown receivable status.");
}

/// <summary>The invoice numbers (发票号码) a receivable is registered with.</summary>
public static class InvoiceNumbers
{
    /// <summary>The most invoice numbers one receivable may list.</summary>
    public const int MaxCount = 50;

    /// <summary>The longest an invoice number may be.</summary>
    public const int MaxLength = 50;

    /// <summary>
    /// Checks and normalises the list: 1 to <see cref="MaxCount"/> numbers, each 1 to
    /// <see cref="MaxLength"/> characters after trimming, without control characters, and no number twice
    /// (compared as <see cref="Key"/>: without regard to case or full-width forms). Returns the trimmed numbers in the given order; otherwise
    /// <see cref="DomainValidationException"/> on <c>invoiceNumbers</c> (or <c>invoiceNumbers[i]</c>).
    /// </summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<string?>? numbers)
    {
        const string Field = "invoiceNumbers";
        if (numbers is null || numbers.Count == 0)
        {
            throw new DomainValidationException(Field, "invoiceNumbersEmpty");
        }

        if (numbers.Count > MaxCount)
        {
            throw new DomainValidationException(Field, "invoiceNumbersTooMany", MaxCount);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new string[numbers.Count];
        for (var i = 0; i < numbers.Count; i++)
        {
            var field = $"{Field}[{i}]";
            var number = numbers[i]?.Trim();
            if (string.IsNullOrEmpty(number))
            {
                throw new DomainValidationException(field, "invoiceNumberEmpty");
            }

            if (number.Length > MaxLength || Key(number).Length > MaxLength)
            {
                throw new DomainValidationException(field, "invoiceNumberTooLong", MaxLength);
            }

            if (number.Any(char.IsControl))
            {
                throw new DomainValidationException(field, "invoiceNumberControlCharacters");
            }

            if (!seen.Add(Key(number)))
            {
                throw new DomainValidationException(field, "invoiceNumberDuplicate", number);
            }

            result[i] = number;
        }

        return result;
    }

    /// <summary>
    /// The form in which two invoice numbers are the same number: compatibility-normalised (NFKC, so that
    /// full-width ４２００ is 4200) and upper-cased. Stored in <c>receivable_invoices</c>, so that every
    /// database compares them alike.
    /// </summary>
    public static string Key(string number) => number.Trim().Normalize(NormalizationForm.FormKC).ToUpperInvariant();
}
