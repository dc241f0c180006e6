using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Infrastructure;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Tests.Notes;

/// <summary>
/// A chain with a core enterprise, its supplier, the supplier's own supplier, an unrelated enterprise and a
/// bank, each with a key. Today is <see cref="FinanceChainApp.DefaultNow"/> in Shanghai: 2026-03-16.
/// </summary>
public sealed class NotesWorld : IAsyncLifetime
{
    public static readonly LocalDate Today = new(2026, 3, 16);
    public static readonly LocalDate DueDate = new(2026, 9, 1);

    public NotesWorld(FinanceChainApp? app = null) => App = app ?? new FinanceChainApp();

    public FinanceChainApp App { get; }
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Regulator { get; private set; } = null!;
    public HttpClient Core { get; private set; } = null!;
    public HttpClient Supplier { get; private set; } = null!;
    public HttpClient SubSupplier { get; private set; } = null!;
    public HttpClient Stranger { get; private set; } = null!;
    public HttpClient Bank { get; private set; } = null!;
    public string ChainId { get; private set; } = "";
    public string CoreId { get; private set; } = "";
    public string SupplierId { get; private set; } = "";
    public string SubSupplierId { get; private set; } = "";
    public string StrangerId { get; private set; } = "";
    public string BankId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Admin = await App.ClientAsync(Role.Admin);
        Regulator = await App.ClientAsync(Role.Regulator);
        ChainId = await Admin.CreateChainAsync();
        CoreId = await Admin.CreateEnterpriseAsync(ChainId, "core");
        SupplierId = await Admin.CreateEnterpriseAsync(ChainId, "upstream");
        SubSupplierId = await Admin.CreateEnterpriseAsync(ChainId, "upstream");
        StrangerId = await Admin.CreateEnterpriseAsync();
        BankId = await Admin.CreateInstitutionAsync();
        Core = await App.ClientAsync(Role.Enterprise, enterpriseId: CoreId);
        Supplier = await App.ClientAsync(Role.Enterprise, enterpriseId: SupplierId);
        SubSupplier = await App.ClientAsync(Role.Enterprise, enterpriseId: SubSupplierId);
        Stranger = await App.ClientAsync(Role.Enterprise, enterpriseId: StrangerId);
        Bank = await App.ClientAsync(Role.Bank, institutionId: BankId);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }

    private static long _invoiceSerial = 1_234;

    public static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", null);

    /// <summary>A fresh fully electronic invoice (数电票) number, 20 digits: an invoice backs one receivable of a debtor only.</summary>
    public static string NextInvoiceNumber() => "2544200000" + Interlocked.Increment(ref _invoiceSerial).ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The supplier registers a receivable owed by the core enterprise.</summary>
    public async Task<string> RegisterReceivableAsync(decimal amount = 500_000m)
    {
        var created = await (await Supplier.PostJsonAsync("/api/v1/receivables", new
        {
            debtorId = CoreId,
            amount,
            dueDate = Iso(DueDate),
            invoiceNumbers = new[] { NextInvoiceNumber(), NextInvoiceNumber() },
        })).ExpectAsync(HttpStatusCode.Created);
        return created["id"]!.GetValue<string>();
    }

    /// <summary>A receivable registered by the supplier and confirmed by the core enterprise.</summary>
    public async Task<string> ConfirmedReceivableAsync(decimal amount = 500_000m)
    {
        var id = await RegisterReceivableAsync(amount);
        await (await Core.PostAsync($"/api/v1/receivables/{id}/confirm", null)).ExpectAsync(HttpStatusCode.OK);
        return id;
    }

    public static object NoteBody(string payeeId, decimal amount, LocalDate? dueDate = null, string? receivableId = null) =>
        receivableId is null
            ? new { payeeId, amount, dueDate = Iso(dueDate ?? DueDate) }
            : new { payeeId, amount, dueDate = Iso(dueDate ?? DueDate), receivableId };

    /// <summary>The core enterprise issues a note to the supplier.</summary>
    public async Task<JsonNode> IssueNoteAsync(decimal amount = 500_000m, LocalDate? dueDate = null, string? receivableId = null) =>
        await (await Core.PostJsonAsync("/api/v1/notes", NoteBody(SupplierId, amount, dueDate, receivableId))).ExpectAsync(HttpStatusCode.Created);

    public static Task<HttpResponseMessage> TransferAsync(HttpClient from, string noteId, string toId, decimal amount, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/notes/{noteId}/transfers")
        {
            Content = JsonContent.Create(new { toEnterpriseId = toId, amount }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return from.SendAsync(request);
    }

    /// <summary>The note's holdings as <c>holder:from-to</c> strings, in order.</summary>
    public static IReadOnlyList<string> Holdings(JsonNode note) =>
        note["holdings"]!.AsArray().Select(h => $"{h!["holderId"]}:{h["from"]}-{h["to"]}").ToList();

    public async Task<JsonNode> GetNoteAsync(string id, HttpClient? client = null) =>
        await (await (client ?? Regulator).GetAsync($"/api/v1/notes/{id}")).ExpectAsync(HttpStatusCode.OK);
}
