using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using FinanceChain.Api.Errors;
using FinanceChain.Domain;

namespace FinanceChain.Api.Pages.Desks;

/// <summary>
/// The messages a desk's form shows: one beside each field (keyed by the API's field name, <c>amount</c>,
/// <c>chainId</c>) and one for the whole form. They are the API's own texts: the request record's validation
/// attributes, and the codes the stores and the domain raise, in the page's language.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The message that belongs to no field (a state conflict, a stale form).</summary>
    public string? Form { get; private set; }

    public bool Any => _fields.Count > 0 || Form is not null;

    /// <summary>The message beside <paramref name="field"/>, or null.</summary>
    public string? this[string field] => _fields.GetValueOrDefault(field);

    /// <summary>Adds a field's message; the first message of a field wins, as a person fixes one thing at a time.</summary>
    public void Add(string field, string text) => _fields.TryAdd(field, text);

    public void SetForm(string text) => Form ??= text;

    /// <summary>
    /// Runs the validation attributes of <paramref name="request"/>'s record parameters, as the API's validation does on
    /// the same record, and adds their messages under the parameters' JSON names. True when all pass.
    /// </summary>
    public bool Validate(object request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = request.GetType();
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var valid = true;
        foreach (var parameter in constructor.GetParameters())
        {
            var value = type.GetProperty(parameter.Name!)?.GetValue(request);
            var context = new ValidationContext(request) { MemberName = parameter.Name, DisplayName = JsonName(parameter.Name!) };
            foreach (var attribute in parameter.GetCustomAttributes<ValidationAttribute>())
            {
                var result = attribute.GetValidationResult(value, context);
                if (result != ValidationResult.Success)
                {
                    Add(JsonName(parameter.Name!), result!.ErrorMessage ?? "");
                    valid = false;
                    break;
                }
            }
        }

        return valid;
    }

    /// <summary>
    /// Adds what a store or the domain refused, in words: field errors beside their fields (<c>invoiceNumbers[1]</c>
    /// beside <c>invoiceNumbers</c>), anything else above the form.
    /// </summary>
    public void Add(Exception error, PageWords words)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(words);
        switch (error)
        {
            case FieldValidationException e:
                foreach (var (field, _) in e.Errors)
                {
                    Add(FieldOf(field), words.ErrorText(new FieldValidationException(new Dictionary<string, FieldError[]> { [field] = e.Errors[field] })));
                }

                break;
            case DomainValidationException e:
                Add(FieldOf(e.Field), words.ErrorText(e));
                break;
            default:
                SetForm(words.ErrorText(error));
                break;
        }
    }

    /// <summary>The status a refused form is answered with: 400 for bad input, else the error's own (409, 412...).</summary>
    public static int StatusOf(Exception error) => error switch
    {
        ApiException e => e.Status,
        DomainValidationException => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>What a person can put right: bad input, a state conflict, a stale form. Not found and forbidden stay status pages.</summary>
    public static bool IsUserError(Exception e) =>
        e is DomainException || e is ApiException { Status: not (StatusCodes.Status404NotFound or StatusCodes.Status403Forbidden) };

    private static string FieldOf(string field)
    {
        var end = field.IndexOfAny(['[', '.']);
        return end < 0 ? field : field[..end];
    }

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>
/// What a person types, read as the API reads JSON: amounts in yuan, whole numbers, rates in % a year. A value that
/// cannot be read is a message beside its field, never a 500.
/// </summary>
public static class FormInput
{
    /// <summary>An amount in yuan (<c>1,200,000.50</c>; separators allowed); null and a message when unreadable.</summary>
    public static decimal? Yuan(string? text, string field, FormErrors errors, PageWords words)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(words);
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, words["page.form.required"]);
            return null;
        }

        if (!decimal.TryParse(text.Trim().Replace(",", "", StringComparison.Ordinal).Replace("，", "", StringComparison.Ordinal),
                NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(field, words["page.form.number"]);
            return null;
        }

        return value;
    }

    /// <summary>A whole number; null and a message when unreadable.</summary>
    public static int? Whole(string? text, string field, FormErrors errors, PageWords words, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(words);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(field, words["page.form.required"]);
            }

            return null;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(field, words["page.form.whole"]);
            return null;
        }

        return value;
    }

    /// <summary>A rate typed in % a year (<c>3.85</c>) as basis points (<c>385</c>); null when empty and optional.</summary>
    public static int? PercentAsBps(string? text, string field, FormErrors errors, PageWords words, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(words);
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(field, words["page.form.required"]);
            }

            return null;
        }

        if (!decimal.TryParse(text.Trim().TrimEnd('%').Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            || percent * 100 != decimal.Truncate(percent * 100) || percent > 1000)
        {
            errors.Add(field, words["page.form.rate"]);
            return null;
        }

        return (int)(percent * 100);
    }

    /// <summary>A rate in bps as a person types it again (<c>385</c> → <c>3.85</c>).</summary>
    public static string Percent(int bps) => (bps / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>An enum value as the API writes it (<c>orderFinancing</c>), or null for anything else.</summary>
    public static T? Enum<T>(string? text)
        where T : struct, System.Enum =>
        System.Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => Database.EnumText.Of(v!.Value) == text);
}
