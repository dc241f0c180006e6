using System.Reflection;
using System.Text.RegularExpressions;
using FinanceChain.Api.Database;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace FinanceChain.Api.Tests.Database;

/// <summary>
/// No SQL Server runs on the build machines, so every SQL Server script and every statement the code
/// can send is at least parsed with Microsoft's own T-SQL parser.
/// </summary>
public sealed partial class SqlServerSyntaxTests
{
    public static TheoryData<string> MigrationScripts()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Migrator.Scripts("sqlserver"))
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>Every <c>const string …Sql</c> in the API assembly, rendered for SQL Server.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Statements() =>
        typeof(Db).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Sql", StringComparison.Ordinal))
                .Select(f => ($"{t.Name}.{f.Name}", SqlDialect.SqlServer.Render((string)f.GetRawConstantValue()!))))
            .ToList();

    public static TheoryData<string> StatementNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Statements())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MigrationScripts))]
    public void MigrationScript_ParsesAsTSql(string name)
    {
        var sql = Migrator.Scripts("sqlserver").Single(s => s.Name == name).Sql;
        AssertParses(name, sql);
    }

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Statement_ParsesAsTSql(string name)
    {
        var sql = Statements().Single(s => s.Name == name).Sql;
        // Dapper expands "IN @Ids" into "IN (@Ids1, @Ids2, …)" before the server sees it.
        AssertParses(name, DapperListParameter().Replace(sql, "IN (@$1)"));
    }

    [Fact]
    public void Statements_AreFoundAndScriptsExistForBothProviders()
    {
        Assert.True(Statements().Count >= 30, $"Only {Statements().Count} statements found; the reflection scan is broken.");
        Assert.Equal(
            Migrator.Scripts("sqlite").Select(s => s.Name["sqlite.".Length..]),
            Migrator.Scripts("sqlserver").Select(s => s.Name["sqlserver.".Length..]));
    }

    /// <summary>
    /// Declining offers touches as many rows as a request (or product) has pending offers; a Dapper list
    /// parameter would send one SQL Server parameter per offer, and SQL Server takes at most 2,100.
    /// </summary>
    [Fact]
    public void OfferUpdates_BoundByTheirRequestOrProduct_NotByAListOfIds()
    {
        var updates = Statements().Where(s => s.Sql.TrimStart().StartsWith("UPDATE offers", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(updates);
        Assert.All(updates, s => Assert.False(DapperListParameter().IsMatch(s.Sql), $"{s.Name} takes a list of ids"));
    }

    /// <summary>The init script of the compose file (and of docs/production.md), with its sqlcmd variables filled in.</summary>
    [Fact]
    public void InitScript_ParsesAsTSql()
    {
        var sql = File.ReadAllText(Path.Combine(DeploymentFilesTests.RepositoryRoot(), "docs", "sqlserver-init.sql"))
            .Replace("$(DatabaseName)", "FinanceChain", StringComparison.Ordinal)
            .Replace("$(AppPassword)", "secret", StringComparison.Ordinal);
        Assert.DoesNotContain("$(", sql, StringComparison.Ordinal);
        AssertParses("sqlserver-init.sql", sql);
    }

    [Fact]
    public void Parser_RejectsBrokenSql()
    {
        Assert.Throws<Xunit.Sdk.TrueException>(() => AssertParses("broken", "SELECT * FROM chains WHERE id = @Id LIMIT 5"));
    }

    private static void AssertParses(string name, string sql)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, $"{name}: " + string.Join("; ", errors.Select(e => $"line {e.Line} col {e.Column}: {e.Message}")));
    }

    [GeneratedRegex(@"IN\s+@(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex DapperListParameter();
}
