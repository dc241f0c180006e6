namespace FinanceChain.Pages.Tests.Infrastructure;

/// <summary>
/// A server of its own, with the demo data, for the desks' journeys: they make requests, offers and notes in the
/// half-year under way, which the shared server's dashboard and roster tests must not see. Started once per class.
/// </summary>
public sealed class DeskServer : IAsyncLifetime
{
    public PagesServer Server { get; } = new();

    public Task InitializeAsync() => Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
