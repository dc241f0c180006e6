using System.Net;
using Dapper;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Database;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Receivables;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FinanceChain.Api.Tests.Notes;

public sealed class ReceivablesApiTests : IAsyncLifetime
{
    private readonly NotesWorld _w = new();

    public Task InitializeAsync() => _w.InitializeAsync();

    public Task DisposeAsync() => _w.DisposeAsync();

    [Fact]
    public async Task Register_ThenDebtorConfirms_IsConfirmed()
    {
        var response = await _w.Supplier.PostJsonAsync("/api/v1/receivables", new
        {
            debtorId = _w.CoreId,
            amount = 1_250_000.5m,
            dueDate = "2026-12-31",
            invoiceNumbers = new[] { " 25442000000123456789 ", "044031900111：01234567" },
        });
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();

        Assert.Equal($"/api/v1/receivables/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("registered", created["status"]!.GetValue<string>());
        Assert.Equal(_w.SupplierId, created["creditorId"]!.GetValue<string>());
        Assert.Equal(_w.CoreId, created["debtorId"]!.GetValue<string>());
        Assert.Equal(1_250_000.5m, created["amount"]!.GetValue<decimal>());
        Assert.Equal(["25442000000123456789", "044031900111:01234567"], created["invoiceNumbers"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(1_250_000.5m, created["remaining"]!.GetValue<decimal>());
        Assert.Equal("襄阳驰远汽车零部件有限公司", created["creditorName"]!.GetValue<string>());
        Assert.NotNull(created["debtorName"]);
        Assert.Empty(created["noteIds"]!.AsArray());

        var confirmed = await (await _w.Core.PostAsync($"/api/v1/receivables/{id}/confirm", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("confirmed", confirmed["status"]!.GetValue<string>());
        Assert.NotNull(confirmed["confirmedAt"]);
        var read = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", read["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Confirm_ByCreditor_Returns403_ByStranger_Returns404_Twice_Returns409()
    {
        var id = await _w.RegisterReceivableAsync();

        await (await _w.Supplier.PostAsync($"/api/v1/receivables/{id}/confirm", null)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await _w.Stranger.PostAsync($"/api/v1/receivables/{id}/confirm", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await _w.Core.PostAsync("/api/v1/receivables/rcv_missing/confirm", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var read = await (await _w.Supplier.GetAsync($"/api/v1/receivables/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("registered", read["status"]!.GetValue<string>());

        await (await _w.Core.PostAsync($"/api/v1/receivables/{id}/confirm", null)).ExpectAsync(HttpStatusCode.OK);
        await (await _w.Core.PostAsync($"/api/v1/receivables/{id}/confirm", null)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Get_OnlyPartiesAndRegulator_OthersGet404()
    {
        var id = await _w.RegisterReceivableAsync();

        foreach (var client in new[] { _w.Supplier, _w.Core, _w.Regulator })
        {
            await (await client.GetAsync($"/api/v1/receivables/{id}")).ExpectAsync(HttpStatusCode.OK);
        }

        foreach (var client in new[] { _w.Stranger, _w.SubSupplier, _w.Bank, _w.Admin })
        {
            await (await client.GetAsync($"/api/v1/receivables/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task List_ShowsOwnReceivables_RegulatorSeesAll()
    {
        var first = await _w.RegisterReceivableAsync();
        var second = await _w.RegisterReceivableAsync();
        var other = await (await _w.SubSupplier.PostJsonAsync("/api/v1/receivables", new
        {
            debtorId = _w.StrangerId,
            amount = 10m,
            dueDate = "2026-05-01",
            invoiceNumbers = new[] { NotesWorld.NextInvoiceNumber() },
        })).ExpectAsync(HttpStatusCode.Created);

        async Task<List<string>> IdsOf(HttpClient client, string query = "")
        {
            var page = await (await client.GetAsync($"/api/v1/receivables{query}")).ExpectAsync(HttpStatusCode.OK);
            return page["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        }

        Assert.Equal([first, second], await IdsOf(_w.Supplier));
        Assert.Equal([first, second], await IdsOf(_w.Core));
        Assert.Equal([other["id"]!.GetValue<string>()], await IdsOf(_w.Stranger));
        Assert.Empty(await IdsOf(_w.Bank));
        Assert.Equal(3, (await IdsOf(_w.Regulator)).Count);
        Assert.Empty(await IdsOf(_w.Admin));
        Assert.Equal([first], await IdsOf(_w.Supplier, "?limit=1"));
    }

    public static TheoryData<string, string> BadFields() => new()
    {
        { "debtorId", "null" },
        { "debtorId", "\"\"" },
        { "debtorId", "\"ent_missing\"" },
        { "debtorId", "\"ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f\"" },
        { "debtorId", "\"SELF\"" },
        { "debtorId", "\"SELF_UPPER\"" },
        { "debtorId", "\"DEBTOR_PADDED\"" },
        { "debtorId", "123" },
        { "amount", "0" },
        { "amount", "-1" },
        { "amount", "1.001" },
        { "amount", "10000000000000.01" },
        { "amount", "\"100\"" },
        { "amount", "null" },
        { "dueDate", "\"2026-03-16\"" },
        { "dueDate", "\"2025-12-31\"" },
        { "dueDate", "\"2026-02-30\"" },
        { "dueDate", "\"16/03/2027\"" },
        { "dueDate", "null" },
        { "invoiceNumbers", "[]" },
        { "invoiceNumbers", "null" },
        { "invoiceNumbers", "\"25442000000123456789\"" },
        { "invoiceNumbers[0]", "[\"\"]" },
        { "invoiceNumbers[0]", "[\"4200\"]" },
        { "invoiceNumbers[0]", "[\"4403191130\"]" },                    // a legacy code without its number
        { "invoiceNumbers[0]", "[\"044031900111-01234567\"]" },         // code and number, but not code:number
        { "invoiceNumbers[0]", "[\"2544200000012345678\"]" },           // 19 digits
        { "invoiceNumbers[1]", "[\"4403191130:01234567\",\"4403191130 : 01234567\"]" },
        { "invoiceNumbers[0]", "[\"" + new string('9', 51) + "\"]" },
        { "invoiceNumbers", "[" + string.Join(",", Enumerable.Range(1, 51).Select(i => $"\"25442000000000000{i:D3}\"")) + "]" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Register_BadField_Returns400AndStoresNothing(string field, string value)
    {
        var fields = new Dictionary<string, string>
        {
            ["debtorId"] = $"\"{_w.CoreId}\"",
            ["amount"] = "1000",
            ["dueDate"] = "\"2026-06-30\"",
            ["invoiceNumbers"] = "[\"25442000000123456789\"]",
        };
        var key = field.Split('[')[0];
        fields[key] = value switch
        {
            "\"SELF\"" => $"\"{_w.SupplierId}\"",
            "\"SELF_UPPER\"" => $"\"{_w.SupplierId.ToUpperInvariant()}\"",
            "\"DEBTOR_PADDED\"" => $"\"{_w.CoreId} \"",
            _ => value,
        };
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        await (await _w.Supplier.PostRawAsync("/api/v1/receivables", json)).ExpectValidationErrorAsync(field);

        var list = await (await _w.Regulator.GetAsync("/api/v1/receivables")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Register_InvoiceAlreadyBackingAReceivableOfTheDebtor_Returns409AndStoresNothing()
    {
        async Task<HttpResponseMessage> RegisterAsync(HttpClient creditor, string debtorId, params string[] invoices) =>
            await creditor.PostJsonAsync("/api/v1/receivables", new { debtorId, amount = 1_000m, dueDate = "2026-06-30", invoiceNumbers = invoices });

        const string Electronic = "25442000000123456789";
        const string Legacy = "044031900111:01234567";
        const string Other = "25442000000123456790";
        var first = (await (await RegisterAsync(_w.Supplier, _w.CoreId, Electronic, Legacy)).ExpectAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        var before = await CountsAsync();

        // The same invoice of the same debtor, by the same creditor or another, however it is written: 409.
        foreach (var (creditor, invoices) in new[]
        {
            (_w.Supplier, new[] { Other, Legacy }),
            (_w.Supplier, new[] { " " + Electronic + " " }),
            (_w.SubSupplier, new[] { "044031900111 : 01234567" }),
            (_w.SubSupplier, new[] { "０４４０３１９００１１１：０１２３４５６７" }), // full-width, as typed on a Chinese keyboard
        })
        {
            var problem = await (await RegisterAsync(creditor, _w.CoreId, invoices)).ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.DoesNotContain(first, problem.ToJsonString());
        }

        Assert.Equal(before, await CountsAsync());
        // Another debtor's invoice of that number is another invoice; a refused registration claimed nothing.
        await (await RegisterAsync(_w.SubSupplier, _w.StrangerId, Electronic)).ExpectAsync(HttpStatusCode.Created);
        await (await RegisterAsync(_w.Supplier, _w.CoreId, Other)).ExpectAsync(HttpStatusCode.Created);
        // The same legacy number under another invoice code is another invoice.
        await (await RegisterAsync(_w.Supplier, _w.CoreId, "044031900112:01234567")).ExpectAsync(HttpStatusCode.Created);
    }

    private async Task<(long Receivables, long Invoices, long Audit)> CountsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        return (
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM receivables"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM receivable_invoices"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log"));
    }

    [Fact]
    public async Task MarkFinanced_ThroughStore_UsesTheReceivableOnce()
    {
        var id = await _w.ConfirmedReceivableAsync(1_000m);
        var store = _w.App.Services.GetRequiredService<ReceivableStore>();
        var db = _w.App.Services.GetRequiredService<Db>();
        var caller = new Caller("key_test", "test", Role.Bank, _w.BankId, null);
        var financing = new ReceivableFinancing(Money.FromYuan(900m), 30, NotesWorld.Today, "prd_none");

        // Only the creditor's receivable can be financed for it.
        await Assert.ThrowsAsync<NotFoundException>(() =>
            db.InTransactionAsync((_, transaction) => store.MarkFinancedAsync(transaction, id, _w.StrangerId, "ofr_1", financing, caller)));

        var financed = await db.InTransactionAsync((_, transaction) => store.MarkFinancedAsync(transaction, id, _w.SupplierId, "ofr_1", financing, caller));

        Assert.Equal(ReceivableStatus.Financed, financed.Status);
        Assert.Equal("ofr_1", financed.UsedBy);
        await Assert.ThrowsAsync<DomainConflictException>(() =>
            db.InTransactionAsync((_, transaction) => store.MarkFinancedAsync(transaction, id, _w.SupplierId, "ofr_2", financing, caller)));
        // A financed receivable cannot back a note either.
        await (await _w.Core.PostJsonAsync("/api/v1/notes", NotesWorld.NoteBody(_w.SupplierId, 100m, receivableId: id))).ExpectProblemAsync(HttpStatusCode.Conflict);

        await using var connection = new SqliteConnection($"Data Source={_w.App.DatabaseFile}");
        var actions = (await connection.QueryAsync<string>("SELECT action FROM audit_log WHERE entity_id = @id ORDER BY seq", new { id })).ToList();
        Assert.Equal(["receivable.registered", "receivable.confirmed", "receivable.financed"], actions);
    }

    [Fact]
    public async Task MarkFinanced_AfterConversionToNote_Returns409()
    {
        var id = await _w.ConfirmedReceivableAsync(1_000m);
        await _w.IssueNoteAsync(1_000m, receivableId: id);
        var store = _w.App.Services.GetRequiredService<ReceivableStore>();
        var db = _w.App.Services.GetRequiredService<Db>();
        var caller = new Caller("key_test", "test", Role.Bank, _w.BankId, null);

        await Assert.ThrowsAsync<DomainConflictException>(() =>
            db.InTransactionAsync((_, transaction) => store.MarkFinancedAsync(
                transaction, id, _w.SupplierId, "ofr_1", new ReceivableFinancing(Money.FromYuan(1m), 30, NotesWorld.Today, "prd_none"), caller)));
    }
}
