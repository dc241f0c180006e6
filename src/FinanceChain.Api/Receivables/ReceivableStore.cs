using System.Data.Common;
using System.Text.Json;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Products;
using FinanceChain.Api.Webhooks;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Receivables;

internal sealed class ReceivableRow
{
    public string Id { get; set; } = "";
    public string CreditorId { get; set; } = "";
    public string? CreditorName { get; set; }
    public string DebtorId { get; set; } = "";
    public string? DebtorName { get; set; }
    public long AmountFen { get; set; }
    public long RemainingFen { get; set; }
    public LocalDate DueDate { get; set; }
    public string InvoiceNumbers { get; set; } = "[]";
    public string Status { get; set; } = "";
    public string? UsedBy { get; set; }
    public string? RejectionReason { get; set; }
    public long Version { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant? ConfirmedAt { get; set; }
    public Instant? RejectedAt { get; set; }
    public Instant? CancelledAt { get; set; }

    public ReceivableStatus CurrentStatus => EnumText.Parse<ReceivableStatus>(Status);

    public Money Amount => Money.FromFen(AmountFen);

    public Money Remaining => Money.FromFen(RemainingFen);

    public bool IsParty(string? partyId) => partyId is not null && (partyId == CreditorId || partyId == DebtorId);

    public bool IsParty(Caller caller) => caller.Role == Role.Enterprise && IsParty(caller.EnterpriseId);

    public ReceivableResponse ToResponse(IReadOnlyList<string> noteIds) => new(
        Id, CreditorId, CreditorName, DebtorId, DebtorName, Amount.Yuan, Remaining.Yuan, DueDate,
        JsonSerializer.Deserialize<string[]>(InvoiceNumbers) ?? [], CurrentStatus, UsedBy, noteIds, RejectionReason,
        CreatedAt, ConfirmedAt, RejectedAt, CancelledAt);
}

internal sealed class ReceivableNoteRow
{
    public string ReceivableId { get; set; } = "";
    public string NoteId { get; set; } = "";
}

/// <summary>A financing being checked against the receivable it rests on (<see cref="AdvanceLimit"/>).</summary>
/// <param name="Amount">The amount lent.</param>
/// <param name="TermDays">The term, in days.</param>
/// <param name="StartDate">The business date it starts (the offer's date, then the acceptance date).</param>
/// <param name="ProductId">The product lent on, whose advance ratio applies.</param>
public sealed record ReceivableFinancing(Money Amount, int TermDays, LocalDate StartDate, string ProductId);

/// <summary>
/// Receivables (应收账款): registered by the supplier (creditor); confirmed (确权) or rejected by the debtor, or cancelled
/// by the creditor before that; then used once for one financing, or turned into notes part by part.
/// </summary>
/// <remarks>
/// Every status change is a conditional <c>UPDATE … WHERE id = @Id AND status = @Expected</c> (and, for notes and
/// financing, <c>remaining_fen &gt;= @Needed</c>) whose row count is checked, so of two concurrent uses of one confirmed
/// receivable (two notes, a note and a financing, through any number of service instances) no more succeed than it
/// can bear, and the others get a 409.
/// </remarks>
public sealed class ReceivableStore(Db db, AuditLog audit, IClock clock, WebhookOutbox outbox)
{
    private const string SelectReceivable = """
        SELECT r.id, r.creditor_id AS CreditorId, c.name AS CreditorName, r.debtor_id AS DebtorId, d.name AS DebtorName,
               r.amount_fen AS AmountFen, r.remaining_fen AS RemainingFen, r.due_date AS DueDate, r.invoice_numbers AS InvoiceNumbers,
               r.status, r.used_by AS UsedBy, r.rejection_reason AS RejectionReason, r.version, r.created_at AS CreatedAt,
               r.confirmed_at AS ConfirmedAt, r.rejected_at AS RejectedAt, r.cancelled_at AS CancelledAt
        FROM receivables r
        LEFT JOIN enterprises c ON c.id = r.creditor_id
        LEFT JOIN enterprises d ON d.id = r.debtor_id
        """;

