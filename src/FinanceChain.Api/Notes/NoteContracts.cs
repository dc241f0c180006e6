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
/// <param name="HolderName">The holder's name.</param>
/// <param name="From">First sub-note number.</param>
/// <param name="To">Last sub-note number (inclusive).</param>
/// <param name="Amount">What the range is worth in yuan: (to - from + 1) × 0.01.</param>
public sealed record NoteHoldingResponse(string HolderId, string? HolderName, long From, long To, decimal Amount);

/// <summary>A supply-chain note and who holds which of its sub-notes.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="Number">The 30-digit note number (kind, issuer code, issue date, serial, check digit).</param>
/// <param name="AcceptorId">The core enterprise that issued and accepted it (承兑人), and pays it.</param>
/// <param name="AcceptorName">The acceptor's name.</param>
/// <param name="PayeeId">The enterprise it was issued to.</param>
/// <param name="PayeeName">The payee's name.</param>
/// <param name="Amount">The face amount in yuan.</param>
/// <param name="IssueDate">The business date of issue (Asia/Shanghai).</param>
/// <param name="DueDate">When it pays.</param>
/// <param name="Status"><c>outstanding</c>, <c>overdue</c> (past due and unpaid, on today's Shanghai date), <c>dishonoured</c>
/// (a presented part was refused or not answered and is not paid yet) or <c>settled</c> (every sub-note paid).</param>
/// <param name="ReceivableId">The receivable it was converted from, if any.</param>
/// <param name="Holdings">Every range with its holder, ordered by sub-note number; they cover 1..N exactly.</param>
public sealed record NoteResponse(
    string Id, string Number, string AcceptorId, string? AcceptorName, string PayeeId, string? PayeeName, decimal Amount, LocalDate IssueDate,
    LocalDate DueDate, NoteStatusView Status, string? ReceivableId, IReadOnlyList<NoteHoldingResponse> Holdings);

/// <summary>A transfer (endorsement) of sub-notes from one holder to another.</summary>
/// <param name="Id">Server-chosen id of the transfer.</param>
/// <param name="NoteId">The note.</param>
/// <param name="FromId">The holder who passed the sub-notes on.</param>
/// <param name="FromName">Its name.</param>
/// <param name="ToId">The enterprise that received them.</param>
/// <param name="ToName">Its name.</param>
/// <param name="Amount">The amount moved, in yuan.</param>
/// <param name="Ranges">The sub-notes moved, lowest first.</param>
/// <param name="At">When.</param>
/// <param name="Holdings">The note's holdings now.</param>
public sealed record TransferResponse(
    string Id, string NoteId, string FromId, string? FromName, string ToId, string? ToName, decimal Amount, IReadOnlyList<SubNoteRangeResponse> Ranges,
    Instant At, IReadOnlyList<NoteHoldingResponse> Holdings);

/// <summary>What happened to a note.</summary>
public enum NoteEventType
{
    /// <summary>Issued and accepted by the acceptor, held whole by the payee.</summary>
    Issued,
    /// <summary>Sub-notes passed on (endorsed) to another enterprise.</summary>
    Transferred,
    /// <summary>Sub-notes discounted at a bank, which now holds them.</summary>
    Discounted,
    /// <summary>Every sub-note is paid: by settlement (the acceptor pays every holder at once) or part by part.</summary>
    Settled,
    /// <summary>The acceptor paid a holder: its presentment, or its balance at settlement.</summary>
    Paid,
    /// <summary>A holder presented its balance for payment (提示付款).</summary>
    Presented,
    /// <summary>The acceptor refused a presentment, or did not answer it in time (拒付; reason <c>noAnswer</c>).</summary>
    Dishonoured,
    /// <summary>The holder of dishonoured sub-notes claimed their amount from the acceptor or an earlier endorser (追索).</summary>
    RecourseClaimed,
    /// <summary>The target of a claim paid it; an endorser who pays now holds those sub-notes.</summary>
    RecoursePaid,
    /// <summary>A claim ended unpaid because another claim on the same sub-notes was paid, or the note was settled.</summary>
    RecourseSuperseded,
}

