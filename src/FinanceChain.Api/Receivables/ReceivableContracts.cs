using System.ComponentModel.DataAnnotations;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Receivables;

/// <summary>A receivable (应收账款) the calling supplier registers against its debtor.</summary>
/// <param name="DebtorId">The enterprise that owes the amount (not the caller).</param>
/// <param name="Amount">The amount owed, in yuan.</param>
/// <param name="DueDate">When the debtor is to pay; after today (Asia/Shanghai).</param>
/// <param name="InvoiceNumbers">The invoices behind it, 1 to 50: a fully electronic invoice (数电票) by its 20-digit
/// number (<c>25442000000123456789</c>), a legacy VAT invoice by its 10- or 12-digit code and 8-digit number
/// (<c>044031900111:01234567</c>). An invoice backs at most one receivable of a debtor (409 otherwise).</param>
public sealed record RegisterReceivableRequest(
    [Required, EntityId] string DebtorId,
    [Yuan] decimal Amount,
    LocalDate DueDate,
    [Required] IReadOnlyList<string?> InvoiceNumbers);

/// <summary>The debtor's refusal of a receivable it does not owe as registered.</summary>
/// <param name="Reason">Why (e.g. 金额与合同不符), 1 to 500 characters; the creditor sees it.</param>
public sealed record RejectReceivableRequest([Required, StringLength(500, MinimumLength = 1), PlainText] string Reason);

/// <summary>A receivable, as its creditor, its debtor, the bank that financed it and the regulator see it.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="CreditorId">The supplier who registered it and is owed the amount.</param>
/// <param name="CreditorName">The creditor's name.</param>
/// <param name="DebtorId">The enterprise that owes it.</param>
/// <param name="DebtorName">The debtor's name.</param>
/// <param name="Amount">The amount in yuan.</param>
/// <param name="Remaining">What is left of it for notes or a financing, yuan: the amount less the notes issued from it.</param>
/// <param name="DueDate">When it is due.</param>
/// <param name="InvoiceNumbers">The invoices behind it: 20 digits for a 数电票, <c>code:number</c> for a legacy invoice.</param>
/// <param name="Status"><c>registered</c>, <c>confirmed</c> (by the debtor), <c>rejected</c> (by the debtor),
/// <c>cancelled</c> (by the creditor), <c>financed</c> or <c>convertedToNote</c> (nothing remains).</param>
/// <param name="UsedBy">The financing (offer) it backs, or the note that used up what remained; otherwise null.</param>
/// <param name="NoteIds">The notes issued from it, oldest first.</param>
/// <param name="RejectionReason">The debtor's reason, once rejected.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="ConfirmedAt">When the debtor confirmed it, if it has.</param>
/// <param name="RejectedAt">When the debtor rejected it, if it has.</param>
/// <param name="CancelledAt">When the creditor cancelled it, if it has.</param>
public sealed record ReceivableResponse(
    string Id,
    string CreditorId,
    string? CreditorName,
    string DebtorId,
    string? DebtorName,
    decimal Amount,
    decimal Remaining,
    LocalDate DueDate,
    IReadOnlyList<string> InvoiceNumbers,
    ReceivableStatus Status,
    string? UsedBy,
    IReadOnlyList<string> NoteIds,
    string? RejectionReason,
    Instant CreatedAt,
    Instant? ConfirmedAt,
    Instant? RejectedAt,
    Instant? CancelledAt);
