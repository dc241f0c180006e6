using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// The words of the enterprise and bank desks: <c>DeskTexts.resx</c> (Simplified Chinese) and <c>DeskTexts.en.resx</c>.
/// Keys start with <c>page.</c> like the other pages' words, so that they never meet an API code.
/// </summary>
[Texts]
public sealed class DeskTexts;
