using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Notes;

/// <summary>A supply-chain note (供应链票据) the calling core enterprise issues and accepts.</summary>
/// <param name="PayeeId">The enterprise the note is issued to; it holds the whole note at first.</param>
/// <param name="Amount">The face amount in yuan; it is split into sub-notes of 0.01 yuan numbered 1..N.</param>
/// <param name="DueDate">When the note pays: after today and at most 6 months after it (PBoC/CBIRC order 2022 No. 4).</param>
/// <param name="ReceivableId">A confirmed receivable the caller owes the payee, turned into this note
/// (应收账款票据化); the note may not exceed it. It cannot be used again.</param>
public sealed record CreateNoteRequest(
    [Required, EntityId] string PayeeId,
    [Yuan] decimal Amount,
    LocalDate DueDate,
    [EntityId] string? ReceivableId = null);

/// <summary>Pass on (endorse) part of a note: the caller's lowest-numbered sub-notes move.</summary>
/// <param name="ToEnterpriseId">The enterprise receiving the sub-notes.</param>
/// <param name="Amount">How much, in yuan (whole fen); at most what the caller holds (409 otherwise).</param>
public sealed record TransferNoteRequest(
    [Required, EntityId] string ToEnterpriseId,
    [Yuan] decimal Amount);

/// <summary>An inclusive range of sub-note numbers; each sub-note is 0.01 yuan.</summary>
/// <param name="From">First sub-note number.</param>
/// <param name="To">Last sub-note number (inclusive).</param>
public sealed record SubNoteRangeResponse(long From, long To)
{
    internal static SubNoteRangeResponse Of(SubNoteRange range) => new(range.From, range.To);
}

/// <summary>One holder's range of a note.</summary>
/// <param name="HolderId">The enterprise, or the bank (institution) after a discount.</param>
/// <param name="From">First sub-note number.</param>
/// <param name="To">Last sub-note number (inclusive).</param>
/// <param name="Amount">What the range is worth in yuan: (to - from + 1) × 0.01.</param>
public sealed record NoteHoldingResponse(string HolderId, long From, long To, decimal Amount);

/// <summary>A supply-chain note and who holds which of its sub-notes.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="Number">The 30-digit note number (kind, issuer code, issue date, serial, check digit).</param>
/// <param name="AcceptorId">The core enterprise that issued and accepted it, and pays it.</param>
/// <param name="PayeeId">The enterprise it was issued to.</param>
/// <param name="Amount">The face amount in yuan.</param>
/// <param name="IssueDate">The business date of issue (Asia/Shanghai).</param>
/// <param name="DueDate">When it pays.</param>
/// <param name="Status"><c>outstanding</c>, <c>overdue</c> (past due and unpaid, on today's Shanghai date) or <c>settled</c>.</param>
/// <param name="ReceivableId">The receivable it was converted from, if any.</param>
/// <param name="Holdings">Every range with its holder, ordered by sub-note number; they cover 1..N exactly.</param>
public sealed record NoteResponse(
    string Id, string Number, string AcceptorId, string PayeeId, decimal Amount, LocalDate IssueDate, LocalDate DueDate,
    NoteStatusView Status, string? ReceivableId, IReadOnlyList<NoteHoldingResponse> Holdings);

/// <summary>A transfer (endorsement) of sub-notes from one holder to another.</summary>
/// <param name="Id">Server-chosen id of the transfer.</param>
/// <param name="NoteId">The note.</param>
/// <param name="FromId">The holder who passed the sub-notes on.</param>
/// <param name="ToId">The enterprise that received them.</param>
/// <param name="Amount">The amount moved, in yuan.</param>
/// <param name="Ranges">The sub-notes moved, lowest first.</param>
/// <param name="At">When.</param>
/// <param name="Holdings">The note's holdings right after the transfer.</param>
public sealed record TransferResponse(
    string Id, string NoteId, string FromId, string ToId, decimal Amount, IReadOnlyList<SubNoteRangeResponse> Ranges, Instant At,
    IReadOnlyList<NoteHoldingResponse> Holdings);

/// <summary>What happened to a note.</summary>
public enum NoteEventType
{
    /// <summary>Issued and accepted by the acceptor, held whole by the payee.</summary>
    Issued,
    /// <summary>Sub-notes passed on (endorsed) to another enterprise.</summary>
    Transferred,
    /// <summary>Sub-notes discounted at a bank, which now holds them.</summary>
    Discounted,
    /// <summary>The acceptor paid the note: every holder was paid (one <see cref="Paid"/> event each).</summary>
    Settled,
    /// <summary>One holder was paid its balance at settlement.</summary>
    Paid,
}

/// <summary>One event in a note's history.</summary>
/// <param name="Seq">Position in the history, from 1.</param>
/// <param name="Type">What happened.</param>
/// <param name="ActorKeyId">The API key that made it happen.</param>
/// <param name="ActorId">The enterprise or institution of that key (null for admin).</param>
/// <param name="At">When.</param>
/// <param name="Amount">The amount concerned, in yuan.</param>
/// <param name="FromId">Who gave the sub-notes (issued: the acceptor; paid and settled: the acceptor, who pays).</param>
/// <param name="ToId">Who received them (paid: the holder paid); null for settled.</param>
/// <param name="Ranges">The sub-notes concerned.</param>
/// <param name="RateBps">Discount rate, basis points a year (discounted only).</param>
/// <param name="Interest">Discount interest kept by the bank, yuan (discounted only).</param>
/// <param name="Proceeds">What the holder received for the discounted sub-notes, yuan (discounted only).</param>
public sealed record NoteEventResponse(
    int Seq, NoteEventType Type, string ActorKeyId, string? ActorId, Instant At, decimal Amount, string? FromId, string? ToId,
    IReadOnlyList<SubNoteRangeResponse> Ranges,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RateBps = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Interest = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Proceeds = null);

/// <summary>A note's whole history, oldest first.</summary>
/// <param name="NoteId">The note.</param>
/// <param name="Items">Every event in order.</param>
public sealed record NoteHistoryResponse(string NoteId, IReadOnlyList<NoteEventResponse> Items);

/// <summary>
/// A note discounted (贴现) when its holder accepted a bank's <c>noteDiscount</c> offer: the bank now holds the
/// holder's lowest-numbered sub-notes worth <paramref name="Amount"/>.
/// </summary>
/// <param name="NoteId">The note discounted.</param>
/// <param name="Amount">The face amount of the sub-notes discounted, yuan (the offer's amount).</param>
/// <param name="RateBps">The discount rate, basis points a year (the offer's rate).</param>
/// <param name="Days">Days from the acceptance date (Asia/Shanghai) to <paramref name="PaymentDate"/>.</param>
/// <param name="Interest">Discount interest kept by the bank: amount × rateBps / 10000 × days / 360, rounded half up to the fen.</param>
/// <param name="Proceeds">What the holder receives: amount − interest, yuan.</param>
/// <param name="PaymentDate">When the note pays: its due date, or the next business day when the due date is a weekend
/// day or statutory holiday (节假日顺延); the days count to it.</param>
public sealed record DiscountResponse(string NoteId, decimal Amount, int RateBps, int Days, decimal Interest, decimal Proceeds, LocalDate PaymentDate)
{
    internal static DiscountResponse Of(string noteId, DiscountQuote quote) =>
        new(noteId, quote.Amount.Yuan, quote.RateBps, quote.Days, quote.Interest.Yuan, quote.Proceeds.Yuan, quote.PaymentDate);
}
