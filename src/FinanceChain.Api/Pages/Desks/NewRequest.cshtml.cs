using FinanceChain.Api.Auth;
using FinanceChain.Api.Enterprises;
using FinanceChain.Api.Http;
using FinanceChain.Api.Matching;
using FinanceChain.Api.Notes;
using FinanceChain.Api.Receivables;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// <c>/requests/new</c> (enterprise): a financing request. The chain picker lists only the enterprise's chains; the
/// backing picker its confirmed receivables (as creditor) and the notes it holds. The store checks everything again,
/// exactly as for <c>POST /financing-requests</c>; its messages are shown beside the fields.
/// </summary>
[Authorize(Policy = Policies.Enterprise)]
public sealed class NewRequestModel(
    FinancingRequestStore requests, EnterpriseStore enterprises, ReceivableStore receivables, NoteStore notes, PageWords words) : PageModel
{
    /// <summary>A receivable or note the request may name, as the picker shows it.</summary>
    public sealed record Backing(string Value, string Text);

    public IReadOnlyList<ChainMembershipResponse> Chains { get; private set; } = [];

    public IReadOnlyList<Backing> Backings { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    [BindProperty(Name = "chainId")]
    public string? ChainId { get; set; }

    [BindProperty(Name = "amount")]
    public string? Amount { get; set; }

    [BindProperty(Name = "termDays")]
    public string? TermDays { get; set; }

    [BindProperty(Name = "purpose")]
    public string? Purpose { get; set; }

    [BindProperty(Name = "types")]
    public List<string> Types { get; set; } = [];

    [BindProperty(Name = "collateral")]
    public List<string> Collateral { get; set; } = [];

    [BindProperty(Name = "maxRate")]
    public string? MaxRate { get; set; }

    /// <summary><c>receivable:&lt;id&gt;</c>, <c>note:&lt;id&gt;</c> or empty.</summary>
    [BindProperty(Name = "backing")]
    public string? BackingValue { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var amount = FormInput.Yuan(Amount, "amount", Errors, words);
        var termDays = FormInput.Whole(TermDays, "termDays", Errors, words);
        var maxRate = FormInput.PercentAsBps(MaxRate, "maxRateBps", Errors, words, required: false);
        var types = Types.Select(FormInput.Enum<ProductType>).OfType<ProductType>().ToList();
        var collateral = Collateral.Select(FormInput.Enum<Domain.Collateral>).OfType<Domain.Collateral>().ToList();
        var receivableId = BackingValue?.StartsWith("receivable:", StringComparison.Ordinal) == true ? BackingValue["receivable:".Length..] : null;
        var noteId = BackingValue?.StartsWith("note:", StringComparison.Ordinal) == true ? BackingValue["note:".Length..] : null;
        var request = new NewFinancingRequest(ChainId ?? "", amount ?? 0, termDays ?? 0, Purpose ?? "", types, collateral, maxRate, receivableId, noteId);
        if (Errors.Validate(request) && !Errors.Any)
        {
            try
            {
                var created = await requests.CreateAsync(request, Caller.From(User), cancellationToken);
                return Redirect($"/requests/{created.Id}?done=created");
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

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var caller = Caller.From(User);
        var own = caller.OwnEnterpriseId;
        Chains = (await enterprises.GetAsync(own, confidential: false, cancellationToken))?.Chains ?? [];
        var backings = new List<Backing>();
        var page = PageRequest.From(PageRequest.MaxLimit, null);
        foreach (var r in (await receivables.ListAsync(page, caller, cancellationToken)).Items
                     .Where(r => r.CreditorId == own && r.Status == ReceivableStatus.Confirmed))
        {
            backings.Add(new Backing("receivable:" + r.Id, words.Text("page.request.backingReceivable", r.DebtorName, words.Yuan(r.Remaining), words.Date(r.DueDate))));
        }

        foreach (var n in (await notes.ListAsync(page, caller, cancellationToken)).Items
                     .Where(n => n.Holdings.Any(h => h.HolderId == own) && n.Status == NoteStatusView.Outstanding))
        {
            var held = n.Holdings.Where(h => h.HolderId == own).Sum(h => h.Amount);
            backings.Add(new Backing("note:" + n.Id, words.Text("page.request.backingNote", n.AcceptorName, words.Yuan(held), words.Date(n.DueDate))));
        }

        Backings = backings;
    }
}
