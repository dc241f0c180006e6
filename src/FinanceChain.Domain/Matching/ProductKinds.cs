namespace FinanceChain.Domain;

/// <summary>The kinds of supply-chain finance product a bank offers to a chain.</summary>
public enum ProductType
{
    /// <summary>Loan against a receivable the borrower holds on a buyer (应收账款融资).</summary>
    ReceivablesFinancing,
    /// <summary>The bank buys the receivable outright or with recourse (保理).</summary>
    Factoring,
    /// <summary>Loan against a confirmed purchase order, repaid from the sale (订单融资).</summary>
    OrderFinancing,
    /// <summary>Loan against goods in stock pledged to the bank (存货质押).</summary>
    InventoryPledge,
    /// <summary>Loan against a standard warehouse receipt pledged to the bank (仓单质押).</summary>
    WarehouseReceiptPledge,
    /// <summary>Loan to a buyer to prepay its supplier, secured on the goods to come (预付款融资).</summary>
    PrepaymentFinancing,
    /// <summary>The bank discounts a supply-chain note the borrower holds (供应链票据贴现).</summary>
    NoteDiscount,
    /// <summary>Unsecured loan on the borrower's credit (信用贷款).</summary>
    CreditLoan,
}

/// <summary>What a product takes as security; a financing request lists what it can offer.</summary>
public enum Collateral
{
    /// <summary>No security needed.</summary>
    None,
    /// <summary>A receivable owed to the borrower.</summary>
    Receivable,
    /// <summary>A supply-chain note the borrower holds.</summary>
    Note,
    /// <summary>Goods in stock.</summary>
    Inventory,
    /// <summary>A warehouse receipt.</summary>
    WarehouseReceipt,
    /// <summary>Land or buildings.</summary>
    RealEstate,
    /// <summary>A guarantee by a third party (guarantee company, core enterprise).</summary>
    Guarantee,
}