/// <summary>One event in a note's history.</summary>
/// <param name="Seq">Position in the history, from 1.</param>
/// <param name="Type">What happened.</param>
/// <param name="ActorKeyId">The API key that made it happen (<c>note-presentment-answers</c> for the job that dishonours unanswered presentments).</param>
/// <param name="ActorKeyName">That key's name; null for the job.</param>
/// <param name="ActorId">The enterprise or institution of that key (null for admin and the job).</param>
/// <param name="At">When.</param>
/// <param name="Amount">The amount concerned, in yuan.</param>
/// <param name="FromId">Who gave the sub-notes (issued: the acceptor; transferred, discounted: the endorser), who paid
/// (paid, settled: the acceptor; recoursePaid: the target), who presented, dishonoured or claimed.</param>
/// <param name="FromName">Its name.</param>
/// <param name="ToId">Who received the sub-notes, was paid, was presented to (the acceptor), was refused or is claimed against; null for settled.</param>
/// <param name="ToName">Its name.</param>
/// <param name="Ranges">The sub-notes concerned.</param>
/// <param name="PresentmentId">The presentment the event belongs to (presented, paid on presentment, dishonoured, recourse).</param>
/// <param name="RecourseId">The recourse claim (recourseClaimed, recoursePaid, recourseSuperseded).</param>
/// <param name="Reason">Why the presentment was dishonoured (<c>noAnswer</c>: not answered in time).</param>
/// <param name="RateBps">Discount rate, basis points a year (discounted only).</param>
/// <param name="Interest">Discount interest kept by the bank, yuan (discounted only).</param>
/// <param name="Proceeds">What the holder received for the discounted sub-notes, yuan (discounted only).</param>
public sealed record NoteEventResponse(
    int Seq, NoteEventType Type, string ActorKeyId, string? ActorKeyName, string? ActorId, Instant At, decimal Amount,
    string? FromId, string? FromName, string? ToId, string? ToName, IReadOnlyList<SubNoteRangeResponse> Ranges,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PresentmentId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RecourseId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
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

/// <summary>The acceptor's refusal (拒付) of a presentment.</summary>
/// <param name="Reason">Why, 1 to 500 characters (e.g. 与出票人有直接债权债务关系且持票人未履行约定义务); the holder and its endorsers see it.</param>
public sealed record DishonourRequest([Required, StringLength(500, MinimumLength = 1), PlainText] string Reason);

/// <summary>A claim of the holder of dishonoured sub-notes against the acceptor or an earlier endorser (追索).</summary>
/// <param name="PresentmentId">The dishonoured presentment whose sub-notes the caller holds.</param>
/// <param name="TargetId">Whom to claim against: one of <c>GET /notes/{id}/recourse-targets</c>.</param>
/// <param name="Amount">How much, in yuan: at most what the target is liable for; the lowest-numbered of those sub-notes are claimed for.</param>
public sealed record ClaimRecourseRequest(
    [Required, EntityId] string PresentmentId,
    [Required, EntityId] string TargetId,
    [Yuan] decimal Amount);

/// <summary>A holder's presentment of its balance for payment (提示付款).</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="NoteId">The note.</param>
/// <param name="HolderId">Who presented.</param>
/// <param name="HolderName">Its name.</param>
/// <param name="Amount">The face amount presented, yuan.</param>
/// <param name="Ranges">The sub-notes presented.</param>
/// <param name="Status"><c>presented</c> (awaiting the acceptor's answer), <c>paid</c> or <c>dishonoured</c>.</param>
/// <param name="PresentedOn">The business date of presentment (Asia/Shanghai), between the due date and 10 days after it.</param>
/// <param name="AnswerDueDate">The acceptor answers by the end of this business day (<c>Notes:AnswerBusinessDays</c> after
/// presentment, default 2); otherwise the presentment is dishonoured with reason <c>noAnswer</c>.</param>
/// <param name="PresentedAt">When.</param>
/// <param name="AnsweredAt">When it was paid or dishonoured.</param>
/// <param name="Reason">Why it was dishonoured.</param>
public sealed record PresentmentResponse(
    string Id, string NoteId, string HolderId, string? HolderName, decimal Amount, IReadOnlyList<SubNoteRangeResponse> Ranges,
    PresentmentStatus Status, LocalDate PresentedOn, LocalDate AnswerDueDate, Instant PresentedAt, Instant? AnsweredAt, string? Reason);

/// <summary>A recourse claim (追索).</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="NoteId">The note.</param>
/// <param name="PresentmentId">The dishonoured presentment the sub-notes belong to.</param>
/// <param name="ClaimantId">Who claims: the holder of those sub-notes.</param>
/// <param name="ClaimantName">Its name.</param>
/// <param name="TargetId">Whom it claims against: the acceptor or an earlier endorser.</param>
/// <param name="TargetName">Its name.</param>
/// <param name="Amount">The face amount claimed, yuan.</param>
/// <param name="Ranges">The sub-notes claimed for.</param>
/// <param name="Status"><c>open</c>, <c>paid</c> (an endorser who paid now holds the sub-notes and may claim in turn) or
/// <c>superseded</c> (another claim on them was paid first, or the note was settled).</param>
/// <param name="ClaimedAt">When.</param>
/// <param name="ClosedAt">When it was paid or superseded.</param>
public sealed record RecourseResponse(
    string Id, string NoteId, string PresentmentId, string ClaimantId, string? ClaimantName, string TargetId, string? TargetName,
    decimal Amount, IReadOnlyList<SubNoteRangeResponse> Ranges, RecourseStatus Status, Instant ClaimedAt, Instant? ClosedAt);

/// <summary>A party the holder may pursue.</summary>
/// <param name="PartyId">The acceptor or an earlier endorser.</param>
/// <param name="PartyName">Its name.</param>
/// <param name="Kind"><c>acceptor</c> (liable for every sub-note) or <c>endorser</c> (liable for the sub-notes it passed on towards the holder).</param>
/// <param name="Amount">What it is liable for, yuan.</param>
/// <param name="Ranges">Exactly the sub-notes it is liable for, from each range's own chain of endorsements.</param>
public sealed record RecourseTargetResponse(string PartyId, string? PartyName, RecourseTargetKind Kind, decimal Amount, IReadOnlyList<SubNoteRangeResponse> Ranges);

/// <summary>Whom a holder of a dishonoured presentment's unpaid sub-notes may pursue (追索对象).</summary>
/// <param name="NoteId">The note.</param>
/// <param name="PresentmentId">The dishonoured presentment.</param>
/// <param name="HolderId">The holder the targets are for: the caller when it holds some of those sub-notes, else the one asked for, else the presenter.</param>
/// <param name="HolderName">Its name.</param>
/// <param name="Amount">What it may claim for, yuan: the presentment's unpaid sub-notes it holds.</param>
/// <param name="Ranges">Those sub-notes.</param>
/// <param name="Items">The acceptor first, then the earlier endorsers in the order they held the sub-notes; empty when the holder holds none.</param>
public sealed record RecourseTargetsResponse(
    string NoteId, string PresentmentId, string HolderId, string? HolderName, decimal Amount, IReadOnlyList<SubNoteRangeResponse> Ranges,
    IReadOnlyList<RecourseTargetResponse> Items);
