using FinanceChain.Api.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace FinanceChain.Api.Pages;

/// <summary>
/// A store's "not found" (which also means "not yours") or "forbidden" becomes the page's 404 or 403, shown by the
/// status page, never a JSON problem in the middle of a page. Other errors are for each page's handler to show beside
/// its form.
/// </summary>
public sealed class PageErrorFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var executed = await next();
        if (executed.Exception is ApiException { Status: StatusCodes.Status404NotFound or StatusCodes.Status403Forbidden } e && !executed.ExceptionHandled)
        {
            executed.Result = new StatusCodeResult(e.Status);
            executed.ExceptionHandled = true;
        }
    }
}
