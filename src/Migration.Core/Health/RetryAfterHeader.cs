using System.Globalization;
using System.Net.Http.Headers;

namespace Migration.Core.Health;

/// <summary>Reads a 429's wait: <c>retry-after-ms</c> (OpenAI-style, milliseconds) or <c>Retry-After</c> (seconds or an HTTP date).</summary>
public static class RetryAfterHeader
{
    /// <summary>Waits are capped here (a day is beyond any request budget; a huge value must not overflow).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <summary>
    /// The wait a response's <paramref name="headers"/> ask for at <paramref name="now"/>; null when neither header is
    /// present or readable. The one reading of the headers for every path (live requests and the shadow).
    /// </summary>
    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Parse(
            headers.RetryAfter?.ToString(),
            headers.TryGetValues("retry-after-ms", out var ms) ? ms.FirstOrDefault() : null,
            now);
    }

    /// <summary>The wait the headers ask for at <paramref name="now"/>; null when neither is present or readable.</summary>
    public static TimeSpan? Parse(string? retryAfter, string? retryAfterMs, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && double.IsFinite(ms))
        {
            return ms >= MaxWait.TotalMilliseconds ? MaxWait : TimeSpan.FromMilliseconds(ms);
        }

        if (string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        var text = retryAfter.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 && double.IsFinite(seconds) ? (seconds >= MaxWait.TotalSeconds ? MaxWait : TimeSpan.FromSeconds(seconds)) : null;
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
