using Dapper;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Receivables;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Notes;

/// <summary>
/// What a financing request's note and receivable are, from the notes and receivables tables: a note the
/// requester holds part of (outstanding, before its due date) is <see cref="BackingFacts.HoldsNote"/>; a
/// receivable the requester is owed, confirmed by its debtor and not used yet, is
/// <see cref="BackingFacts.HasConfirmedReceivable"/>. Anything else is a 400 on <c>noteId</c> or
/// <c>receivableId</c>.
/// </summary>
/// <remarks>
/// A note or receivable the requester has no part in gets the same answer whether it exists or not, so that
/// another tenant's notes and receivables are never revealed. Reads only: the facts are checked again where
/// they are used (the discount and the financing take the note's lock and the receivable's row when the
/// offer is accepted).
/// </remarks>
public sealed class NoteRequestBacking(Db db, IClock clock) : IRequestBacking
{
    internal const string HeldSql = "SELECT COUNT(*) FROM note_holdings WHERE note_id = @NoteId AND holder_id = @HolderId";

    public async Task<BackingFacts> CheckAsync(string enterpriseId, string? receivableId, string? noteId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var hasConfirmedReceivable = receivableId is not null && await CheckReceivableAsync(connection, enterpriseId, receivableId, cancellationToken);
        var dueDate = noteId is null ? null : await CheckNoteAsync(connection, enterpriseId, noteId, cancellationToken);
        return new BackingFacts(dueDate is not null, hasConfirmedReceivable, dueDate);
    }

    private static async Task<bool> CheckReceivableAsync(System.Data.Common.DbConnection connection, string enterpriseId, string receivableId, CancellationToken cancellationToken)
    {
        const string Field = "receivableId";
        var receivable = await connection.QuerySingleOrDefaultAsync<ReceivableRow>(
            new CommandDefinition(ReceivableStore.GetSql, new { Id = receivableId }, cancellationToken: cancellationToken));
        if (receivable is null || receivable.CreditorId != enterpriseId)
        {
            throw new FieldValidationException(Field, "receivableNotYours");
        }

        return receivable.CurrentStatus switch
        {
            ReceivableStatus.Confirmed => true,
            ReceivableStatus.Registered => throw new FieldValidationException(Field, "receivableNotConfirmed"),
            ReceivableStatus.Financed => throw new FieldValidationException(Field, "receivableAlreadyFinanced"),
            _ => throw new FieldValidationException(Field, "receivableConvertedToNote"),
        };
    }

    /// <summary>The due date of a note the requester holds and may discount (else a 400 on <c>noteId</c>).</summary>
    private async Task<LocalDate?> CheckNoteAsync(System.Data.Common.DbConnection connection, string enterpriseId, string noteId, CancellationToken cancellationToken)
    {
        const string Field = "noteId";
        var note = await connection.QuerySingleOrDefaultAsync<NoteRow>(
            new CommandDefinition(NoteStore.GetSql, new { Id = noteId }, cancellationToken: cancellationToken));
        var held = note is null
            ? 0
            : await connection.ExecuteScalarAsync<long>(new CommandDefinition(HeldSql, new { NoteId = note.Id, HolderId = enterpriseId }, cancellationToken: cancellationToken));
        if (note is null || held == 0)
        {
            throw new FieldValidationException(Field, "noteNotHeld");
        }

        if (note.CurrentStatus == NoteStatus.Settled)
        {
            throw new FieldValidationException(Field, "noteSettled");
        }

        var today = clock.Today();
        if (today >= note.DueDate)
        {
            throw new FieldValidationException(Field, "noteDueNoDiscount", note.DueDate);
        }

        return note.DueDate;
    }
}
