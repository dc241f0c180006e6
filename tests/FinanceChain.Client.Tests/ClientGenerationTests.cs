using System.Diagnostics;

namespace FinanceChain.Client.Tests;

/// <summary>
/// The checked-in client (Generated/) is what Kiota, at the version in .config/dotnet-tools.json, makes from the
/// document the service serves now. Checked in so that building the tests needs neither the service nor Kiota;
/// regenerated here so that it never drifts. <c>FINANCECHAIN_UPDATE_CLIENT=1 dotnet test tests/FinanceChain.Client.Tests</c>
/// writes the new client instead of failing.
/// </summary>
public sealed class ClientGenerationTests : IDisposable
{
    private readonly ServiceUnderTest _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task GeneratedClient_IsWhatKiotaMakesFromTheServedDocument()
    {
        var root = RepositoryRoot();
        var checkedIn = Path.Combine(root, "tests", "FinanceChain.Client.Tests", "Generated");
        var work = Path.Combine(Path.GetTempPath(), $"financechain-kiota-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var document = Path.Combine(work, "v1.json");
            await File.WriteAllTextAsync(document, await _service.CreateClient().GetStringAsync("/openapi/v1.json"));
            var output = Path.Combine(work, "Generated");

            var restore = await RunAsync(root, "tool", "restore");
            Assert.True(restore.Code == 0, $"dotnet tool restore failed: {restore.Output}");
            var generate = await RunAsync(root, "tool", "run", "kiota", "generate", "--language", "CSharp", "--openapi", document,
                "--output", output, "--class-name", "FinanceChainClient", "--namespace-name", "FinanceChain.Client",
                "--exclude-backward-compatible", "--clean-output", "--log-level", "Warning");
            Assert.True(generate.Code == 0, $"kiota generate failed: {generate.Output}");
            // The lock file names the temporary document and the log is the run's: neither is part of the client.
            File.Delete(Path.Combine(output, "kiota-lock.json"));
            File.Delete(Path.Combine(output, ".kiota.log"));

            if (Environment.GetEnvironmentVariable("FINANCECHAIN_UPDATE_CLIENT") == "1")
            {
                Directory.Delete(checkedIn, recursive: true);
                CopyTree(output, checkedIn);
                return;
            }

            var expected = Files(output);
            var actual = Files(checkedIn);
            var missing = expected.Keys.Except(actual.Keys).Order().ToList();
            var extra = actual.Keys.Except(expected.Keys).Order().ToList();
            var changed = expected.Keys.Intersect(actual.Keys).Where(k => expected[k] != actual[k]).Order().ToList();
            Assert.True(missing.Count + extra.Count + changed.Count == 0,
                "The checked-in client differs from the document; regenerate it with FINANCECHAIN_UPDATE_CLIENT=1 (docs/openapi.md).\n" +
                $"missing: {string.Join(", ", missing)}\nnot generated any more: {string.Join(", ", extra)}\nchanged: {string.Join(", ", changed)}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Relative path (with /) to content, line ends made alike so that a checkout's settings do not matter.</summary>
    private static Dictionary<string, string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(directory, f).Replace('\\', '/'),
            f => File.ReadAllText(f).ReplaceLineEndings("\n"));

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Kiota looks for a newer release of itself unless told not to; the answer must not depend on the network.
        start.Environment["KIOTA_UPDATE__DISABLED"] = "true";
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FinanceChain.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("FinanceChain.sln not found above the test folder.");
    }
}
