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
    internal const string EnterpriseExistsSql = "SELECT COUNT(*) FROM enterprises WHERE id = @Id";

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
            throw new FieldValidationException("dueDate", $"must be after today ({today:uuuu-MM-dd})");
        }

        if (request.DebtorId == creditorId)
        {
            throw new FieldValidationException("debtorId", "must be another enterprise than the creditor (the caller)");
        }

        var row = new ReceivableRow
        {
            Id = Ids.New("rcv"),
            CreditorId = creditorId,
            DebtorId = request.DebtorId,
            AmountFen = Money.FromYuan(request.Amount).Fen,
            DueDate = request.DueDate,
            InvoiceNumbers = JsonSerializer.Serialize(invoices),
            Status = EnumText.Of(ReceivableStatus.Registered),
            Version = 1,
            CreatedAt = clock.GetCurrentInstant(),
        };

        await db.InTransactionAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteScalarAsync<long>(EnterpriseExistsSql, new { Id = row.DebtorId }, transaction) == 0)
            {
                throw new FieldValidationException("debtorId", "No enterprise has this id.");
            }

            await connection.ExecuteAsync(InsertSql, row, transaction);
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
    public async Task<ReceivableResponse> ConfirmAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            // Change first (which takes the row), explain a refusal afterwards.
            var now = clock.GetCurrentInstant();
            var changed = await connection.ExecuteAsync(ConfirmSql, new
            {
                Id = id,
                DebtorId = caller.OwnEnterpriseId,
                Status = EnumText.Of(ReceivableStatus.Confirmed),
                Expected = EnumText.Of(ReceivableStatus.Registered),
                At = now,
            }, transaction);
            var row = await connection.QuerySingleOrDefaultAsync<ReceivableRow>(GetSql, new { Id = id }, transaction);
            if (row is null || !row.IsParty(caller.EnterpriseId))
            {
                throw new NotFoundException("Receivable");
            }

            if (changed == 0)
            {
                if (row.DebtorId != caller.EnterpriseId)
                {
                    throw new ForbiddenException("Only the debtor can confirm a receivable.");
                }

                _ = row.CurrentStatus.Confirm(); // throws the 409 that explains why
                throw new ConflictException("The receivable changed meanwhile; read it again.");
            }

            await audit.AppendAsync(transaction, caller, "receivable.confirmed", "receivable", id, new { row.DebtorId });
            return row.ToResponse();
        }, cancellationToken);

    /// <summary>The receivable if the caller may see it (creditor, debtor, regulator, admin), else null.</summary>
    public async Task<ReceivableResponse?> GetAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var row = await db.QuerySingleOrDefaultAsync<ReceivableRow>(GetSql, new { Id = id }, cancellationToken);
        return row is not null && (caller.SeesEverything || row.IsParty(caller.EnterpriseId)) ? row.ToResponse() : null;
    }

    /// <summary>The caller's receivables as creditor or debtor; every receivable for regulator and admin.</summary>
    public async Task<Page<ReceivableResponse>> ListAsync(PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        var rows = caller.SeesEverything
            ? await db.QueryAsync<ReceivableRow>(ListAllSql, new { page.After, limit = page.FetchLimit }, cancellationToken)
            : await db.QueryAsync<ReceivableRow>(ListOwnSql, new { page.After, limit = page.FetchLimit, Party = caller.EnterpriseId ?? caller.InstitutionId ?? "" }, cancellationToken);
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
            throw new NotFoundException("Receivable");
        }

        _ = row.CurrentStatus.Finance(); // throws the 409 that explains why
        throw new ConflictException("The receivable changed meanwhile; read it again.");
    }

    /// <summary>
    /// Turns the receivable into the note <paramref name="noteId"/> inside the issuing transaction. The issuer
    /// (<paramref name="debtorId"/>) must be its debtor and the payee its creditor (400 otherwise, on
    /// <c>receivableId</c> or <c>payeeId</c>); it must be confirmed and unused (409); the note may not exceed it
    /// (400 on <c>amount</c>).
    /// </summary>
    internal async Task ConvertToNoteAsync(DbTransaction transaction, string receivableId, string debtorId, string payeeId, Money noteAmount, string noteId, Caller caller)
    {
        var (used, row) = await UseAsync(transaction, receivableId, payeeId, debtorId, noteAmount, ReceivableStatus.ConvertedToNote, noteId, caller);
        if (used)
        {
            return;
        }

        if (row is null || !row.IsParty(debtorId))
        {
            throw new FieldValidationException("receivableId", "No receivable of yours has this id.");
        }

        if (row.DebtorId != debtorId)
        {
            throw new FieldValidationException("receivableId", "must be a receivable owed by the issuer; the caller is its creditor");
        }

        if (row.CreditorId != payeeId)
        {
            throw new FieldValidationException("payeeId", "must be the receivable's creditor");
        }

        _ = row.CurrentStatus.ConvertToNote(row.Amount, noteAmount); // throws the 409 or 400 that explains why
        throw new ConflictException("The receivable changed meanwhile; read it again.");
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

        await audit.AppendAsync(transaction, caller, "receivable." + EnumText.Of(next), "receivable", id, new { usedBy });
        return (true, row);
    }
}
