using System.Globalization;

namespace Migration.Cli;

/// <summary>Durations as the CLI spells them: <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>14d</c>, <c>2w</c> (the report endpoint's <c>since</c> syntax).</summary>
internal static class DurationParser
{
    private static readonly TimeSpan Max = TimeSpan.FromDays(36_500);

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var unit = char.ToLowerInvariant(text[^1]);
        var seconds = unit switch
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
            || amount > Max.TotalSeconds / seconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * seconds);
        return true;
    }
}
