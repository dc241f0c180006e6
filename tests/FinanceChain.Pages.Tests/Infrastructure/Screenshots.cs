using Microsoft.Playwright;

namespace FinanceChain.Pages.Tests.Infrastructure;

/// <summary>
/// Screenshots of the journeys. They always go to a temporary folder; with <c>FINANCECHAIN_SCREENSHOTS=1</c> they
/// replace the ones in <c>docs/screenshots/</c> that the README shows, so a normal test run leaves the tree clean.
/// </summary>
public static class Screenshots
{
    public const string RefreshVariable = "FINANCECHAIN_SCREENSHOTS";

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Environment.GetEnvironmentVariable(RefreshVariable) == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "financechain-screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FinanceChain.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("FinanceChain.sln not found above the test assembly.");
    }
}
