namespace FinanceChain.Api.Database;

/// <summary>Which database the service runs on (<c>Database:Provider</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "FinanceChain";
    public const string DefaultSqliteConnectionString = "Data Source=data/financechain.db";

    /// <summary><c>sqlite</c> (default, embedded) or <c>sqlserver</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Milliseconds a SQLite writer waits for another process's lock before giving up.</summary>
    public int SqliteBusyTimeoutMs { get; set; } = 10_000;
}
