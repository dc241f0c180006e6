using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Errors;

/// <summary>The codes of errors that belong to no one feature; their texts are in <c>ErrorTexts.resx</c>.</summary>
[Texts]
public sealed class ErrorTexts;

/// <summary>Codes of errors that belong to no one feature.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validationFailed";
    public const string JsonInvalid = "jsonInvalid";
    public const string JsonMalformed = "jsonMalformed";
    public const string JsonWrongValue = "jsonWrongValue";
    public const string PayloadTooLarge = "payloadTooLarge";
    public const string DatabaseBusy = "databaseBusy";
    public const string BadRequest = "badRequest";
    public const string StatusOther = "statusOther";
}
