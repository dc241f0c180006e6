using FinanceChain.Api.Matching;
using FinanceChain.Api.Notes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FinanceChain.Api.Tests.Infrastructure;

/// <summary>
/// Holds the first financing request inside its handler (at the check of its note and receivable, after its
/// <c>Idempotency-Key</c> is taken and before it writes anything) until the test releases it.
/// </summary>
public sealed class PausingBacking(IRequestBacking inner) : IRequestBacking
{
    private int _calls;

    /// <summary>Completed when the first request has reached the pause.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Complete it to let the first request go on.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Puts the pausing check in place of the real one (for <c>configureServices</c>).</summary>
    public static void Register(IServiceCollection services)
    {
        services.RemoveAll<IRequestBacking>();
        services.AddSingleton<NoteRequestBacking>();
        services.AddSingleton<IRequestBacking>(sp => new PausingBacking(sp.GetRequiredService<NoteRequestBacking>()));
    }

    /// <summary>The pausing check of <paramref name="app"/>.</summary>
    public static PausingBacking Of(FinanceChainApp app) => (PausingBacking)app.Services.GetRequiredService<IRequestBacking>();

    public async Task<BackingFacts> CheckAsync(string enterpriseId, string? receivableId, string? noteId, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) == 1)
        {
            Entered.SetResult();
            await Release.Task;
        }

        return await inner.CheckAsync(enterpriseId, receivableId, noteId, cancellationToken);
    }
}
