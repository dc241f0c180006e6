using System.Globalization;
using System.Resources;
using FinanceChain.Api.Errors;

namespace FinanceChain.Api.Http;

/// <summary>
/// The texts of field validation, for DataAnnotations' own localisation: every validation attribute on a request
/// record names one of these properties (<c>[Required(ErrorMessageResourceType = typeof(FieldTexts),
/// ErrorMessageResourceName = nameof(FieldTexts.Required))]</c>), and DataAnnotations reads it in the request's UI
/// language. The texts are those of <c>Errors/ErrorTexts.resx</c> under the property's code; the problem details
/// give that code in <c>errorCodes</c> beside the message.
/// </summary>
/// <remarks>
/// <c>{0}</c> in a DataAnnotations text is the field's name, which the problem details already give as the key, so
/// the texts here leave it out; <c>{1}</c> and <c>{2}</c> are the attribute's bounds.
/// </remarks>
public static class FieldTexts
{
    private static readonly ResourceManager Resources = new(typeof(ErrorTexts));

    /// <summary>The codes of the texts below, by property name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Codes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(Required)] = ErrorCodes.FieldRequired,
        [nameof(Range)] = ErrorCodes.FieldRange,
        [nameof(MaxChars)] = ErrorCodes.FieldMaxChars,
        [nameof(CharsBetween)] = ErrorCodes.FieldCharsBetween,
        [nameof(MaxItems)] = ErrorCodes.FieldMaxItems,
        [nameof(CodeCharacters)] = ErrorCodes.FieldCodeCharacters,
    };

    /// <summary>[Required]: the field must be given.</summary>
    public static string Required => Get(ErrorCodes.FieldRequired);

    /// <summary>[Range]: <c>{1}</c> to <c>{2}</c>.</summary>
    public static string Range => Get(ErrorCodes.FieldRange);

    /// <summary>[StringLength] without a minimum: at most <c>{1}</c> characters.</summary>
    public static string MaxChars => Get(ErrorCodes.FieldMaxChars);

    /// <summary>[StringLength] with a minimum: <c>{2}</c> to <c>{1}</c> characters.</summary>
    public static string CharsBetween => Get(ErrorCodes.FieldCharsBetween);

    /// <summary>[MaxLength] on a list: at most <c>{1}</c> items.</summary>
    public static string MaxItems => Get(ErrorCodes.FieldMaxItems);

    /// <summary>[RegularExpression] of a code: letters, digits, '-' and '_' only.</summary>
    public static string CodeCharacters => Get(ErrorCodes.FieldCodeCharacters);

    /// <summary>The text of <paramref name="code"/> in the current UI language, filled with <paramref name="args"/>.</summary>
    public static string Format(string code, params object?[] args)
    {
        var language = CultureInfo.CurrentUICulture;
        var template = Get(code);
        return args.Length == 0 ? template : string.Format(language, template, args.Select(a => Localization.Formats.Value(a, language)).ToArray());
    }

    private static string Get(string code) => Resources.GetString(code, CultureInfo.CurrentUICulture) ?? code;
}
