using FinanceChain.Api.Auth;
using FinanceChain.Api.Enterprises;
using FinanceChain.Api.Http;
using FinanceChain.Api.Receivables;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime.Text;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// <c>/receivables</c> (enterprise): the receivables it is owed or owes, 20 a page, with what remains of each; the
/// register form (with invoice numbers); confirm or reject as debtor, cancel as creditor. The store decides who may.
/// </summary>
[Authorize(Policy = Policies.Enterprise)]
public sealed class ReceivablesModel(ReceivableStore receivables, EnterpriseStore enterprises, PageWords words) : PageModel
{
    public const int PageSize = 20;

    /// <summary>An enterprise the caller may register a receivable against.</summary>
    public sealed record Debtor(string Id, string Name);

    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    public Page<ReceivableResponse> Items { get; private set; } = new([], null);

    public IReadOnlyList<Debtor> Debtors { get; private set; } = [];

    public string Own { get; private set; } = "";

    public FormErrors Errors { get; } = new();

    /// <summary>The receivable a refused confirm, reject or cancel was about, whose row shows the message.</summary>
    public string? ErrorFor { get; private set; }

    [BindProperty(Name = "debtorId")] public string? DebtorId { get; set; }
    [BindProperty(Name = "amount")] public string? Amount { get; set; }
    [BindProperty(Name = "dueDate")] public string? DueDate { get; set; }
    [BindProperty(Name = "invoiceNumbers")] public string? InvoiceNumbers { get; set; }
    [BindProperty(Name = "reason")] public string? Reason { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken)
    {
        var amount = FormInput.Yuan(Amount, "amount", Errors, words);
        var due = LocalDatePattern.Iso.Parse(DueDate?.Trim() ?? "");
        if (!due.Success)
        {
            Errors.Add("dueDate", words["page.form.date"]);
        }

        var invoices = (InvoiceNumbers ?? "").Split(['\n', ',', '，', ' ', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new RegisterReceivableRequest(DebtorId ?? "", amount ?? 0, due.Success ? due.Value : default, invoices);
        if (Errors.Validate(request) && !Errors.Any)
        {
            try
            {
                await receivables.RegisterAsync(request, Caller.From(User), cancellationToken);
                return Redirect("/receivables?done=registered");
            }
            catch (Exception e) when (FormErrors.IsUserError(e))
            {
                Errors.Add(e, words);
                Response.StatusCode = FormErrors.StatusOf(e);
            }
        }
        else
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostConfirmAsync(string receivableId, CancellationToken cancellationToken) =>
        DecideAsync(receivableId, () => receivables.ConfirmAsync(receivableId ?? "", Caller.From(User), cancellationToken), "confirmed", cancellationToken);

    public Task<IActionResult> OnPostRejectAsync(string receivableId, CancellationToken cancellationToken)
    {
        var request = new RejectReceivableRequest(Reason ?? "");
        return Errors.Validate(request)
            ? DecideAsync(receivableId, () => receivables.RejectAsync(receivableId ?? "", request, Caller.From(User), cancellationToken), "rejected", cancellationToken)
            : RefuseAsync(receivableId, StatusCodes.Status400BadRequest, cancellationToken);
    }

    public Task<IActionResult> OnPostCancelAsync(string receivableId, CancellationToken cancellationToken) =>
        DecideAsync(receivableId, () => receivables.CancelAsync(receivableId ?? "", Caller.From(User), cancellationToken), "cancelled", cancellationToken);

    private async Task<IActionResult> DecideAsync(string receivableId, Func<Task<ReceivableResponse>> decide, string done, CancellationToken cancellationToken)
    {
        try
        {
            await decide();
            return Redirect($"/receivables?done={done}");
        }
        catch (Exception e) when (FormErrors.IsUserError(e))
        {
            Errors.Add(e, words);
            return await RefuseAsync(receivableId, FormErrors.StatusOf(e), cancellationToken);
        }
    }

    private async Task<IActionResult> RefuseAsync(string receivableId, int status, CancellationToken cancellationToken)
    {
        ErrorFor = receivableId;
        Response.StatusCode = status;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var caller = Caller.From(User);
        Own = caller.OwnEnterpriseId;
        Items = await receivables.ListAsync(PageRequest.From(PageSize, Cursor), caller, cancellationToken);
        var own = await enterprises.GetAsync(Own, confidential: false, cancellationToken);
        var chains = own?.Chains.Select(c => c.ChainId).ToHashSet() ?? [];
        var all = await enterprises.ListAsync(PageRequest.From(PageRequest.MaxLimit, null), _ => false, cancellationToken);
        Debtors = all.Items.Where(e => e.Id != Own && e.Chains.Any(c => chains.Contains(c.ChainId))).Select(e => new Debtor(e.Id, e.Name)).ToList();
    }
}
