using System.Data.Common;
using System.Text.Json;
using Dapper;
using FinanceChain.Api.Audit;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Notes;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Receivables;

internal sealed class ReceivableRow
{
    public string Id { get; set; } = "";
    public string CreditorId { get; set; } = "";
    public string DebtorId { get; set; } = "";
    public long AmountFen { get; set; }
    public LocalDate DueDate { get; set; }
    public string InvoiceNumbers { get; set; } = "[]";
    public string Status { get; set; } = "";
    public string? UsedBy { get; set; }
    public long Version { get; set; }
    public Instant CreatedAt { get; set; }
    public Instant? ConfirmedAt { get; set; }

    public ReceivableStatus CurrentStatus => EnumText.Parse<ReceivableStatus>(Status);

    public Money Amount => Money.FromFen(AmountFen);

    public bool IsParty(string? partyId) => partyId is not null && (partyId == CreditorId || partyId == DebtorId);

    public bool IsParty(Caller caller) => caller.Role == Role.Enterprise && IsParty(caller.EnterpriseId);

    public ReceivableResponse ToResponse() => new(
        Id, CreditorId, DebtorId, Amount.Yuan, DueDate, JsonSerializer.Deserialize<string[]>(InvoiceNumbers) ?? [],
        CurrentStatus, UsedBy, CreatedAt, ConfirmedAt);
}

/// <summary>
/// Receivables (应收账款): registered by the supplier (creditor), confirmed (确权) by the debtor, then used
/// once, either for one financing or for one note.
/// </summary>
/// <remarks>
/// Every status change is a conditional <c>UPDATE … WHERE id = @Id AND status = @Expected</c> whose row count
/// is checked, so of two concurrent uses of one confirmed receivable (two notes, a note and a financing,
/// through any number of service instances) exactly one wins and the other gets a 409.
/// </remarks>
public sealed class ReceivableStore(Db db, AuditLog audit, IClock clock)
{
    private const string SelectReceivable = """
        SELECT id, creditor_id AS CreditorId, debtor_id AS DebtorId, amount_fen AS AmountFen, due_date AS DueDate,
               invoice_numbers AS InvoiceNumbers, status, used_by AS UsedBy, version, created_at AS CreatedAt, confirmed_at AS ConfirmedAt
        FROM receivables
        """;

    internal const string GetSql = SelectReceivable + " WHERE id = @Id";
    internal const string ListAllSql = SelectReceivable + " WHERE id > @After ORDER BY id {limit}";
    internal const string ListOwnSql = SelectReceivable + " WHERE id > @After AND (creditor_id = @Party OR debtor_id = @Party) ORDER BY id {limit}";

    /// <summary>The receivables a bank financed: those marked financed by one of its accepted offers.</summary>
    internal const string ListFinancedBySql = SelectReceivable + """
         WHERE id > @After AND status = 'financed' AND used_by IN (SELECT o.id FROM offers o WHERE o.institution_id = @InstitutionId)
         ORDER BY id {limit}
        """;

    internal const string FinancedBySql = "SELECT COUNT(*) FROM offers WHERE id = @OfferId AND institution_id = @InstitutionId";
    internal const string EnterpriseIdSql = "SELECT id FROM enterprises WHERE id = @Id";
    internal const string InsertInvoiceSql = "INSERT INTO receivable_invoices (debtor_id, invoice_number, receivable_id) VALUES (@DebtorId, @InvoiceNumber, @ReceivableId)";

    internal const string InsertSql = """
        INSERT INTO receivables (id, creditor_id, debtor_id, amount_fen, due_date, invoice_numbers, status, used_by, version, created_at, confirmed_at, used_at)
        VALUES (@Id, @CreditorId, @DebtorId, @AmountFen, @DueDate, @InvoiceNumbers, @Status, NULL, 1, @CreatedAt, NULL, NULL)
        """;

    /// <summary>Confirms, as the debtor, a registered receivable; the first statement, so it also takes the row.</summary>
    internal const string ConfirmSql = """
        UPDATE receivables SET status = @Status, confirmed_at = @At, version = version + 1
        WHERE id = @Id AND debtor_id = @DebtorId AND status = @Expected
        """;

    /// <summary>Uses a confirmed receivable once; every condition is in the WHERE clause, so of two racing uses one wins.</summary>
    internal const string UseSql = """
        UPDATE receivables SET status = @Status, used_by = @UsedBy, used_at = @At, version = version + 1
        WHERE id = @Id AND creditor_id = @CreditorId AND (@DebtorId IS NULL OR debtor_id = @DebtorId)
          AND amount_fen >= @MinAmountFen AND status = @Expected
        """;

