namespace FinanceChain.Domain;

/// <summary>Category of an industrial chain.</summary>
public enum ChainCategory
{
    /// <summary>Agricultural chain (e.g. crayfish, tea).</summary>
    Agriculture,
    /// <summary>Manufacturing chain (e.g. automobiles, integrated circuits).</summary>
    Manufacturing,
    /// <summary>Service chain.</summary>
    Services,
    /// <summary>Emerging industry chain.</summary>
    Emerging,
}

/// <summary>Kind of financial institution.</summary>
public enum InstitutionKind
{
    /// <summary>Policy bank (e.g. Agricultural Development Bank of China).</summary>
    PolicyBank,
    /// <summary>Large state-owned commercial bank.</summary>
    LargeStateOwned,
    /// <summary>Joint-stock commercial bank.</summary>
    JointStock,
    /// <summary>City commercial bank.</summary>
    CityCommercial,
    /// <summary>Rural financial institution (rural credit union, rural commercial bank).</summary>
    RuralFinancial,
    /// <summary>Foreign bank.</summary>
    Foreign,
    /// <summary>Any other institution.</summary>
    Other,
}

/// <summary>Role of an enterprise in a chain.</summary>
public enum ChainRole
{
    /// <summary>Core enterprise (链主).</summary>
    Core,
    /// <summary>Upstream supplier.</summary>
    Upstream,
    /// <summary>Downstream distributor or customer.</summary>
    Downstream,
}

/// <summary>Enterprise size under the 2011 SME classification.</summary>
public enum EnterpriseSize
{
    /// <summary>Large (not an SME).</summary>
    Large,
    /// <summary>Medium.</summary>
    Medium,
    /// <summary>Small.</summary>
    Small,
    /// <summary>Micro.</summary>
    Micro,
}

/// <summary>Industry rows of the 2011 SME classification (工信部联企业〔2011〕300号).</summary>
public enum Industry
{
    /// <summary>Agriculture, forestry, animal husbandry and fishery.</summary>
    Agriculture,
    /// <summary>Industry (mining, manufacturing, utilities).</summary>
    Industry,
    /// <summary>Construction.</summary>
    Construction,
    /// <summary>Wholesale.</summary>
    Wholesale,
    /// <summary>Retail.</summary>
    Retail,
    /// <summary>Transport.</summary>
    Transport,
    /// <summary>Warehousing.</summary>
    Warehousing,
    /// <summary>Postal services.</summary>
    Postal,
    /// <summary>Lodging and catering.</summary>
    Hospitality,
    /// <summary>Information transmission (telecom).</summary>
    Telecom,
    /// <summary>Software and information technology services.</summary>
    Software,
    /// <summary>Real estate development.</summary>
    RealEstate,
    /// <summary>Property management.</summary>
    PropertyManagement,
    /// <summary>Leasing and business services.</summary>
    LeasingBusinessServices,
    /// <summary>Other industries not listed.</summary>
    Other,
}

/// <summary>Role of an API key.</summary>
public enum Role
{
    /// <summary>The industry department: registry, pairing, keys, roster compilation.</summary>
    Admin,
    /// <summary>The central-bank branch: reads everything, reviews rosters.</summary>
    Regulator,
    /// <summary>A bank, bound to one institution.</summary>
    Bank,
    /// <summary>An enterprise, bound to one enterprise.</summary>
    Enterprise,
}
