using FinanceChain.Api.Auth;
using FinanceChain.Api.Enterprises;
using FinanceChain.Api.Http;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Receivables;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime.Text;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// <c>/notes/new</c> (a core enterprise): issue and accept a note to a member of one of its chains, optionally from a
/// confirmed receivable it owes. Other enterprises get 403, as the store would answer.
/// </summary>
[Authorize(Policy = Policies.Enterprise)]
public sealed class NewNoteModel(NoteStore notes, EnterpriseStore enterprises, ReceivableStore receivables, PageWords words) : PageModel
{
    /// <summary>An enterprise the note may be issued to.</summary>
    public sealed record Payee(string Id, string Name);

    /// <summary>A receivable the note may come from.</summary>
    public sealed record Source(string Id, string Text);

    public IReadOnlyList<Payee> Payees { get; private set; } = [];

    public IReadOnlyList<Source> Receivables { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    [BindProperty(Name = "payeeId")] public string? PayeeId { get; set; }
    [BindProperty(Name = "amount")] public string? Amount { get; set; }
    [BindProperty(Name = "dueDate")] public string? DueDate { get; set; }
    [BindProperty(Name = "receivableId")] public string? ReceivableId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        var amount = FormInput.Yuan(Amount, "amount", Errors, words);
        var due = LocalDatePattern.Iso.Parse(DueDate?.Trim() ?? "");
        if (!due.Success)
        {
            Errors.Add("dueDate", words["page.form.date"]);
        }

        var request = new CreateNoteRequest(PayeeId ?? "", amount ?? 0, due.Success ? due.Value : default, string.IsNullOrEmpty(ReceivableId) ? null : ReceivableId);
        if (Errors.Validate(request) && !Errors.Any)
        {
            try
            {
                var note = await notes.IssueAsync(request, Caller.From(User), cancellationToken);
                return Redirect($"/notes/{note.Id}?done=issued");
            }
            catch (Exception e) when (FormErrors.IsUserError(e))
            {
                Errors.Add(e, words);
                Response.StatusCode = FormErrors.StatusOf(e);
                return Page();
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>True when the enterprise is a core enterprise of at least one chain (only they accept notes).</summary>
    public static async Task<bool> IsCoreAsync(EnterpriseStore enterprises, string enterpriseId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enterprises);
        var own = await enterprises.GetAsync(enterpriseId, confidential: false, cancellationToken);
        return own?.Chains.Any(c => c.Role == ChainRole.Core) == true;
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var caller = Caller.From(User);
        var own = await enterprises.GetAsync(caller.OwnEnterpriseId, confidential: false, cancellationToken);
        var coreChains = own?.Chains.Where(c => c.Role == ChainRole.Core).Select(c => c.ChainId).ToHashSet() ?? [];
        if (coreChains.Count == 0)
        {
            return false;
        }

        // The members of the chains it leads as core enterprise; the store accepts any enterprise, the picker
        // offers those it trades with.
        var all = await enterprises.ListAsync(PageRequest.From(PageRequest.MaxLimit, null), _ => false, cancellationToken);
        Payees = all.Items.Where(e => e.Id != caller.OwnEnterpriseId && e.Chains.Any(c => coreChains.Contains(c.ChainId)))
            .Select(e => new Payee(e.Id, e.Name)).ToList();
        Receivables = (await receivables.ListAsync(PageRequest.From(PageRequest.MaxLimit, null), caller, cancellationToken)).Items
            .Where(r => r.DebtorId == caller.OwnEnterpriseId && r.Status == ReceivableStatus.Confirmed && r.Remaining > 0)
            .Select(r => new Source(r.Id, words.Text("page.note.fromReceivable", r.CreditorName, words.Yuan(Money.FromYuan(r.Remaining)), words.Date(r.DueDate))))
            .ToList();
        return true;
    }
}
