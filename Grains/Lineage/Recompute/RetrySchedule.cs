namespace OrleansFs.Grains.Lineage.Recompute;

/// <summary>
/// When a failed attempt of a run is tried again: after <see cref="LineageOptions.RetryBackoff"/>, doubling each
/// time up to <see cref="LineageOptions.MaxRetryBackoff"/>, at most <see cref="LineageOptions.MaxAttempts"/> attempts,
/// and never when the pause would end past the run's deadline.
/// </summary>
public sealed class RetrySchedule(int maxAttempts, TimeSpan backoff, TimeSpan maxBackoff)
{
    public static RetrySchedule From(LineageOptions options) => new(options.MaxAttempts, options.RetryBackoff, options.MaxRetryBackoff);

    public int MaxAttempts => maxAttempts;

    /// <summary>The pause before attempt <paramref name="failedAttempt"/> + 1, or null when there is none.</summary>
    public TimeSpan? NextDelay(int failedAttempt, DateTimeOffset now, DateTimeOffset deadline)
    {
        if (failedAttempt >= maxAttempts) return null;
        var delay = Delay(failedAttempt);
        return now + delay < deadline ? delay : null;
    }

    /// <summary>The pause after attempt <paramref name="failedAttempt"/> (1-based) failed.</summary>
    public TimeSpan Delay(int failedAttempt)
    {
        var delay = backoff;
        for (int i = 1; i < failedAttempt && delay < maxBackoff; i++) delay *= 2;
        return delay < maxBackoff ? delay : maxBackoff;
    }
}
