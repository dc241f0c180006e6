namespace FinanceChain.Api.Localization;

/// <summary>
/// Something the service says to people: a stable code that never changes with the language, and its sentence in the
/// language of the request (<c>Accept-Language</c>: Simplified Chinese by default, or English).
/// </summary>
/// <param name="Code">The stable code, e.g. <c>reasonLeadBank</c> or <c>ruleAmountAboveMaximum</c>.</param>
/// <param name="Message">The sentence, e.g. <c>该产品所属银行是本产业链的主办行（一链一行）</c>.</param>
public sealed record ReasonResponse(string Code, string Message);
