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

    /// <summary>
    /// SQLite's <c>synchronous</c> setting. <c>FULL</c> (default) syncs the log at every commit, so that a write
    /// once acknowledged survives a power cut: once per commit group (<see cref="SqliteGroupCommitMaxWrites"/>) under
    /// load, once per write when writes come one at a time. <c>NORMAL</c> in WAL mode loses no committed transaction
    /// when the process dies, but possibly the last ones on a power cut.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>
    /// How many SQLite writes queued in this process at most share one transaction and its one commit (group commit);
    /// 1 commits each alone.
    /// </summary>
    public int SqliteGroupCommitMaxWrites { get; set; } = 64;

    /// <summary>
    /// Milliseconds after its BEGIN during which a SQLite write transaction still takes queued writes in: bounds how
    /// much longer than its own work the group's first writer waits for the commit.
    /// </summary>
    public int SqliteGroupCommitWindowMs { get; set; } = 20;

    /// <summary>
    /// Seconds a starting instance keeps trying to reach SQL Server (a server or container still starting), with
    /// pauses growing from 1 to 15 s, before it gives up.
    /// </summary>
    public int StartupRetrySeconds { get; set; } = 120;

    /// <summary>Seconds a starting instance waits for another one to finish migrating.</summary>
    public int MigrationLockTimeoutSeconds { get; set; } = 300;
}
