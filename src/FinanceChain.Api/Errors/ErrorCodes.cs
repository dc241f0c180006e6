using FinanceChain.Api.Localization;

namespace FinanceChain.Api.Errors;

/// <summary>
/// The texts of errors that belong to no one feature, of field validation (<see cref="Http.FieldTexts"/>) and of
/// the registry's value checks (<see cref="Domain.RegistryCodes"/>): <c>ErrorTexts.resx</c> and <c>ErrorTexts.en.resx</c>.
/// </summary>
[Texts]
public sealed class ErrorTexts;

/// <summary>Codes of errors that belong to no one feature. Problem titles are <c>status</c> + the status code (<c>status404</c>).</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validationFailed";
    public const string JsonInvalid = "jsonInvalid";
    public const string JsonMalformed = "jsonMalformed";
    public const string JsonWrongValue = "jsonWrongValue";

    /// <summary>{0} the largest body accepted, in bytes.</summary>
    public const string PayloadTooLarge = "payloadTooLarge";
    public const string DatabaseBusy = "databaseBusy";
    public const string BadRequest = "badRequest";
    public const string StatusOther = "statusOther";

    /// <summary>401: no <c>X-Api-Key</c>, or one that is unknown or revoked.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>403: the caller's role may not do this.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>404 for an address the service does not have.</summary>
    public const string RouteNotFound = "routeNotFound";

    /// <summary>405: the address exists, the method does not.</summary>
    public const string MethodNotAllowed = "methodNotAllowed";

    /// <summary>429: {0} the requests allowed per minute.</summary>
    public const string TooManyRequests = "tooManyRequests";

    /// <summary>428: <c>If-Match</c> is needed here.</summary>
    public const string IfMatchRequired = "ifMatchRequired";

    /// <summary>412: <c>If-Match</c> names an older version.</summary>
    public const string IfMatchStale = "ifMatchStale";

    /// <summary>A page's limit is at least 1.</summary>
    public const string PageLimitTooSmall = "pageLimitTooSmall";

    /// <summary>A cursor the service did not issue.</summary>
    public const string CursorInvalid = "cursorInvalid";

    /// <summary>{0} the values allowed.</summary>
    public const string EnumUnknown = "enumUnknown";

    // Field validation (DataAnnotations, through FieldTexts; {1} and {2} are the attribute's bounds).
    public const string FieldRequired = "fieldRequired";
    public const string FieldRange = "fieldRange";
    public const string FieldMaxChars = "fieldMaxChars";
    public const string FieldCharsBetween = "fieldCharsBetween";
    public const string FieldMaxItems = "fieldMaxItems";
    public const string FieldCodeCharacters = "fieldCodeCharacters";

    /// <summary>A field message that matches no known text (a validation attribute without a text of ours).</summary>
    public const string FieldInvalid = "fieldInvalid";

    public const string TextBlank = "textBlank";
    public const string TextControlCharacters = "textControlCharacters";
    public const string IdForm = "idForm";

    /// <summary>{0} the position of the item in the list.</summary>
    public const string IdItemForm = "idItemForm";
}
