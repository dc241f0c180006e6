using FinanceChain.Api.Demo;
using FinanceChain.Api.Errors;
using FinanceChain.Api.Http;
using FinanceChain.Api.Keys;
using FinanceChain.Domain;

namespace FinanceChain.Api.Cli;

public enum CommandKind
{
    Serve,
    Demo,
    CreateKey,
}

/// <summary>
/// The service's command line: <c>keys create --role R --name N [--institution ID] [--enterprise ID]</c>
/// creates a key and exits; <c>--demo</c> seeds demo data, prints a key per role and serves.
/// Anything else is passed to the host (e.g. <c>--urls</c>).
/// </summary>
public sealed record CommandLine(CommandKind Kind, string[] HostArgs, IReadOnlyDictionary<string, string> Options)
{
    public static CommandLine Parse(string[] args)
    {
        if (args.Length >= 2 && args[0] == "keys" && args[1] == "create")
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            var host = new List<string>();
            for (var i = 2; i < args.Length; i++)
            {
                if (args[i] is "--role" or "--name" or "--institution" or "--enterprise" && i + 1 < args.Length)
                {
                    options[args[i][2..]] = args[++i];
                }
                else
                {
                    host.Add(args[i]);
                }
            }

            return new CommandLine(CommandKind.CreateKey, [.. host], options);
        }

        var demo = args.Contains("--demo");
        return new CommandLine(demo ? CommandKind.Demo : CommandKind.Serve, args.Where(a => a != "--demo").ToArray(), new Dictionary<string, string>());
    }

    /// <summary>Creates a key; the key alone is the last line of standard output. Returns the exit code.</summary>
    public static async Task<int> CreateKeyAsync(IServiceProvider services, CommandLine command, TextWriter output, TextWriter error)
    {
        if (!command.Options.TryGetValue("role", out var roleText) || !Enum.TryParse<Role>(roleText, ignoreCase: true, out var role) || !Enum.IsDefined(role))
        {
            await error.WriteLineAsync("usage: keys create --role admin|regulator|bank|enterprise --name NAME [--institution ID] [--enterprise ID]");
            return 2;
        }

        if (!command.Options.TryGetValue("name", out var name) || string.IsNullOrWhiteSpace(name))
        {
            await error.WriteLineAsync("keys create: --name is required");
            return 2;
        }

        command.Options.TryGetValue("institution", out var institutionId);
        command.Options.TryGetValue("enterprise", out var enterpriseId);
        foreach (var (option, id) in new[] { ("--institution", institutionId), ("--enterprise", enterpriseId) })
        {
            if (id is not null && !EntityIdAttribute.IsWellFormed(id))
            {
                await error.WriteLineAsync($"keys create: {option} must be an id as the server issues them, e.g. ent_0194f3c2a1b87c3d9e0f1a2b3c4d5e6f");
                return 2;
            }
        }

        try
        {
            KeysApi.CheckBinding(role, institutionId, enterpriseId);
            var (row, plain) = await services.GetRequiredService<KeyStore>().CreateAsync(role, name.Trim(), institutionId, enterpriseId, "cli", "admin", CancellationToken.None);
            await output.WriteLineAsync($"Created {row.Role} key {row.Id} for '{row.Name}'. Keep it safe: it is not shown again.");
            await output.WriteLineAsync(plain);
            return 0;
        }
        catch (FieldValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                await error.WriteLineAsync($"keys create: {field} {string.Join("; ", messages)}");
            }

            return 2;
        }
    }

    public static async Task SeedDemoAsync(IServiceProvider services, TextWriter output)
    {
        var seeder = ActivatorUtilities.CreateInstance<DemoSeeder>(services);
        await seeder.SeedAsync(output, CancellationToken.None);
    }
}
