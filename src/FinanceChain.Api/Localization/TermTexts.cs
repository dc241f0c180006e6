namespace FinanceChain.Api.Localization;

/// <summary>
/// The words the service puts into sentences, by code: product types, collateral and enterprise sizes
/// (<see cref="Domain.TermCodes"/>), the statuses of requests and offers, and the things an error may not find
/// (<c>financingRequestNotFound</c> and the like, the codes of <see cref="Errors.NotFoundException"/>).
/// </summary>
[Texts]
public sealed class TermTexts;
