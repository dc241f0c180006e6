using FinanceChain.Api.Roster;
using Hangfire;

namespace FinanceChain.Api.Matching;

/// <summary>Registers <see cref="RequestExpiryJob"/> with the injected recurring-job manager.</summary>
public sealed class RequestExpirySchedule : IRecurringJobSchedule
{
    /// <summary>The recurring job's id.</summary>
    public const string JobId = "financing-request-expiry";

    /// <summary>Every minute: the banks with offers learn of an expiry within a minute or two of it.</summary>
    public const string Cron = "* * * * *";

    /// <inheritdoc />
    public void Register(IRecurringJobManagerV2 recurringJobs)
    {
        ArgumentNullException.ThrowIfNull(recurringJobs);
        recurringJobs.AddOrUpdate<RequestExpiryJob>(JobId, job => job.RunAsync(CancellationToken.None), Cron);
    }
}

/// <summary>
/// The <c>financing-request-expiry</c> job: records <c>financingRequest.expired</c> for each open or offered request whose
/// time has run out, to the banks with offers on it, each in its own transaction. Idempotent: a request is recorded by
/// a conditional update of its marker, so however many runs or instances overlap, each expiry is recorded once.
/// </summary>
public sealed class RequestExpiryJob(FinancingRequestStore requests, ILogger<RequestExpiryJob> logger)
{
    /// <summary>Requests read at a time.</summary>
    public const int BatchSize = 200;

    /// <summary>Records every expiry not recorded yet; returns how many this run recorded.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var recorded = 0;
        while (true)
        {
            var batch = await requests.ExpiredUnrecordedAsync(BatchSize, cancellationToken);
            var done = 0;
            foreach (var id in batch)
            {
                if (await requests.RecordExpiryAsync(id, cancellationToken))
                {
                    done++;
                }
            }

            recorded += done;
            // Another instance may be taking the same batch: stop when this run made no progress.
            if (batch.Count < BatchSize || done == 0)
            {
                break;
            }
        }

        if (recorded > 0)
        {
            logger.LogInformation("Recorded the expiry of {Count} financing requests.", recorded);
        }

        return recorded;
    }
}