    /// <summary>The calling supplier registers a receivable against <c>debtorId</c>; it starts <c>registered</c>.</summary>
    public async Task<ReceivableResponse> RegisterAsync(RegisterReceivableRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var creditorId = caller.OwnEnterpriseId;
        var invoices = InvoiceNumbers.Validate(request.InvoiceNumbers);
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
            Status = EnumText.Of(ReceivableStatus.Registered),
            Version = 1,
            CreatedAt = clock.GetCurrentInstant(),
        };

        await db.InTransactionAsync(async (connection, transaction) =>
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
            return 0;
        }, cancellationToken);

        return row.ToResponse();
    }

    /// <summary>
    /// The debtor confirms (确权) a registered receivable. A stranger gets 404; its creditor, who can see it
    /// but may not confirm its own claim, gets 403; a receivable that is not <c>registered</c> any more is a 409.
    /// </summary>
    public async Task<ReceivableResponse> ConfirmAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        // Who may see it and who may confirm it never changes: decide that with a plain read, so that a stranger
        // never takes the row's lock, then change it by its stored id and explain a refusal afterwards.
        var seen = await db.QuerySingleOrDefaultAsync<ReceivableRow>(GetSql, new { Id = id }, cancellationToken);
        if (seen is null || !seen.IsParty(caller))
        {
            throw new NotFoundException("receivable");
        }

        if (seen.DebtorId != caller.EnterpriseId)
        {
            throw new ForbiddenException("receivableOnlyDebtorConfirms");
        }

        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(ConfirmSql, new
            {
                seen.Id,
                seen.DebtorId,
                Status = EnumText.Of(ReceivableStatus.Confirmed),
                Expected = EnumText.Of(ReceivableStatus.Registered),
                At = clock.GetCurrentInstant(),
            }, transaction);
            var row = await connection.QuerySingleAsync<ReceivableRow>(GetSql, new { seen.Id }, transaction);
            if (changed == 0)
            {
                _ = row.CurrentStatus.Confirm(); // throws the 409 that explains why
                throw new ConflictException("receivableChangedMeanwhile");
            }

            await audit.AppendAsync(transaction, caller, "receivable.confirmed", "receivable", row.Id, new { row.DebtorId });
            return row.ToResponse();
        }, cancellationToken);
    }

    /// <summary>
    /// The receivable if the caller may see it (its creditor, its debtor, the bank that financed it, the
    /// regulator), else null.
    /// </summary>
    public async Task<ReceivableResponse?> GetAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<ReceivableRow>(GetSql, new { Id = id }, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var visible = caller.Role switch
        {
            Role.Regulator => true,
            Role.Enterprise => row.IsParty(caller),
            Role.Bank => row.CurrentStatus == ReceivableStatus.Financed && row.UsedBy is not null
                && await db.QuerySingleOrDefaultAsync<long>(FinancedBySql, new { OfferId = row.UsedBy, InstitutionId = caller.BankInstitutionId }, cancellationToken) > 0,
            _ => false,
        };
        return visible ? row.ToResponse() : null;
    }

    /// <summary>
    /// The caller's receivables: an enterprise's as creditor or debtor, those a bank financed, every
    /// receivable for the regulator; none for admin.
    /// </summary>
    public async Task<Page<ReceivableResponse>> ListAsync(PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        IReadOnlyList<ReceivableRow> rows = caller.Role switch
        {
            Role.Regulator => await db.QueryAsync<ReceivableRow>(ListAllSql, new { page.After, limit = page.FetchLimit }, cancellationToken),
            Role.Enterprise => await db.QueryAsync<ReceivableRow>(ListOwnSql, new { page.After, limit = page.FetchLimit, Party = caller.OwnEnterpriseId }, cancellationToken),
            Role.Bank => await db.QueryAsync<ReceivableRow>(ListFinancedBySql, new { page.After, limit = page.FetchLimit, InstitutionId = caller.BankInstitutionId }, cancellationToken),
            _ => [],
        };
        return page.ToPage(rows, r => r.Id, r => r.ToResponse());
    }

    /// <summary>
    /// Marks a confirmed receivable financed, inside the caller's transaction (for the offers feature, when a
    /// financing backed by the receivable is accepted). <paramref name="creditorId"/> must be the receivable's
    /// creditor (the borrower), otherwise it is a <see cref="NotFoundException"/>; a receivable that is not
    /// confirmed, or already financed or converted to a note, is a 409 (<see cref="DomainConflictException"/>).
    /// <paramref name="usedBy"/> names what it backs (e.g. the offer id) and is shown as <c>usedBy</c>.
    /// </summary>
    /// <remarks>
    /// The change is one conditional UPDATE (<c>… AND status = 'confirmed'</c>) whose row count is checked, so a
    /// concurrent note or second financing of the same receivable cannot also succeed.
    /// </remarks>
    public async Task<ReceivableResponse> MarkFinancedAsync(DbTransaction transaction, string receivableId, string creditorId, string usedBy, Caller caller)
    {
        var (used, row) = await UseAsync(transaction, receivableId, creditorId, debtorId: null, Money.Zero, ReceivableStatus.Financed, usedBy, caller);
        if (used)
        {
            return row!.ToResponse();
        }

        if (row is null || row.CreditorId != creditorId)
        {
            throw new NotFoundException("receivable");
        }

        _ = row.CurrentStatus.Finance(); // throws the 409 that explains why
        throw new ConflictException("receivableChangedMeanwhile");
    }

    /// <summary>
    /// Turns the receivable into the note <paramref name="noteId"/> inside the issuing transaction. The issuer
    /// (<paramref name="debtorId"/>) must be its debtor and the payee its creditor (400 otherwise, on
    /// <c>receivableId</c> or <c>payeeId</c>); it must be confirmed and unused (409); the note may not exceed it
    /// (400 on <c>amount</c>).
    /// </summary>
    /// <returns>The receivable's id as stored.</returns>
    internal async Task<string> ConvertToNoteAsync(DbTransaction transaction, string receivableId, string debtorId, string payeeId, Money noteAmount, string noteId, Caller caller)
    {
        var (used, row) = await UseAsync(transaction, receivableId, payeeId, debtorId, noteAmount, ReceivableStatus.ConvertedToNote, noteId, caller);
        if (used)
        {
            return row!.Id;
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

        _ = row.CurrentStatus.ConvertToNote(row.Amount, noteAmount); // throws the 409 or 400 that explains why
        throw new ConflictException("receivableChangedMeanwhile");
    }

    /// <summary>
    /// Moves a confirmed receivable to <paramref name="next"/> with one conditional UPDATE, audited when it
    /// worked. Returns whether it did and the row as it is now (null if missing), from which the caller explains
    /// a refusal.
    /// </summary>
    private async Task<(bool Used, ReceivableRow? Row)> UseAsync(
        DbTransaction transaction, string id, string creditorId, string? debtorId, Money minAmount, ReceivableStatus next, string usedBy, Caller caller)
    {
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has no connection.");
        var changed = await connection.ExecuteAsync(UseSql, new
        {
            Id = id,
            CreditorId = creditorId,
            DebtorId = debtorId,
            MinAmountFen = minAmount.Fen,
            Status = EnumText.Of(next),
            Expected = EnumText.Of(ReceivableStatus.Confirmed),
            UsedBy = usedBy,
            At = clock.GetCurrentInstant(),
        }, transaction);
        var row = await connection.QuerySingleOrDefaultAsync<ReceivableRow>(GetSql, new { Id = id }, transaction);
        if (changed == 0)
        {
            return (false, row);
        }

        await audit.AppendAsync(transaction, caller, "receivable." + EnumText.Of(next), "receivable", row!.Id, new { usedBy });
        return (true, row);
    }

    /// <summary>
    /// Records that the receivable's invoices are its own: an invoice backs at most one receivable of a debtor
    /// (409 otherwise). Claimed in key order, so that two registrations naming the same invoices wait for each
    /// other instead of deadlocking.
    /// </summary>
    private async Task ClaimInvoicesAsync(DbConnection connection, DbTransaction transaction, ReceivableRow row, IReadOnlyList<string> invoices)
    {
        foreach (var (number, key) in invoices.Select(n => (n, InvoiceNumbers.Key(n))).OrderBy(n => n.Item2, StringComparer.Ordinal))
        {
            try
            {
                await connection.ExecuteAsync(InsertInvoiceSql, new { row.DebtorId, InvoiceNumber = key, ReceivableId = row.Id }, transaction);
            }
            catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
            {
                throw new ConflictException("invoiceAlreadyUsed", number);
            }
        }
    }
}
