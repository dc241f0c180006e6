using FinanceChain.Api;
using FinanceChain.Api.Cli;
using FinanceChain.Api.Database;

var command = CommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(command.HostArgs);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"] ?? "http://localhost:5080");
builder.AddFinanceChain();
if (command.Kind == CommandKind.CreateKey)
{
    // The new key must be the last line of standard output: logs go to standard error.
    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
}

var app = builder.Build();
app.Services.GetRequiredService<Migrator>().Migrate();

if (command.Kind == CommandKind.CreateKey)
{
    return await CommandLine.CreateKeyAsync(app.Services, command, Console.Out, Console.Error);
}

if (command.Kind == CommandKind.Demo)
{
    await CommandLine.SeedDemoAsync(app.Services, Console.Out);
}

app.UseFinanceChain();
await app.RunAsync();
return 0;
