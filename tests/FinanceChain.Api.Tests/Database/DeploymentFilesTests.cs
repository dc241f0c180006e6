namespace FinanceChain.Api.Tests.Database;

/// <summary>
/// The compose file starts the service from nothing: no engine runs here, so its shape is checked (it is also
/// validated with <c>docker compose config</c>, see docs/production.md).
/// </summary>
public sealed class DeploymentFilesTests
{
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FinanceChain.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("FinanceChain.sln not found above the test folder.");
    }

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([RepositoryRoot(), .. path]));

    [Fact]
    public void Compose_UsesItsOwnDatabase_WaitsForHealthyServices_AndRestarts()
    {
        var compose = Read("docs", "compose.sqlserver.yml");

        Assert.DoesNotContain("Database=master", compose, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Database=FinanceChain", compose, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", compose, StringComparison.Ordinal);
        Assert.Contains("condition: service_completed_successfully", compose, StringComparison.Ordinal);
        Assert.Equal(2, compose.Split("healthcheck:").Length - 1);
        Assert.Contains("restart: unless-stopped", compose, StringComparison.Ordinal);
        Assert.Contains("sqlserver-init.sql", compose, StringComparison.Ordinal);
        Assert.DoesNotContain("User Id=sa", compose, StringComparison.Ordinal);
    }

    [Fact]
    public void InitScript_CreatesTheDatabaseWithReadCommittedSnapshot_AndALoginWithoutServerRights()
    {
        var init = Read("docs", "sqlserver-init.sql");

        Assert.Contains("CREATE DATABASE", init, StringComparison.Ordinal);
        Assert.Contains("READ_COMMITTED_SNAPSHOT ON", init, StringComparison.Ordinal);
        Assert.Contains("db_ddladmin", init, StringComparison.Ordinal);
        Assert.DoesNotContain("sysadmin", init, StringComparison.Ordinal);
    }

    [Fact]
    public void DockerBuild_HasADockerignore_ThatKeepsBuildOutputAndDatabasesOut()
    {
        var ignore = Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();

        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
        Assert.Contains(".git/", ignore);
        Assert.Contains("**/*.db", ignore);
    }
}
