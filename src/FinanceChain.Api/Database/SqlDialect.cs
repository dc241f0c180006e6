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

    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect SqlServer = new SqlServerDialect();

    public abstract string Provider { get; }

    /// <summary>Turns portable SQL into this dialect's SQL.</summary>
    public string Render(string sql) => sql.Replace(LimitToken, Limit, StringComparison.Ordinal);

    /// <summary>True when the exception reports a unique-constraint or primary-key violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    protected abstract string Limit { get; }

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

        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        public override bool IsUniqueViolation(DbException exception) =>
            exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 };
    }

    private sealed class SqlServerDialect : SqlDialect
    {
        public override string Provider => "sqlserver";

        protected override string Limit => "OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY";

        // 2627: unique constraint or primary key; 2601: unique index.
        public override bool IsUniqueViolation(DbException exception) =>
            exception is SqlException { Number: 2627 or 2601 };
    }
}
