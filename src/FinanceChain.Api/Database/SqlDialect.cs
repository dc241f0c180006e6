using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace FinanceChain.Api.Database;

/// <summary>
/// The few places where SQLite and SQL Server differ. SQL everywhere else is written once, portably;
/// it may contain the tokens below, which <see cref="Render"/> replaces.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>Token for "first @limit rows" placed after an ORDER BY clause.</summary>
    public const string LimitToken = "{limit}";

    /// <summary>
    /// Token for the exclusive upper bound of settled positions in a table paged by a <c>pos</c> column that
    /// readers tail (the audit trail): <c>pos &lt; {settled}</c> keeps out every row that a transaction still under
    /// way could be followed by a lower position. SQL Server: <c>MIN_ACTIVE_ROWVERSION()</c> over a rowversion
    /// <c>pos</c>. SQLite: no bound, since its writers take turns and commit in position order.
    /// </summary>
    public const string SettledToken = "{settled}";

    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect SqlServer = new SqlServerDialect();

    public abstract string Provider { get; }

    /// <summary>Turns portable SQL into this dialect's SQL.</summary>
    public string Render(string sql) => sql
        .Replace(LimitToken, Limit, StringComparison.Ordinal)
        .Replace(SettledToken, Settled, StringComparison.Ordinal);

    /// <summary>True when the exception reports a unique-constraint or primary-key violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// True when the failure is about contention, not about the request: a deadlock victim, a lock wait
    /// that ran out. Such a transaction can be run again.
    /// </summary>
    public abstract bool IsTransient(DbException exception);

    /// <summary>
    /// The isolation of write transactions. SQLite: SERIALIZABLE, which Microsoft.Data.Sqlite runs as
    /// BEGIN IMMEDIATE (writers queue at the start). SQL Server: READ COMMITTED; writers that must not
    /// interleave take the row they change first (a conditional UPDATE), so range locks would only add deadlocks.
    /// </summary>
    public abstract System.Data.IsolationLevel WriteIsolation { get; }

    protected abstract string Limit { get; }

    protected abstract string Settled { get; }

    public static SqlDialect For(string provider) => provider.ToLowerInvariant() switch
    {
        "sqlite" => Sqlite,
        "sqlserver" => SqlServer,
        _ => throw new InvalidOperationException($"Database:Provider '{provider}' is not supported; use 'sqlite' or 'sqlserver'."),
    };

    private sealed class SqliteDialect : SqlDialect
    {
        public override string Provider => "sqlite";

        protected override string Limit => "LIMIT @limit";

        protected override string Settled => "9223372036854775807";

        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        public override bool IsUniqueViolation(DbException exception) =>
            exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 };

        // SQLITE_BUSY (5) and SQLITE_LOCKED (6), after the busy timeout ran out.
        public override bool IsTransient(DbException exception) =>
            exception is SqliteException { SqliteErrorCode: 5 or 6 };

        public override System.Data.IsolationLevel WriteIsolation => System.Data.IsolationLevel.Serializable;
    }

    private sealed class SqlServerDialect : SqlDialect
    {
        public override string Provider => "sqlserver";

        protected override string Limit => "OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY";

        protected override string Settled => "MIN_ACTIVE_ROWVERSION()";

        // 2627: unique constraint or primary key; 2601: unique index.
        public override bool IsUniqueViolation(DbException exception) =>
            exception is SqlException { Number: 2627 or 2601 };

        // 1205: chosen as deadlock victim; 1222: lock request time-out.
        public override bool IsTransient(DbException exception) =>
            exception is SqlException { Number: 1205 or 1222 };

        public override System.Data.IsolationLevel WriteIsolation => System.Data.IsolationLevel.ReadCommitted;
    }
}