    internal const string GetSql = SelectReceivable + " WHERE r.id = @Id";
    internal const string ListAllSql = SelectReceivable + " WHERE r.id > @After ORDER BY r.id {limit}";
    internal const string ListOwnSql = SelectReceivable + " WHERE r.id > @After AND (r.creditor_id = @Party OR r.debtor_id = @Party) ORDER BY r.id {limit}";

    /// <summary>The receivables a bank financed: those marked financed by one of its accepted offers.</summary>
    internal const string ListFinancedBySql = SelectReceivable + """
         WHERE r.id > @After AND r.status = 'financed' AND r.used_by IN (SELECT o.id FROM offers o WHERE o.institution_id = @InstitutionId)
         ORDER BY r.id {limit}
        """;

    /// <summary>The notes issued from receivables, oldest first (one query for a whole page).</summary>
    internal const string NotesOfSql = "SELECT receivable_id AS ReceivableId, id AS NoteId FROM notes WHERE receivable_id IN @Ids ORDER BY created_at, id";

    internal const string FinancedBySql = "SELECT COUNT(*) FROM offers WHERE id = @OfferId AND institution_id = @InstitutionId";
    internal const string EnterpriseIdSql = "SELECT id FROM enterprises WHERE id = @Id";
    internal const string InsertInvoiceSql = "INSERT INTO receivable_invoices (debtor_id, invoice_number, receivable_id) VALUES (@DebtorId, @InvoiceNumber, @ReceivableId)";
    internal const string FreeInvoicesSql = "DELETE FROM receivable_invoices WHERE receivable_id = @Id";

    internal const string InsertSql = """
        INSERT INTO receivables (id, creditor_id, debtor_id, amount_fen, remaining_fen, due_date, invoice_numbers, status, used_by, version,
                                 created_at, confirmed_at, used_at, rejection_reason, rejected_at, cancelled_at)
        VALUES (@Id, @CreditorId, @DebtorId, @AmountFen, @AmountFen, @DueDate, @InvoiceNumbers, @Status, NULL, 1,
                @CreatedAt, NULL, NULL, NULL, NULL, NULL)
        """;

    /// <summary>Confirms, as the debtor, a registered receivable; the first statement, so it also takes the row.</summary>
    internal const string ConfirmSql = """
        UPDATE receivables SET status = @Status, confirmed_at = @At, version = version + 1
        WHERE id = @Id AND debtor_id = @DebtorId AND status = @Expected
        """;

    internal const string RejectSql = """
        UPDATE receivables SET status = @Status, rejection_reason = @Reason, rejected_at = @At, version = version + 1
        WHERE id = @Id AND debtor_id = @DebtorId AND status = @Expected
        """;

    internal const string CancelSql = """
        UPDATE receivables SET status = @Status, cancelled_at = @At, version = version + 1
        WHERE id = @Id AND creditor_id = @CreditorId AND status = @Expected
        """;

    /// <summary>
    /// Finances a confirmed receivable once: every condition is in the WHERE clause (status, what remains for the
    /// advance ratio, the term against the due date), so of two racing uses only those it can bear succeed.
    /// </summary>
    internal const string FinanceSql = """
        UPDATE receivables SET status = @Status, used_by = @UsedBy, used_at = @At, version = version + 1
        WHERE id = @Id AND creditor_id = @CreditorId AND status = @Expected
          AND remaining_fen >= @MinRemainingFen AND due_date >= @TermEnd
        """;

    /// <summary>
    /// Takes a note's amount from what remains; the receivable is converted when that was all of it. SET reads the
    /// row as it was before the statement, so <c>remaining_fen = @AmountFen</c> means "this note takes the rest".
    /// </summary>
    internal const string ConvertSql = """
        UPDATE receivables
        SET remaining_fen = remaining_fen - @AmountFen,
            status = CASE WHEN remaining_fen = @AmountFen THEN @Converted ELSE status END,
            used_by = CASE WHEN remaining_fen = @AmountFen THEN @NoteId ELSE used_by END,
            used_at = CASE WHEN remaining_fen = @AmountFen THEN @At ELSE used_at END,
            version = version + 1
        WHERE id = @Id AND creditor_id = @CreditorId AND debtor_id = @DebtorId AND status = @Expected AND remaining_fen >= @AmountFen
        """;

