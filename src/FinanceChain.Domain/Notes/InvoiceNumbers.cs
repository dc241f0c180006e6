using System.Text;

namespace FinanceChain.Domain;

/// <summary>The two kinds of VAT invoice a receivable can rest on.</summary>
public enum InvoiceKind
{
    /// <summary>A fully electronic invoice (全面数字化的电子发票, 数电票): a 20-digit number alone identifies it.</summary>
    FullyElectronic,
    /// <summary>A legacy VAT invoice: identified by its invoice code (发票代码, 10 or 12 digits) and number (发票号码, 8 digits) together.</summary>
    Legacy,
}

/// <summary>
/// One invoice, identified as the tax system does: a 数电票 by its 20-digit number, a legacy invoice by code and number.
/// Written <see cref="Key"/>: the 20 digits, or <c>code:number</c> (<c>044031900111:01234567</c>).
/// </summary>
public readonly record struct InvoiceNumber
{
    /// <summary>Digits of a fully electronic invoice number.</summary>
    public const int FullyElectronicLength = 20;

    /// <summary>Digits of a legacy invoice number (the part after the code).</summary>
    public const int LegacyNumberLength = 8;

    private InvoiceNumber(InvoiceKind kind, string? code, string number)
    {
        Kind = kind;
        Code = code;
        Number = number;
    }

    /// <summary>Fully electronic or legacy.</summary>
    public InvoiceKind Kind { get; }

    /// <summary>The legacy invoice code (10 or 12 digits); null for a 数电票.</summary>
    public string? Code { get; }

    /// <summary>The invoice number: 20 digits for a 数电票, 8 for a legacy invoice.</summary>
    public string Number { get; }

    /// <summary>What identifies the invoice, and how it is stored and shown: the 20 digits, or <c>code:number</c>.</summary>
    public string Key => Code is null ? Number : $"{Code}:{Number}";

    /// <summary>
    /// Reads <c>01234567890123456789</c> (数电票) or <c>code:number</c> (legacy: a 10- or 12-digit code, a colon, an
    /// 8-digit number). Full-width digits and colon count as their ASCII forms (NFKC), and spaces around the whole
    /// or around the colon are ignored. Anything else is false.
    /// </summary>
    public static bool TryParse(string? text, out InvoiceNumber invoice)
    {
        invoice = default;
        if (text is null || text.Length > 64)
        {
            return false;
        }

        var normalized = text.Normalize(NormalizationForm.FormKC).Trim();
        var colon = normalized.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            if (normalized.Length != FullyElectronicLength || !AllDigits(normalized))
            {
                return false;
            }

            invoice = new InvoiceNumber(InvoiceKind.FullyElectronic, null, normalized);
            return true;
        }

        var code = normalized[..colon].TrimEnd();
        var number = normalized[(colon + 1)..].TrimStart();
        if (code.Length is not (10 or 12) || !AllDigits(code) || number.Length != LegacyNumberLength || !AllDigits(number))
        {
            return false;
        }

        invoice = new InvoiceNumber(InvoiceKind.Legacy, code, number);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Key;

    private static bool AllDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}

/// <summary>The invoices (发票) a receivable is registered with.</summary>
public static class InvoiceNumbers
{
    /// <summary>The most invoices one receivable may list.</summary>
    public const int MaxCount = 50;

    /// <summary>
    /// Checks the list: 1 to <see cref="MaxCount"/> invoices, each a 数电票 number or a legacy <c>code:number</c>
    /// (<see cref="InvoiceNumber.TryParse"/>), none twice. Returns them in the given order; otherwise
    /// <see cref="DomainValidationException"/> on <c>invoiceNumbers</c> (or <c>invoiceNumbers[i]</c>).
    /// </summary>
    public static IReadOnlyList<InvoiceNumber> Validate(IReadOnlyList<string?>? numbers)
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
        var result = new InvoiceNumber[numbers.Count];
        for (var i = 0; i < numbers.Count; i++)
        {
            var field = $"{Field}[{i}]";
            if (string.IsNullOrWhiteSpace(numbers[i]))
            {
                throw new DomainValidationException(field, "invoiceNumberEmpty");
            }

            if (!InvoiceNumber.TryParse(numbers[i], out var invoice))
            {
                throw new DomainValidationException(field, "invoiceNumberForm");
            }

            if (!seen.Add(invoice.Key))
            {
                throw new DomainValidationException(field, "invoiceNumberDuplicate", invoice.Key);
            }

            result[i] = invoice;
        }

        return result;
    }
}
