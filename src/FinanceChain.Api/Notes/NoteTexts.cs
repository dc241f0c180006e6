using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Notes;

/// <summary>The texts of the notes feature's codes (供应链票据, 子票区间, 贴现, 提示付款, 拒付, 追索), in <c>NoteTexts.resx</c>.</summary>
[Texts]
public sealed class NoteTexts;
