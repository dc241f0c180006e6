using FinanceChain.Api.Tests.Database;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace FinanceChain.Api.Tests.Infrastructure;

/// <summary>
/// A database the same suite of tests runs against (Dapper's pattern: <c>XxxSuite&lt;TProvider&gt;</c> holds the
/// tests, <c>SqliteXxxTests</c> and <c>SqlServerXxxTests</c> run them). Every <see cref="NewApp"/> gets a fresh,
/// empty database of its own; <see cref="FinanceChainApp.Another"/> opens a second instance on the same one.
/// </summary>
public abstract class DatabaseProvider
{
    /// <summary>Why the provider's tests cannot run here, or null when they can.</summary>
    public abstract string? SkipReason { get; }

    /// <summary>The service on a fresh database of this provider.</summary>
    public abstract FinanceChainApp NewApp(FakeClock? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null);

    /// <summary>A fresh database that outlives the apps started on it (restarts), removed when disposed.</summary>
    public abstract SharedDatabase NewDatabase();

    /// <summary>The skip reason of the provider a suite class runs on (its <see cref="DatabaseProvider"/> type argument), or null.</summary>
    public static string? SkipReasonFor(Type testClass)
    {
        for (var type = testClass; type is not null; type = type.BaseType)
        {
            var provider = type.IsGenericType ? type.GetGenericArguments().FirstOrDefault(a => typeof(DatabaseProvider).IsAssignableFrom(a)) : null;
            if (provider is not null)
            {
                return ((DatabaseProvider)Activator.CreateInstance(provider)!).SkipReason;
            }
        }

        return null;
    }
}

/// <summary>A database that several apps use one after another or at once, as restarts and instances would.</summary>
public abstract class SharedDatabase : IDisposable
{
    /// <summary>A service instance on this database.</summary>
    public abstract FinanceChainApp App(FakeClock? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>SQLite: a new file per app.</summary>
public sealed class SqliteProvider : DatabaseProvider
{
    public override string? SkipReason => null;

    public override FinanceChainApp NewApp(FakeClock? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null) =>
        new(clock: clock, settings: settings, configureServices: configureServices);

    public override SharedDatabase NewDatabase() => new File(FinanceChainApp.NewDatabaseFile());

    private sealed class File(string path) : SharedDatabase
    {
        public override FinanceChainApp App(FakeClock? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null) =>
            new(path, clock, settings: settings, configureServices: configureServices);
    }
}

/// <summary>
/// SQL Server at <c>FINANCECHAIN_TEST_SQLSERVER</c> (a login that may create databases): a new database per app,
/// with <c>READ_COMMITTED_SNAPSHOT ON</c> as production requires, dropped when the app is disposed.
/// </summary>
public sealed class SqlServerProvider : DatabaseProvider
{
    public override string? SkipReason => string.IsNullOrWhiteSpace(SqlServerFactAttribute.ConnectionString)
        ? $"No SQL Server: set {SqlServerFactAttribute.Variable} to a connection string to run this test."
        : null;

    public override FinanceChainApp NewApp(FakeClock? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var database = CreateDatabase(readCommittedSnapshot: true);
        return new FinanceChainApp(clock: clock, provider: "sqlserver", connectionString: database.ConnectionString, settings: settings,
            configureServices: configureServices, onDisposed: database.Drop);
    }

    public override SharedDatabase NewDatabase() => new Shared(CreateDatabase(readCommittedSnapshot: true));

    private sealed class Shared(TestDatabase database) : SharedDatabase
    {
        public override FinanceChainApp App(FakeClock? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null) =>
            new(clock: clock, provider: "sqlserver", connectionString: database.ConnectionString, settings: settings, configureServices: configureServices);

        public override void Dispose()
        {
            database.Drop();
            base.Dispose();
        }
    }

    /// <summary>A fresh, empty database on the test server.</summary>
    public static TestDatabase CreateDatabase(bool readCommittedSnapshot)
    {
        var server = SqlServerFactAttribute.ConnectionString ?? throw new InvalidOperationException($"{SqlServerFactAttribute.Variable} is not set.");
        var name = $"fc_test_{Guid.NewGuid():N}";
        using (var connection = new SqlConnection(server))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE [{name}];" + (readCommittedSnapshot ? $" ALTER DATABASE [{name}] SET READ_COMMITTED_SNAPSHOT ON;" : "");
            command.ExecuteNonQuery();
        }

        return new TestDatabase(server, name);
    }

    /// <summary>A database created for a test; <see cref="Drop"/> removes it.</summary>
    public sealed record TestDatabase(string Server, string Name)
    {
        public string ConnectionString => new SqlConnectionStringBuilder(Server) { InitialCatalog = Name }.ConnectionString;

        public void Drop()
        {
            SqlConnection.ClearAllPools();
            using var connection = new SqlConnection(Server);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"IF DB_ID(N'{Name}') IS NOT NULL BEGIN ALTER DATABASE [{Name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{Name}]; END";
            command.ExecuteNonQuery();
        }
    }
}

/// <summary>
/// A test of a suite that runs on several providers (<see cref="DatabaseProvider"/>): reported as skipped when its
/// class's provider cannot run here.
/// </summary>
[XunitTestCaseDiscoverer("FinanceChain.Api.Tests.Infrastructure.ProviderFactDiscoverer", "FinanceChain.Api.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProviderFactAttribute : FactAttribute;

/// <summary>Finds <see cref="ProviderFactAttribute"/> tests and skips those whose provider is not available.</summary>
public sealed class ProviderFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var options = discoveryOptions.MethodDisplayOptionsOrDefault();
        var skip = DatabaseProvider.SkipReasonFor(testMethod.TestClass.Class.ToRuntimeType());
        yield return skip is null
            ? new XunitTestCase(diagnosticMessageSink, display, options, testMethod)
            : new SkippedTestCase(diagnosticMessageSink, display, options, testMethod, skip);
    }
}

/// <summary>A theory of a suite that runs on several providers: skipped as a whole when its class's provider cannot run here.</summary>
[XunitTestCaseDiscoverer("FinanceChain.Api.Tests.Infrastructure.ProviderTheoryDiscoverer", "FinanceChain.Api.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProviderTheoryAttribute : TheoryAttribute;

/// <summary>Finds <see cref="ProviderTheoryAttribute"/> tests and skips those whose provider is not available.</summary>
public sealed class ProviderTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute)
    {
        var skip = DatabaseProvider.SkipReasonFor(testMethod.TestClass.Class.ToRuntimeType());
        return skip is null
            ? base.Discover(discoveryOptions, testMethod, theoryAttribute)
            : [new SkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip)];
    }
}

/// <summary>A test case reported as skipped, with its reason.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = "";

    [Obsolete("For deserialization only.", error: true)]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string reason)
        : base(sink, display, options, method) => _reason = reason;

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("SkipReason", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _reason = data.GetValue<string>("SkipReason");
        base.Deserialize(data);
    }
}
