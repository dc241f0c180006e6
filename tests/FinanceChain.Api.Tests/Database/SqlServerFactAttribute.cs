namespace FinanceChain.Api.Tests.Database;

/// <summary>A test that needs SQL Server: it runs when FINANCECHAIN_TEST_SQLSERVER holds a connection string and is reported as skipped otherwise.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "FINANCECHAIN_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Skip = $"No SQL Server: set {Variable} to a connection string to run this test.";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
