using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Enterprises;

/// <summary>An enterprise to register, with the figures its size is computed from.</summary>
/// <param name="Name">Registered name.</param>
/// <param name="CreditCode">18-character unified social credit code.</param>
/// <param name="Industry">Industry row of the 2011 SME standard.</param>
/// <param name="Employees">Number of employees.</param>
/// <param name="AnnualRevenue">Annual operating revenue in yuan.</param>
/// <param name="TotalAssets">Total assets in yuan.</param>
/// <param name="Region">Administrative division code of its seat.</param>
/// <param name="Chains">The chains it belongs to, with its role in each.</param>
public sealed record CreateEnterpriseRequest(
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), StringLength(200, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxChars)), PlainText] string Name,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), CreditCode] string CreditCode,
    Industry Industry,
    [Range(0, 10_000_000, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Range))] int Employees,
    [Yuan(Minimum = 0)] decimal AnnualRevenue,
    [Yuan(Minimum = 0)] decimal TotalAssets,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), Region] string Region,
    [MaxLength(50, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxItems))] IReadOnlyList<ChainMembershipRequest>? Chains = null);

/// <summary>Membership of an enterprise in a chain.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="Role">Core enterprise, upstream supplier or downstream distributor.</param>
public sealed record ChainMembershipRequest([Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), EntityId] string ChainId, ChainRole Role);

/// <summary>An enterprise's membership in a chain.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="ChainName">The chain's name.</param>
/// <param name="Role">Its role in the chain.</param>
public sealed record ChainMembershipResponse(string ChainId, string ChainName, ChainRole Role);

/// <summary>
/// An enterprise. Employees, revenue and assets are confidential: they are present only for the
/// enterprise itself, admin, regulator and a bank it does business with through a request or offer.
/// </summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="Name">Registered name.</param>
/// <param name="CreditCode">Unified social credit code.</param>
/// <param name="Industry">Industry.</param>
/// <param name="Region">Administrative division code.</param>
/// <param name="RegionName">The region's full name (<c>湖北省武汉市洪山区</c>), from the GB/T 2260 list.</param>
/// <param name="Size">Size under the 2011 SME standard.</param>
/// <param name="Chains">Chains it belongs to.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="Employees">Employees (confidential).</param>
/// <param name="AnnualRevenue">Annual revenue in yuan (confidential).</param>
/// <param name="TotalAssets">Total assets in yuan (confidential).</param>
public sealed record EnterpriseResponse(
    string Id, string Name, string CreditCode, Industry Industry, string Region, string RegionName, EnterpriseSize Size,
    IReadOnlyList<ChainMembershipResponse> Chains, Instant CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Employees = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? AnnualRevenue = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? TotalAssets = null);
