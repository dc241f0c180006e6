using FinanceChain.Domain.Webhooks;
using NodaTime;

namespace FinanceChain.Domain.Tests.Webhooks;

public sealed class WebhookRetryScheduleTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 3, 16, 2, 0);

    [Fact]
    public void FirstRetry_ComesWithinAMinute_EvenWithTheMostJitter()
    {
        var next = WebhookRetrySchedule.NextAttempt(Start, 1, Start, 0.999)!.Value;
        Assert.InRange(next - Start, Duration.FromSeconds(30), Duration.FromSeconds(34));
    }

    [Fact]
    public void Delays_DoubleUpToEightHours()
    {
        var delays = Enumerable.Range(1, 12).Select(WebhookRetrySchedule.Delay).Select(d => (long)d.TotalSeconds).ToList();
        Assert.Equal([30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 28800, 28800], delays);
        Assert.Equal(WebhookRetrySchedule.MaxDelay, WebhookRetrySchedule.Delay(int.MaxValue));
    }

    [Fact]
    public void WithoutJitter_ThirteenAttemptsOverTwentyFourHours_TheLastExactlyAtTheEnd()
    {
        var attempts = new List<Instant> { Start };
        for (var failed = 1; ; failed++)
        {
            var next = WebhookRetrySchedule.NextAttempt(Start, failed, attempts[^1], 0);
            if (next is null)
            {
                break;
            }

            attempts.Add(next.Value);
        }

        Assert.Equal(13, attempts.Count);
        Assert.Equal(Start + Duration.FromHours(24), attempts[^1]);
        Assert.Equal(Start + Duration.FromSeconds(30), attempts[1]);
        Assert.Equal(Start + Duration.FromHours(16) + Duration.FromMinutes(31) + Duration.FromSeconds(30), attempts[^2]);
        Assert.All(attempts.Zip(attempts.Skip(1)), pair => Assert.True(pair.Second > pair.First));
    }

    [Fact]
    public void Jitter_AddsAtMostTenPercent_AndNeverPassesTheEnd()
    {
        var failedAt = Start + Duration.FromHours(10);
        var next = WebhookRetrySchedule.NextAttempt(Start, 11, failedAt, 0.99)!.Value;
        Assert.InRange(next - failedAt, Duration.FromHours(8), Duration.FromHours(8.8));

        var late = Start + Duration.FromHours(23);
        Assert.Equal(Start + Duration.FromHours(24), WebhookRetrySchedule.NextAttempt(Start, 12, late, 0.99));
    }

    [Fact]
    public void ShouldDisable_AfterThreeDaysOfFailures()
    {
        Assert.False(WebhookRetrySchedule.ShouldDisable(Start, Start + Duration.FromDays(3) - Duration.FromSeconds(1)));
        Assert.True(WebhookRetrySchedule.ShouldDisable(Start, Start + Duration.FromDays(3)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void NextAttempt_JitterOutOfRange_Throws(double jitter)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookRetrySchedule.NextAttempt(Start, 1, Start, jitter));
    }
}
