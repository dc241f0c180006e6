using NodaTime;

namespace FinanceChain.Domain.Webhooks;

/// <summary>
/// When a failed delivery is tried again: exponential backoff from 30 seconds, doubling after every failed attempt,
/// each wait at most 8 hours plus up to 10 % random jitter, for 24 hours after the first attempt of the schedule (the
/// last attempt is made exactly then). An endpoint whose deliveries have failed without a success in between for
/// 3 days is disabled.
/// </summary>
/// <remarks>
/// Without jitter the attempts are made at 0:00:00, 0:00:30, 0:01:30, 0:03:30, 0:07:30, 0:15:30, 0:31:30, 1:03:30,
/// 2:07:30, 4:15:30, 8:31:30, 16:31:30 and 24:00:00: thirteen attempts, the first retry within a minute.
/// </remarks>
public static class WebhookRetrySchedule
{
    /// <summary>The wait after the first failed attempt.</summary>
    public static readonly Duration FirstDelay = Duration.FromSeconds(30);

    /// <summary>The longest wait between two attempts (before jitter).</summary>
    public static readonly Duration MaxDelay = Duration.FromHours(8);

    /// <summary>How long after the first attempt a delivery is still tried.</summary>
    public static readonly Duration RetryWindow = Duration.FromHours(24);

    /// <summary>How long an endpoint may fail without a single success before it is disabled.</summary>
    public static readonly Duration DisableAfter = Duration.FromDays(3);

    /// <summary>The largest jitter, as a fraction of the wait.</summary>
    public const double MaxJitter = 0.1;

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failed attempt of a schedule (1 = the first), before jitter.</summary>
    public static Duration Delay(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        // 30 s × 2^(n-1), computed without overflow: past 2^10 the cap has long been reached.
        var exponent = Math.Min(failedAttempts - 1, 10);
        var delay = FirstDelay * (1L << exponent);
        return delay > MaxDelay ? MaxDelay : delay;
    }

    /// <summary>
    /// The next attempt after a failed one, or null when the schedule is over (the failed attempt was made at or after
    /// the end of the retry window).
    /// </summary>
    /// <param name="scheduleStartedAt">The first attempt of the schedule (a manual retry starts a new schedule).</param>
    /// <param name="failedAttempts">The attempts made in this schedule so far, all failed (at least 1).</param>
    /// <param name="failedAt">When the last attempt failed.</param>
    /// <param name="jitter">A number in [0, 1): the share of <see cref="MaxJitter"/> added to the wait.</param>
    public static Instant? NextAttempt(Instant scheduleStartedAt, int failedAttempts, Instant failedAt, double jitter)
    {
        if (jitter is < 0 or >= 1 || double.IsNaN(jitter))
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), "Jitter lies in [0, 1).");
        }

        var end = scheduleStartedAt + RetryWindow;
        if (failedAt >= end)
        {
            return null;
        }

        var delay = Delay(failedAttempts);
        var next = failedAt + delay + Duration.FromNanoseconds((long)(delay.TotalNanoseconds * MaxJitter * jitter));
        return next > end ? end : next;
    }

    /// <summary>True when an endpoint failing since <paramref name="failingSince"/> (no success since) is to be disabled at <paramref name="now"/>.</summary>
    public static bool ShouldDisable(Instant failingSince, Instant now) => now - failingSince >= DisableAfter;
}
