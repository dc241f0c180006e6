using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using FinanceChain.Api.Tests.Database;
using FinanceChain.Api.Tests.Infrastructure;

namespace FinanceChain.Api.Tests.Operations;

/// <summary>
/// <c>redocly lint</c> (the <c>@redocly/cli</c> version pinned in tools/openapi) on the document the service serves,
/// with the rules of tools/openapi/redocly.yaml: no error and no warning.
/// </summary>
public sealed class OpenApiLintTests : IDisposable
{
    private readonly FinanceChainApp _app = new();

    public void Dispose() => _app.Dispose();

    [NodeFact]
    public async Task Document_PassesRedoclyLint_WithNoWarning()
    {
        var tools = Path.Combine(DeploymentFilesTests.RepositoryRoot(), "tools", "openapi");
        var cli = Path.Combine(tools, "node_modules", "@redocly", "cli", "bin", "cli.js");
        if (!File.Exists(cli))
        {
            // A fresh clone: install the pinned version from the lockfile, as the build does for the pages' scripts.
            var install = await RunAsync("npm", tools, "ci", "--no-audit", "--no-fund", "--loglevel=error");
            Assert.True(install.Code == 0, $"npm ci in tools/openapi failed: {install.Error}");
        }

        var document = await (await _app.ClientWithKey(null).GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        var file = Path.Combine(Path.GetTempPath(), $"financechain-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var lint = await RunAsync("node", tools, cli, "lint", "--config", Path.Combine(tools, "redocly.yaml"), "--format=json", "--max-problems", "10000", file);
            var problems = JsonNode.Parse(lint.Output)?["problems"]?.AsArray()
                ?? throw new InvalidOperationException($"redocly lint gave no report (exit {lint.Code}): {lint.Output}{lint.Error}");
            var listed = string.Join("\n", problems.Select(p =>
                $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}"));
            Assert.True(problems.Count == 0, $"redocly lint found {problems.Count} problems:\n{listed}");
            Assert.Equal(0, lint.Code);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>redocly.yaml switches <c>operation-4xx-response</c> off for the health probes' sake: the rule holds everywhere else.</summary>
    [Fact]
    public async Task EveryOperationButTheProbes_DeclaresA4xx()
    {
        var document = await (await _app.ClientWithKey(null).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation?["responses"] is not JsonObject responses || path.StartsWith("/health/", StringComparison.Ordinal))
                {
                    continue;
                }

                Assert.True(responses.Any(r => r.Key.StartsWith('4')), $"{method} {path} declares no 4XX response");
            }
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
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

        // No telemetry and no update notice: the lint must give the same answer offline.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}

/// <summary>A fact that needs Node.js (and npm) on the PATH; skipped, saying why, where they are not installed.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!OnPath("node") || !OnPath("npm"))
        {
            Skip = "Node.js and npm are not installed: the OpenAPI lint runs @redocly/cli through node (.ci/run installs them).";
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