    private static readonly string Registered = EnumText.Of(ReceivableStatus.Registered);
    private static readonly string Confirmed = EnumText.Of(ReceivableStatus.Confirmed);

    /// <summary>The calling supplier registers a receivable against <c>debtorId</c>; it starts <c>registered</c>.</summary>
    public async Task<ReceivableResponse> RegisterAsync(RegisterReceivableRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var creditorId = caller.OwnEnterpriseId;
        var invoices = InvoiceNumbers.Validate(request.InvoiceNumbers).Select(i => i.Key).ToArray();
        var today = clock.Today();
        if (request.DueDate <= today)
        {
            throw new FieldValidationException("dueDate", "receivableDueDateNotAfterToday", today);
        }

        var row = new ReceivableRow
        {
            Id = Ids.New("rcv"),
            CreditorId = creditorId,
            AmountFen = Money.FromYuan(request.Amount).Fen,
            DueDate = request.DueDate,
            InvoiceNumbers = JsonSerializer.Serialize(invoices),
            Status = Registered,
            Version = 1,
            CreatedAt = clock.GetCurrentInstant(),
        };

        var stored = await db.InTransactionAsync(async (connection, transaction) =>
        {
            // The debtor as stored, never the text given: SQL Server compares ids without regard to case.
            row.DebtorId = await connection.ExecuteScalarAsync<string?>(EnterpriseIdSql, new { Id = request.DebtorId }, transaction)
                ?? throw new FieldValidationException("debtorId", "receivableDebtorUnknown");
            if (row.DebtorId == creditorId)
            {
                throw new FieldValidationException("debtorId", "receivableDebtorIsCreditor");
            }

            await connection.ExecuteAsync(InsertSql, row, transaction);
            await ClaimInvoicesAsync(connection, transaction, row, invoices);
            await audit.AppendAsync(transaction, caller, "receivable.registered", "receivable", row.Id,
                new { row.CreditorId, row.DebtorId, amount = row.Amount.Yuan, dueDate = row.DueDate.ToString("uuuu-MM-dd", null), invoiceNumbers = invoices });
            var registered = (await connection.QuerySingleAsync<ReceivableRow>(GetSql, new { row.Id }, transaction)).ToResponse([]);
            outbox.DispatchNow(await outbox.RecordAsync(connection, transaction, WebhookEvents.ReceivableRegistered(registered, row.DebtorId)));
            return registered;
        }, cancellationToken);

        return stored;
    }

    /// <summary>
    /// The debtor confirms (确权) a registered receivable. A stranger gets 404; its creditor, who can see it
    /// but may not confirm its own claim, gets 403; a receivable that is not <c>registered</c> any more is a 409.
    /// </summary>
    public Task<ReceivableResponse> ConfirmAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        DecideAsync(id, caller, byDebtor: true, "receivableOnlyDebtorConfirms", ConfirmSql, ReceivableStatus.Confirmed, reason: null,
            s => s.Confirm(), "receivable.confirmed", cancellationToken);

    /// <summary>
    /// The debtor rejects a registered receivable it does not owe as registered, with a reason: it becomes
    /// <c>rejected</c> (final) and its invoices are free to back a corrected receivable. Stranger 404, creditor 403,
    /// not registered any more 409.
    /// </summary>
    public Task<ReceivableResponse> RejectAsync(string id, RejectReceivableRequest request, Caller caller, CancellationToken cancellationToken) =>
        DecideAsync(id, caller, byDebtor: true, "receivableOnlyDebtorRejects", RejectSql, ReceivableStatus.Rejected, request.Reason.Trim(),
            s => s.Reject(), "receivable.rejected", cancellationToken);

    /// <summary>
    /// The creditor withdraws a receivable its debtor has not confirmed yet: it becomes <c>cancelled</c> (final) and its
    /// invoices are free again. Stranger 404, debtor 403, confirmed or otherwise decided 409.
    /// </summary>
    public Task<ReceivableResponse> CancelAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        DecideAsync(id, caller, byDebtor: false, "receivableOnlyCreditorCancels", CancelSql, ReceivableStatus.Cancelled, reason: null,
            s => s.Cancel(), "receivable.cancelled", cancellationToken);

