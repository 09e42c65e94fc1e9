using System.Globalization;

namespace Migration.Core.Reporting;

/// <summary>
/// The one reading of the report's <c>since</c> (the endpoint's query and the CLI's <c>--since</c>) and of the
/// CLI's durations: a duration back from now (<c>90s</c>, <c>30m</c>, <c>1h</c>, <c>2d</c>, <c>1w</c>, at most
/// 100 years) or an ISO-8601 time.
/// </summary>
public static class SinceParser
{
    private const long MaxSeconds = 36_500L * 86_400;

    /// <summary>A duration: a whole number and one unit of <c>s m h d w</c> (any case).</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var seconds = char.ToLowerInvariant(text[^1]) switch
        {
            's' => 1L,
            'm' => 60L,
            'h' => 3_600L,
            'd' => 86_400L,
            'w' => 604_800L,
            _ => 0L,
        };
        if (seconds == 0 || text.Length < 2
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount > MaxSeconds / seconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * seconds);
        return true;
    }

    /// <summary>
    /// <paramref name="value"/> as a lower time bound at <paramref name="now"/>: a duration back from now or an
    /// ISO-8601 time (converted to UTC). Empty means no bound (true, null); anything else is false.
    /// </summary>
    public static bool TryParse(string? value, DateTimeOffset now, out DateTimeOffset? since)
    {
        since = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (TryParseDuration(value, out var duration))
        {
            since = now - duration;
            return true;
        }

        value = value.Trim();
        if (value.Length >= 10 && char.IsDigit(value[0])
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            since = time;
            return true;
        }

        return false;
    }
}
