using FinanceChain.Api.Auth;
using FinanceChain.Api.Http;
using FinanceChain.Api.Matching;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// <c>/requests/{id}</c>: one financing request, for whoever the store lets see it (anyone else: 404). Its owner sees
/// the ranked, explained matches (the lead bank marked), the near misses, the offers with an accept button, and may
/// withdraw it; a bank whose products match it sees its own offers and the offer form.
/// </summary>
[Authorize]
public sealed class RequestModel(FinancingRequestStore requests, OfferStore offers, PageWords words) : PageModel
{
    public Caller Caller { get; private set; } = null!;

    public FinancingRequestResponse Financing { get; private set; } = null!;

    /// <summary>The matches; for a bank only its own products. Null when the caller may not ask (e.g. the request closed).</summary>
    public MatchesResponse? Matches { get; private set; }

    public IReadOnlyList<OfferResponse> Offers { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    [BindProperty(Name = "productId")]
    public string? ProductId { get; set; }

    [BindProperty(Name = "amount")]
    public string? Amount { get; set; }

    [BindProperty(Name = "rate")]
    public string? Rate { get; set; }

    [BindProperty(Name = "termDays")]
    public string? TermDays { get; set; }

    public bool IsOwner => Caller.Role == Role.Enterprise && Financing.EnterpriseId == Caller.EnterpriseId;

    public bool IsLive => Financing.Status is FinancingRequestStatus.Open or FinancingRequestStatus.Offered;

    public bool MayOffer => Caller.Role == Role.Bank && IsLive && Matches is { Items.Count: > 0 };

    public async Task OnGetAsync(string id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken);

    public async Task<IActionResult> OnPostAcceptAsync(string id, string offerId, CancellationToken cancellationToken)
    {
        if (!User.IsInRole("enterprise"))
        {
            return Forbid();
        }

        return await ChangeAsync(id, () => offers.AcceptAsync(offerId ?? "", Caller.From(User), cancellationToken), "accepted", cancellationToken);
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string id, CancellationToken cancellationToken)
    {
        if (!User.IsInRole("enterprise"))
        {
            return Forbid();
        }

        return await ChangeAsync(id, () => requests.WithdrawAsync(id, Caller.From(User), cancellationToken), "withdrawn", cancellationToken);
    }

    public async Task<IActionResult> OnPostOfferAsync(string id, CancellationToken cancellationToken)
    {
        if (!User.IsInRole("bank"))
        {
            return Forbid();
        }

        var amount = FormInput.Yuan(Amount, "amount", Errors, words);
        var rate = FormInput.PercentAsBps(Rate, "rateBps", Errors, words, required: true);
        var termDays = FormInput.Whole(TermDays, "termDays", Errors, words);
        var offer = new NewOffer(ProductId ?? "", amount ?? 0, rate ?? 0, termDays ?? 0);
        if (!Errors.Validate(offer) || Errors.Any)
        {
            await LoadAsync(id, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return await ChangeAsync(id, () => offers.CreateAsync(id, offer, Caller.From(User), cancellationToken), "offered", cancellationToken);
    }

    private async Task<IActionResult> ChangeAsync<T>(string id, Func<Task<T>> change, string done, CancellationToken cancellationToken)
    {
        try
        {
            await change();
            return Redirect($"/requests/{id}?done={done}");
        }
        catch (Exception e) when (FormErrors.IsUserError(e))
        {
            await LoadAsync(id, cancellationToken);
            Errors.Add(e, words);
            Response.StatusCode = FormErrors.StatusOf(e);
            return Page();
        }
    }

    private async Task LoadAsync(string id, CancellationToken cancellationToken)
    {
        Caller = Caller.From(User);
        Financing = await requests.GetAsync(id, Caller, cancellationToken);
        Offers = (await offers.ListForRequestAsync(id, Caller, PageRequest.From(PageRequest.MaxLimit, null), cancellationToken)).Items;
        try
        {
            var matches = await requests.MatchesAsync(id, 10, Caller, cancellationToken);
            Matches = Caller.Role == Role.Bank
                ? new MatchesResponse(matches.Items.Where(m => m.InstitutionId == Caller.InstitutionId).ToList(), [])
                : matches;
        }
        catch (FinanceChain.Api.Errors.NotFoundException)
        {
            // A bank that sees the request through its offer, once the request no longer takes offers.
            Matches = null;
        }

        if (Caller.Role == Role.Bank && ProductId is null && Matches is { Items.Count: > 0 } m)
        {
            // The form starts from the request's own figures and the best product's lowest rate.
            ProductId = m.Items[0].ProductId;
            Amount ??= Financing.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            TermDays ??= Financing.TermDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Rate ??= FormInput.Percent(m.Items[0].MinRateBps);
        }
    }
}