    /// <summary>
    /// The receivable if the caller may see it (its creditor, its debtor, the bank that financed it, the
    /// regulator), else null.
    /// </summary>
    public async Task<ReceivableResponse?> GetAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ReceivableRow>(new CommandDefinition(GetSql, new { Id = id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var visible = caller.Role switch
        {
            Role.Regulator => true,
            Role.Enterprise => row.IsParty(caller),
            Role.Bank => row.CurrentStatus == ReceivableStatus.Financed && row.UsedBy is not null
                && await connection.ExecuteScalarAsync<long>(new CommandDefinition(FinancedBySql, new { OfferId = row.UsedBy, InstitutionId = caller.BankInstitutionId }, cancellationToken: cancellationToken)) > 0,
            _ => false,
        };
        if (!visible)
        {
            return null;
        }

        var notes = await NotesOfAsync(connection, null, [row.Id], cancellationToken);
        return row.ToResponse(notes[row.Id].ToList());
    }

    /// <summary>
    /// The caller's receivables: an enterprise's as creditor or debtor, those a bank financed, every
    /// receivable for the regulator; none for admin.
    /// </summary>
    public async Task<Page<ReceivableResponse>> ListAsync(PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var (sql, parameters) = caller.Role switch
        {
            Role.Regulator => (ListAllSql, (object?)new { page.After, limit = page.FetchLimit }),
            Role.Enterprise => (ListOwnSql, new { page.After, limit = page.FetchLimit, Party = caller.OwnEnterpriseId }),
            Role.Bank => (ListFinancedBySql, new { page.After, limit = page.FetchLimit, InstitutionId = caller.BankInstitutionId }),
            _ => ((string?)null, null),
        };
        if (sql is null)
        {
            return page.ToPage(Array.Empty<ReceivableRow>(), r => r.Id, r => r.ToResponse([]));
        }

        var rows = (await connection.QueryAsync<ReceivableRow>(new CommandDefinition(db.Sql(sql), parameters, cancellationToken: cancellationToken))).AsList();
        var notes = await NotesOfAsync(connection, null, rows.Take(page.Limit).Select(r => r.Id).ToArray(), cancellationToken);
        return page.ToPage(rows, r => r.Id, r => r.ToResponse(notes[r.Id].ToList()));
    }

    /// <summary>
    /// Marks a confirmed receivable financed, inside the caller's transaction (for the offers feature, when a
    /// financing backed by the receivable is accepted). <paramref name="creditorId"/> must be the receivable's
    /// creditor (the borrower), otherwise it is a <see cref="NotFoundException"/>; a receivable that is not
    /// confirmed, already financed or converted, is a 409 (<see cref="DomainConflictException"/>), and so is a
    /// financing above the product's advance ratio of what remains or running past the receivable's due date
    /// (<c>advanceExceedsLimit</c>, <c>advanceTermBeyondReceivableDue</c>). <paramref name="usedBy"/> names what it
    /// backs (the offer id) and is shown as <c>usedBy</c>.
    /// </summary>
    /// <remarks>
    /// The change is one conditional UPDATE (<c>… AND status = 'confirmed' AND remaining_fen &gt;= @MinRemainingFen
    /// AND due_date &gt;= @TermEnd</c>) whose row count is checked, so a concurrent note, which lowers what remains, or a
    /// second financing of the same receivable cannot slip past the limit.
    /// </remarks>
    public async Task<ReceivableResponse> MarkFinancedAsync(
        DbTransaction transaction, string receivableId, string creditorId, string usedBy, ReceivableFinancing financing, Caller caller)
    {
        var connection = Connection(transaction);
        var ratio = await ProductStore.AdvanceRatioAsync(connection, transaction, financing.ProductId);
        var termEnd = AdvanceLimit.TermEnd(financing.StartDate, financing.TermDays);
        var changed = await connection.ExecuteAsync(FinanceSql, new
        {
            Id = receivableId,
            CreditorId = creditorId,
            Status = EnumText.Of(ReceivableStatus.Financed),
            Expected = Confirmed,
            UsedBy = usedBy,
            At = clock.GetCurrentInstant(),
            MinRemainingFen = AdvanceLimit.MinimumRemainingFen(financing.Amount, ratio),
            TermEnd = termEnd,
        }, transaction);
        var row = await connection.QuerySingleOrDefaultAsync<ReceivableRow>(GetSql, new { Id = receivableId }, transaction);
        if (row is null || row.CreditorId != creditorId)
        {
            throw new NotFoundException("receivable");
        }

        if (changed == 1)
        {
            await audit.AppendAsync(transaction, caller, "receivable.financed", "receivable", row.Id, new
            {
                usedBy,
                amount = financing.Amount.Yuan,
                financing.TermDays,
                maxAdvanceRatioBps = ratio,
                remaining = row.Remaining.Yuan,
            });
            return row.ToResponse(await NotesOfAsync(connection, transaction, row.Id));
        }

        // Explain the refusal: the state first, then the limit.
        _ = row.CurrentStatus.Finance();
        AdvanceLimit.Check(financing.Amount, financing.TermDays, financing.StartDate, row.Remaining, row.DueDate, ratio);
        throw new ConflictException("receivableChangedMeanwhile");
    }

    /// <summary>
    /// Checks a financing on a request that names <paramref name="receivableId"/> against it without using it (when a
    /// bank makes an offer, and when an offer of a product that does not lend against the receivable is accepted): at
    /// most the product's advance ratio of what remains, for a term ending by the receivable's due date; otherwise 409
    /// <c>advanceExceedsLimit</c> or <c>advanceTermBeyondReceivableDue</c>. A receivable that is gone is not checked
    /// here (the request's own checks refuse it).
    /// </summary>
    public static async Task CheckAdvanceAsync(DbTransaction transaction, string receivableId, ReceivableFinancing financing)
    {
        var connection = Connection(transaction);
        var row = await connection.QuerySingleOrDefaultAsync<ReceivableRow>(GetSql, new { Id = receivableId }, transaction);
        if (row is null)
        {
            return;
        }

        var ratio = await ProductStore.AdvanceRatioAsync(connection, transaction, financing.ProductId);
        AdvanceLimit.Check(financing.Amount, financing.TermDays, financing.StartDate, row.Remaining, row.DueDate, ratio);
    }

    /// <summary>
    /// Issues the note <paramref name="noteId"/> of <paramref name="noteAmount"/> from what remains of the receivable,
    /// inside the issuing transaction. The issuer (<paramref name="debtorId"/>) must be its debtor and the payee its
    /// creditor (400 otherwise, on <c>receivableId</c> or <c>payeeId</c>); it must be confirmed and not financed (409);
    /// the note may not exceed what remains (400 on <c>amount</c>). The receivable stays confirmed while something
    /// remains and is converted when the note takes the rest.
    /// </summary>
    /// <returns>The receivable's id as stored.</returns>
    internal async Task<string> ConvertToNoteAsync(DbTransaction transaction, string receivableId, string debtorId, string payeeId, Money noteAmount, string noteId, Caller caller)
    {
        var connection = Connection(transaction);
        var changed = await connection.ExecuteAsync(ConvertSql, new
        {
            Id = receivableId,
            CreditorId = payeeId,
            DebtorId = debtorId,
            AmountFen = noteAmount.Fen,
            Expected = Confirmed,
            Converted = EnumText.Of(ReceivableStatus.ConvertedToNote),
            NoteId = noteId,
            At = clock.GetCurrentInstant(),
        }, transaction);
        var row = await connection.QuerySingleOrDefaultAsync<ReceivableRow>(GetSql, new { Id = receivableId }, transaction);
        if (changed == 1)
        {
            await audit.AppendAsync(transaction, caller, "receivable.noteIssued", "receivable", row!.Id, new
            {
                noteId,
                amount = noteAmount.Yuan,
                remaining = row.Remaining.Yuan,
                status = row.Status,
            });
            return row.Id;
        }

        if (row is null || !row.IsParty(debtorId))
        {
            throw new FieldValidationException("receivableId", "receivableNotYours");
        }

        if (row.DebtorId != debtorId)
        {
            throw new FieldValidationException("receivableId", "receivableIssuerIsCreditor");
        }

        if (row.CreditorId != payeeId)
        {
            throw new FieldValidationException("payeeId", "receivablePayeeNotCreditor");
        }

        _ = row.CurrentStatus.ConvertToNote(row.Remaining, noteAmount); // throws the 409 or 400 that explains why
        throw new ConflictException("receivableChangedMeanwhile");
    }

    /// <summary>
    /// The debtor's or the creditor's decision on a registered receivable. Who may see it and who may decide never
    /// changes: that is settled with a plain read, so that a stranger never takes the row's lock; then the row is
    /// changed by its stored id with a conditional UPDATE and a refusal is explained from the row as it is.
    /// </summary>
    private async Task<ReceivableResponse> DecideAsync(
        string id, Caller caller, bool byDebtor, string forbiddenCode, string sql, ReceivableStatus next, string? reason,
        Func<ReceivableStatus, ReceivableStatus> rule, string action, CancellationToken cancellationToken)
    {
        var seen = await db.QuerySingleOrDefaultAsync<ReceivableRow>(GetSql, new { Id = id }, cancellationToken);
        if (seen is null || !seen.IsParty(caller))
        {
            throw new NotFoundException("receivable");
        }

        if ((byDebtor ? seen.DebtorId : seen.CreditorId) != caller.EnterpriseId)
        {
            throw new ForbiddenException(forbiddenCode);
        }

        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(sql, new
            {
                seen.Id,
                seen.DebtorId,
                seen.CreditorId,
                Status = EnumText.Of(next),
                Expected = Registered,
                Reason = reason,
                At = clock.GetCurrentInstant(),
            }, transaction);
            var row = await connection.QuerySingleAsync<ReceivableRow>(GetSql, new { seen.Id }, transaction);
            if (changed == 0)
            {
                _ = rule(row.CurrentStatus); // throws the 409 that explains why
                throw new ConflictException("receivableChangedMeanwhile");
            }

            if (next is ReceivableStatus.Rejected or ReceivableStatus.Cancelled)
            {
                // A receivable that will never be confirmed no longer holds its invoices.
                await connection.ExecuteAsync(FreeInvoicesSql, new { row.Id }, transaction);
            }

            await audit.AppendAsync(transaction, caller, action, "receivable", row.Id, new { row.DebtorId, row.CreditorId, reason });
            return row.ToResponse([]);
        }, cancellationToken);
    }

