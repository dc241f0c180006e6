using System.Globalization;
using FinanceChain.Api.Http;
using FinanceChain.Api.Localization;
using FinanceChain.Domain;
using Microsoft.AspNetCore.Mvc;

namespace FinanceChain.Api.Errors;

/// <summary>
/// Problem details in the caller's language: a stable <c>code</c>, a <c>title</c> by status and a <c>detail</c> by
/// code; for validation, every field's messages with their codes in <c>errorCodes</c>. Used by the exception handler,
/// the request limits, and (through <see cref="Customize"/>) every problem the framework writes itself: 401 and 403
/// from authentication and authorization, 404 and 405 from the status-code pages, 400 from request validation.
/// </summary>
public sealed class Problems(TextCatalog texts)
{
    public const string CodeKey = "code";
    public const string ErrorCodesKey = "errorCodes";

    /// <summary>Every code a field message of a validation attribute can have, for <see cref="Customize"/> to name it.</summary>
    public static readonly IReadOnlyList<string> FieldCodes =
    [
        .. FieldTexts.Codes.Values,
        .. YuanAttribute.Codes,
        .. RegionAttribute.Codes,
        .. CreditCodeAttribute.Codes,
        .. PlainTextAttribute.Codes,
        .. EntityIdAttribute.Codes,
    ];

    /// <summary>A problem with a localised title (by status) and detail (by code).</summary>
    public ProblemDetails Problem(int status, string code, IReadOnlyList<object?> args)
    {
        var problem = new ProblemDetails { Status = status, Title = Title(status), Detail = texts.Text(code, args) };
        problem.Extensions[CodeKey] = code;
        return problem;
    }

    /// <summary>A 400 whose field messages are in the caller's language, with their codes in <c>errorCodes</c>.</summary>
    public HttpValidationProblemDetails Validation(string code, IReadOnlyDictionary<string, FieldError[]> errors)
    {
        var problem = new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value.Select(f => texts.Text(f.Code, f.Args)).ToArray()))
        {
            Status = 400,
            Title = texts.Text(code),
        };
        problem.Extensions[CodeKey] = code;
        problem.Extensions[ErrorCodesKey] = errors.ToDictionary(e => e.Key, e => e.Value.Select(f => f.Code).ToArray());
        return problem;
    }

    /// <summary>The title of a problem with <paramref name="status"/>, in the current UI language.</summary>
    public string Title(int status) => texts.Find("status" + status.ToString(CultureInfo.InvariantCulture), CultureInfo.CurrentUICulture) ?? texts.Text(ErrorCodes.StatusOther);

    /// <summary>
    /// Completes a problem the framework wrote (one without a <c>code</c>): a code by status and texts in the caller's
    /// language; for a validation problem, the codes of its field messages (found from the texts that made them).
    /// Then writes field keys as the client wrote them (<c>chains[0].chainId</c>).
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        if (!problem.Extensions.ContainsKey(CodeKey))
        {
            var problems = context.HttpContext.RequestServices.GetRequiredService<Problems>();
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (problem is HttpValidationProblemDetails validation)
            {
                problems.Complete(validation);
            }
            else
            {
                var code = status switch
                {
                    StatusCodes.Status401Unauthorized => ErrorCodes.Unauthorized,
                    StatusCodes.Status403Forbidden => ErrorCodes.Forbidden,
                    StatusCodes.Status404NotFound => ErrorCodes.RouteNotFound,
                    StatusCodes.Status405MethodNotAllowed => ErrorCodes.MethodNotAllowed,
                    StatusCodes.Status400BadRequest => ErrorCodes.BadRequest,
                    _ => ErrorCodes.StatusOther,
                };
                problem.Title = problems.Title(status);
                problem.Detail = problems.Detail(code);
                problem.Extensions[CodeKey] = code;
            }
        }

        CamelCaseErrorKeys(problem);
    }

    private string Detail(string code) => texts.Text(code);

    private void Complete(HttpValidationProblemDetails validation)
    {
        var language = CultureInfo.CurrentUICulture;
        validation.Title = texts.Text(ErrorCodes.ValidationFailed);
        validation.Extensions[CodeKey] = ErrorCodes.ValidationFailed;
        validation.Extensions[ErrorCodesKey] = validation.Errors.ToDictionary(
            e => e.Key,
            e => e.Value.Select(message => texts.CodeOf(message, FieldCodes, language) ?? ErrorCodes.FieldInvalid).ToArray());
    }

    /// <summary>Validation keys as the client wrote them: <c>Chains[0].ChainId</c> becomes <c>chains[0].chainId</c>.</summary>
    private static void CamelCaseErrorKeys(ProblemDetails problem)
    {
        if (problem is HttpValidationProblemDetails validation)
        {
            var renamed = validation.Errors.ToDictionary(e => CamelCasePath(e.Key), e => e.Value);
            validation.Errors.Clear();
            foreach (var (key, value) in renamed)
            {
                validation.Errors[key] = value;
            }
        }

        if (problem.Extensions.TryGetValue(ErrorCodesKey, out var codes) && codes is Dictionary<string, string[]> byField)
        {
            problem.Extensions[ErrorCodesKey] = byField.ToDictionary(e => CamelCasePath(e.Key), e => e.Value);
        }
    }

    private static string CamelCasePath(string path) =>
        string.Join('.', path.Split('.').Select(segment => segment.Length > 0 && char.IsUpper(segment[0]) ? char.ToLowerInvariant(segment[0]) + segment[1..] : segment));
}
