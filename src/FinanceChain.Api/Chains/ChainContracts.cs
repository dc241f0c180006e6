using System.ComponentModel.DataAnnotations;
using FinanceChain.Api.Http;
using FinanceChain.Domain;
using NodaTime;

namespace FinanceChain.Api.Chains;

/// <summary>A key industrial chain to register.</summary>
/// <param name="Code">Short unique code, letters, digits, '-' or '_' (e.g. <c>HB-CRAYFISH</c>).</param>
/// <param name="Name">Name of the chain (e.g. 特色淡水产品(小龙虾)).</param>
/// <param name="Category">Agriculture, manufacturing, services or emerging.</param>
/// <param name="Region">Administrative division code of the province or city that keeps the chain.</param>
/// <param name="Chief">The government chain chief (链长), if named.</param>
public sealed record CreateChainRequest(
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), StringLength(32, MinimumLength = 1, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.CharsBetween)), RegularExpression("^[A-Za-z0-9_-]+$", ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.CodeCharacters))] string Code,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), StringLength(200, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxChars)), PlainText] string Name,
    ChainCategory Category,
    [Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), Region] string Region,
    [StringLength(200, ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.MaxChars)), PlainText] string? Chief = null);

/// <summary>A key industrial chain.</summary>
/// <param name="Id">Server-chosen id.</param>
/// <param name="Code">Unique code.</param>
/// <param name="Name">Name.</param>
/// <param name="Category">Category.</param>
/// <param name="Region">Administrative division code.</param>
/// <param name="RegionName">The region's full name (<c>湖北省</c>), from the GB/T 2260 list.</param>
/// <param name="Chief">Government chain chief, if named.</param>
/// <param name="Active">False once the chain has been taken off the key-chain list.</param>
/// <param name="LeadBank">The current lead bank (一链一行), if paired.</param>
/// <param name="CreatedAt">When the chain was registered.</param>
public sealed record ChainResponse(
    string Id, string Code, string Name, ChainCategory Category, string Region, string RegionName, string? Chief, bool Active,
    LeadBankResponse? LeadBank, Instant CreatedAt);

/// <summary>Pair a chain with its lead bank.</summary>
/// <param name="InstitutionId">The institution that becomes the chain's lead bank.</param>
public sealed record PairLeadBankRequest([Required(ErrorMessageResourceType = typeof(FieldTexts), ErrorMessageResourceName = nameof(FieldTexts.Required)), EntityId] string InstitutionId);

/// <summary>The current lead bank of a chain.</summary>
/// <param name="InstitutionId">The lead bank.</param>
/// <param name="InstitutionName">Its name.</param>
/// <param name="Since">When the pairing started.</param>
public sealed record LeadBankResponse(string InstitutionId, string InstitutionName, Instant Since);

/// <summary>One pairing in a chain's lead-bank history.</summary>
/// <param name="InstitutionId">The lead bank.</param>
/// <param name="InstitutionName">Its name.</param>
/// <param name="Since">When the pairing started.</param>
/// <param name="Until">When it ended; null for the current pairing.</param>
/// <param name="PairedBy">The API key that made the pairing.</param>
/// <param name="PairedByName">That key's name (e.g. <c>人民银行湖北省分行</c>), or its id when the key row is gone.</param>
public sealed record LeadBankPairingResponse(string InstitutionId, string InstitutionName, Instant Since, Instant? Until, string PairedBy, string PairedByName);
