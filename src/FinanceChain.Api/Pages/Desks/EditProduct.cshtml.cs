using System.Globalization;
using FinanceChain.Api.Auth;
using FinanceChain.Api.Chains;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Products;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// <c>/products/{id}/edit</c> (the owning bank): the product's terms in a form. The form carries the version it was
/// read at, the page's ETag: saving replaces the product only if nobody changed it in between (as <c>PUT</c> with
/// <c>If-Match</c>); a stale form says so and offers the current terms.
/// </summary>
[Authorize(Policy = Policies.Bank)]
public sealed class EditProductModel(ProductStore products, ChainStore chains, PageWords words) : PageModel
{
    public ProductResponse Product { get; private set; } = null!;

    public IReadOnlyList<ChainResponse> Chains { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    /// <summary>True when the product changed since the form was read.</summary>
    public bool Stale { get; private set; }

    [BindProperty(Name = "version")] public long? Version { get; set; }
    [BindProperty(Name = "name")] public string? Name { get; set; }
    [BindProperty(Name = "type")] public string? Type { get; set; }
    [BindProperty(Name = "minAmount")] public string? MinAmount { get; set; }
    [BindProperty(Name = "maxAmount")] public string? MaxAmount { get; set; }
    [BindProperty(Name = "minTermDays")] public string? MinTermDays { get; set; }
    [BindProperty(Name = "maxTermDays")] public string? MaxTermDays { get; set; }
    [BindProperty(Name = "minRate")] public string? MinRate { get; set; }
    [BindProperty(Name = "maxRate")] public string? MaxRate { get; set; }
    [BindProperty(Name = "collateral")] public string? CollateralValue { get; set; }
    [BindProperty(Name = "chainIds")] public List<string> ChainIds { get; set; } = [];
    [BindProperty(Name = "sizes")] public List<string> Sizes { get; set; } = [];
    [BindProperty(Name = "regions")] public string? Regions { get; set; }
    [BindProperty(Name = "requiresConfirmedReceivable")] public bool RequiresConfirmedReceivable { get; set; }
    [BindProperty(Name = "maxAdvanceRatio")] public string? MaxAdvanceRatio { get; set; }

    public async Task OnGetAsync(string id, CancellationToken cancellationToken)
    {
        await LoadAsync(id, cancellationToken);
        Fill(Product);
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        await LoadAsync(id, cancellationToken);
        var minAmount = FormInput.Yuan(MinAmount, "minAmount", Errors, words);
        var maxAmount = FormInput.Yuan(MaxAmount, "maxAmount", Errors, words);
        var minTerm = FormInput.Whole(MinTermDays, "minTermDays", Errors, words);
        var maxTerm = FormInput.Whole(MaxTermDays, "maxTermDays", Errors, words);
        var minRate = FormInput.PercentAsBps(MinRate, "minRateBps", Errors, words, required: true);
        var maxRate = FormInput.PercentAsBps(MaxRate, "maxRateBps", Errors, words, required: true);
        var ratio = FormInput.PercentAsBps(MaxAdvanceRatio, "maxAdvanceRatioBps", Errors, words, required: true);
        var request = new ProductRequest(
            Name ?? "",
            FormInput.Enum<ProductType>(Type) ?? Product.Type,
            minAmount ?? 0,
            maxAmount ?? 0,
            minTerm ?? 0,
            maxTerm ?? 0,
            minRate ?? 0,
            maxRate ?? 0,
            FormInput.Enum<Collateral>(CollateralValue) ?? Product.Collateral,
            ChainIds,
            Sizes.Select(FormInput.Enum<EnterpriseSize>).OfType<EnterpriseSize>().ToList(),
            (Regions ?? "").Split([',', '，', ' ', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            RequiresConfirmedReceivable,
            ratio ?? 0);
        if (!Errors.Validate(request) || Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            await products.ReplaceAsync(id, request, Version ?? 0, Caller.From(User), cancellationToken);
            return Redirect("/products?done=saved");
        }
        catch (PreconditionFailedException)
        {
            // Somebody saved the product after this form was read: say so, and keep what the person typed.
            Stale = true;
            Errors.SetForm(words["page.product.stale"]);
            Response.StatusCode = StatusCodes.Status412PreconditionFailed;
            return Page();
        }
        catch (Exception e) when (FormErrors.IsUserError(e))
        {
            Errors.Add(e, words);
            Response.StatusCode = FormErrors.StatusOf(e);
            return Page();
        }
    }

    private async Task LoadAsync(string id, CancellationToken cancellationToken)
    {
        var caller = Caller.From(User);
        var product = await products.GetAsync(id, cancellationToken);
        if (product is null || product.InstitutionId != caller.InstitutionId || product.Status != ProductStatus.Active)
        {
            throw new NotFoundException("product");
        }

        Product = product;
        Chains = (await chains.ListAsync(PageRequest.From(PageRequest.MaxLimit, null), cancellationToken)).Items;
        Response.Headers.ETag = ETags.For(product.Version);
    }

    private void Fill(ProductResponse p)
    {
        Version = p.Version;
        Name = p.Name;
        Type = Database.EnumText.Of(p.Type);
        MinAmount = p.MinAmount.ToString(CultureInfo.InvariantCulture);
        MaxAmount = p.MaxAmount.ToString(CultureInfo.InvariantCulture);
        MinTermDays = p.MinTermDays.ToString(CultureInfo.InvariantCulture);
        MaxTermDays = p.MaxTermDays.ToString(CultureInfo.InvariantCulture);
        MinRate = FormInput.Percent(p.MinRateBps);
        MaxRate = FormInput.Percent(p.MaxRateBps);
        CollateralValue = Database.EnumText.Of(p.Collateral);
        ChainIds = [.. p.ChainIds];
        Sizes = [.. p.EnterpriseSizes.Select(s => Database.EnumText.Of(s))];
        Regions = string.Join(", ", p.Regions);
        RequiresConfirmedReceivable = p.RequiresConfirmedReceivable;
        MaxAdvanceRatio = FormInput.Percent(p.MaxAdvanceRatioBps);
    }
}
