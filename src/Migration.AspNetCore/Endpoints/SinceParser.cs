using System.Globalization;

namespace Migration.AspNetCore.Endpoints;

/// <summary>Reads the report's <c>since</c>: a duration back from now (<c>90s</c>, <c>30m</c>, <c>1h</c>, <c>2d</c>, <c>1w</c>) or an ISO-8601 time.</summary>
internal static class SinceParser
{
    public static bool TryParse(string? value, DateTimeOffset now, out DateTimeOffset? since)
    {
        since = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        value = value.Trim();
        var unit = char.ToLowerInvariant(value[^1]);
        if (value.Length > 1 && "smhdw".Contains(unit, StringComparison.Ordinal)
            && long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            && amount <= 36_500L * 24 * 3600)
        {
            var seconds = amount * unit switch
            {
                's' => 1L,
                'm' => 60L,
                'h' => 3600L,
                'd' => 86_400L,
                _ => 604_800L,
            };
            if (seconds > 36_500L * 86_400)
            {
                return false;
            }

            since = now - TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && value.Length >= 10 && char.IsDigit(value[0]))
        {
            since = time;
            return true;
        }

        return false;
    }
}
