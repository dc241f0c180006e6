using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Receivables;

/// <summary>The texts of the receivables feature's codes (应收账款, 确权, 发票), in <c>ReceivableTexts.resx</c>.</summary>
[Texts]
public sealed class ReceivableTexts;