    private static async Task<ILookup<string, string>> NotesOfAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return Array.Empty<ReceivableNoteRow>().ToLookup(r => r.ReceivableId, r => r.NoteId);
        }

        var rows = await connection.QueryAsync<ReceivableNoteRow>(new CommandDefinition(NotesOfSql, new { Ids = ids }, transaction, cancellationToken: cancellationToken));
        return rows.ToLookup(r => r.ReceivableId, r => r.NoteId);
    }

    private static async Task<IReadOnlyList<string>> NotesOfAsync(DbConnection connection, DbTransaction transaction, string id) =>
        (await NotesOfAsync(connection, transaction, [id], CancellationToken.None))[id].ToList();

    private static DbConnection Connection(DbTransaction transaction) =>
        transaction.Connection ?? throw new InvalidOperationException("The transaction has no connection.");

    /// <summary>
    /// Records that the receivable's invoices are its own: an invoice backs at most one receivable of a debtor
    /// (409 otherwise). Claimed in key order, so that two registrations naming the same invoices wait for each
    /// other instead of deadlocking.
    /// </summary>
    private async Task ClaimInvoicesAsync(DbConnection connection, DbTransaction transaction, ReceivableRow row, IReadOnlyList<string> invoices)
    {
        foreach (var key in invoices.Order(StringComparer.Ordinal))
        {
            try
            {
                await connection.ExecuteAsync(InsertInvoiceSql, new { row.DebtorId, InvoiceNumber = key, ReceivableId = row.Id }, transaction);
            }
            catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
            {
                throw new ConflictException("invoiceAlreadyUsed", key);
            }
        }
    }
}
