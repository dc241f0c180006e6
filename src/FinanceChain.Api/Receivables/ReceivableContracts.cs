using System.ComponentModel.DataAnnotations;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Receivables;

/// <summary>A receivable (应收账款) the calling supplier registers against its debtor.</summary>
/// <param name="DebtorId">The enterprise that owes the amount (not the caller).</param>
/// <param name="Amount">The amount owed, in yuan.</param>
/// <param name="DueDate">When the debtor is to pay; after today (Asia/Shanghai).</param>
/// <param name="InvoiceNumbers">The invoices (发票号码) behind it: 1 to 50 distinct numbers of up to 50 characters. An invoice
/// backs at most one receivable of a debtor (409 otherwise); numbers are compared without regard to case or full-width forms.</param>
public sealed record RegisterReceivableRequest(
    [Required, EntityId] string DebtorId,
    [Yuan] decimal Amount,
    LocalDate DueDate,
    [Required] IReadOnlyList<string?> InvoiceNumbers);

/// <summary>A receivable, as its creditor, its debtor, the bank that financed it and the regulator see it.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="CreditorId">The supplier who registered it and is owed the amount.</param>
/// <param name="DebtorId">The enterprise that owes it.</param>
/// <param name="Amount">The amount in yuan.</param>
/// <param name="DueDate">When it is due.</param>
/// <param name="InvoiceNumbers">The invoices behind it.</param>
/// <param name="Status"><c>registered</c>, <c>confirmed</c> (by the debtor), <c>financed</c> or <c>convertedToNote</c>.</param>
/// <param name="UsedBy">The note or financing it backs, once financed or converted; otherwise null.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="ConfirmedAt">When the debtor confirmed it, if it has.</param>
public sealed record ReceivableResponse(
    string Id, string CreditorId, string DebtorId, decimal Amount, LocalDate DueDate, IReadOnlyList<string> InvoiceNumbers,
    ReceivableStatus Status, string? UsedBy, Instant CreatedAt, Instant? ConfirmedAt);
