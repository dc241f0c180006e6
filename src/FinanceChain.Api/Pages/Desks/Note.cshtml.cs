using FinanceChain.Api.Auth;
using FinanceChain.Api.Enterprises;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Notes;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// <c>/notes/{id}</c>: a note for whoever the store lets see it (anyone else: 404): its holdings as sub-note ranges
/// with their holders (and a bar of 1..N coloured by holder), its history, and for an enterprise holding part of an
/// outstanding note the pass-on form.
/// </summary>
[Authorize]
public sealed class NoteModel(NoteStore notes, EnterpriseStore enterprises, PageWords words) : PageModel
{
    /// <summary>How many holders get a colour of their own in the bar; more share the last one.</summary>
    public const int Colours = 8;

    /// <summary>An enterprise the caller may pass sub-notes on to.</summary>
    public sealed record Recipient(string Id, string Name);

    public NoteResponse Note { get; private set; } = null!;

    public IReadOnlyList<NoteEventResponse> History { get; private set; } = [];

    public IReadOnlyList<Recipient> Recipients { get; private set; } = [];

    /// <summary>Each holder's colour index in the bar, in the order they first appear (by sub-note number).</summary>
    public IReadOnlyDictionary<string, int> ColourOf { get; private set; } = new Dictionary<string, int>();

    /// <summary>What the caller holds, in yuan.</summary>
    public decimal Held { get; private set; }

    public FormErrors Errors { get; } = new();

    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    [BindProperty(Name = "toEnterpriseId")] public string? ToEnterpriseId { get; set; }
    [BindProperty(Name = "amount")] public string? Amount { get; set; }

    public bool MayPassOn => User.IsInRole("enterprise") && Held > 0 && Note.Status == NoteStatusView.Outstanding;

    /// <summary>The sub-notes of a note: 0.01 yuan each.</summary>
    public long Units => Note.Holdings.Count == 0 ? 0 : Note.Holdings.Max(h => h.To);

    public async Task OnGetAsync(string id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken);

    public async Task<IActionResult> OnPostPassOnAsync(string id, CancellationToken cancellationToken)
    {
        if (!User.IsInRole("enterprise"))
        {
            return Forbid();
        }

        var amount = FormInput.Yuan(Amount, "amount", Errors, words);
        var request = new TransferNoteRequest(ToEnterpriseId ?? "", amount ?? 0);
        if (Errors.Validate(request) && !Errors.Any)
        {
            try
            {
                await notes.TransferAsync(id, request, Caller.From(User), cancellationToken);
                return Redirect($"/notes/{id}?done=passedOn");
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

        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(string id, CancellationToken cancellationToken)
    {
        var caller = Caller.From(User);
        Note = await notes.GetAsync(id, caller, cancellationToken) ?? throw new NotFoundException("note");
        History = (await notes.HistoryAsync(id, caller, cancellationToken))?.Items ?? [];
        var party = caller.EnterpriseId ?? caller.InstitutionId;
        Held = Note.Holdings.Where(h => h.HolderId == party).Sum(h => h.Amount);
        var colours = new Dictionary<string, int>();
        foreach (var h in Note.Holdings.OrderBy(h => h.From))
        {
            colours.TryAdd(h.HolderId, Math.Min(colours.Count, Colours - 1));
        }

        ColourOf = colours;
        if (caller.Role == Role.Enterprise && Held > 0)
        {
            // The members of the caller's chains: whom it trades with.
            var own = await enterprises.GetAsync(caller.OwnEnterpriseId, confidential: false, cancellationToken);
            var chains = own?.Chains.Select(c => c.ChainId).ToHashSet() ?? [];
            var all = await enterprises.ListAsync(PageRequest.From(PageRequest.MaxLimit, null), _ => false, cancellationToken);
            Recipients = all.Items.Where(e => e.Id != caller.OwnEnterpriseId && e.Chains.Any(c => chains.Contains(c.ChainId)))
                .Select(e => new Recipient(e.Id, e.Name)).ToList();
        }
    }

    /// <summary>A range's share of the bar, in % (at least a sliver, so that a small holding stays visible).</summary>
    public string Width(NoteHoldingResponse holding)
    {
        ArgumentNullException.ThrowIfNull(holding);
        var share = Units == 0 ? 0 : (holding.To - holding.From + 1) * 100m / Units;
        return Math.Max(share, 0.5m).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>The ranges of an event, <c>1–80,000,000</c>.</summary>
    public static string Ranges(IEnumerable<SubNoteRangeResponse> ranges) =>
        string.Join(", ", ranges.Select(r => r.From == r.To ? PageWords.Count(r.From) : $"{PageWords.Count(r.From)}–{PageWords.Count(r.To)}"));
}
