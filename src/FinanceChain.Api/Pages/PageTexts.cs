using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Pages;

/// <summary>
/// The words of the pages: <c>PageTexts.resx</c> (Simplified Chinese) and <c>PageTexts.en.resx</c>. Keys start with
/// <c>page.</c>, so that they never meet an API code in the text catalog.
/// </summary>
[Texts]
public sealed class PageTexts;
