using System.Globalization;

namespace Migration.Core.Reporting;

/// <summary>
/// The window and resolution of a time series: slots of <see cref="Step"/> from <see cref="From"/> (a multiple of
/// the step since the Unix epoch, so charts stay put between refreshes) to <see cref="Until"/> (the end of the slot
/// holding "now"). <see cref="Now"/> is where the data ends (the last slot's rate is over the part up to it).
/// </summary>
public sealed record TimeSeriesQuery
{
    /// <summary>The window when <c>since</c> is not given.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>At most this many slots per series (24 h at 10 s is 8,640).</summary>
    public const int MaxPoints = 10_000;

    /// <summary>The steps chosen when none is given: the smallest giving at most <see cref="AutoPoints"/> slots.</summary>
    private static readonly int[] AutoSteps = [1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 10800, 21600, 43200, 86400];

    private const int AutoPoints = 720;

    private TimeSeriesQuery(DateTimeOffset from, DateTimeOffset until, DateTimeOffset now, int stepSeconds, string? model)
    {
        From = from;
        Until = until;
        Now = now;
        StepSeconds = stepSeconds;
        Model = model;
    }

    /// <summary>Start of the first slot.</summary>
    public DateTimeOffset From { get; }

    /// <summary>End of the last slot (exclusive).</summary>
    public DateTimeOffset Until { get; }

    /// <summary>When the series was asked for (data ends here).</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Slot width in whole seconds.</summary>
    public int StepSeconds { get; }

    /// <summary>Slot width.</summary>
    public TimeSpan Step => TimeSpan.FromSeconds(StepSeconds);

    /// <summary>Only this client model; null = all.</summary>
    public string? Model { get; }

    /// <summary>Number of slots.</summary>
    public int Points => (int)((Until - From).Ticks / Step.Ticks);

    /// <summary>The slot holding <paramref name="second"/>; -1 outside the window.</summary>
    public int SlotOf(DateTimeOffset second)
    {
        if (second < From || second >= Until)
        {
            return -1;
        }

        return (int)((second - From).Ticks / Step.Ticks);
    }

    /// <summary>Start of slot <paramref name="slot"/>.</summary>
    public DateTimeOffset SlotStart(int slot) => From + TimeSpan.FromSeconds((long)slot * StepSeconds);

    /// <summary>Seconds of slot <paramref name="slot"/> up to <see cref="Now"/> (the last slot is partly in the future); at least 1.</summary>
    public double SlotSeconds(int slot)
    {
        var start = SlotStart(slot);
        var end = start + Step;
        var seconds = ((end < Now ? end : Now) - start).TotalSeconds;
        return Math.Clamp(Math.Ceiling(seconds), 1, StepSeconds);
    }

    /// <summary>A query for the exact window [<paramref name="from"/>, <paramref name="until"/>) (tests, seeded data).</summary>
    public static TimeSeriesQuery Create(DateTimeOffset from, DateTimeOffset until, int stepSeconds, string? model = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSeconds);
        var step = TimeSpan.FromSeconds(stepSeconds);
        var start = AlignDown(from, step);
        var end = AlignDown(until - TimeSpan.FromTicks(1), step) + step;
        return new TimeSeriesQuery(start, end, until, stepSeconds, model);
    }

    /// <summary>
    /// Reads the endpoint's parameters: <paramref name="since"/> as the report reads it (<c>15m</c>, <c>1h</c>,
    /// <c>6h</c>, <c>24h</c>, an ISO-8601 time; default 1 h), <paramref name="step"/> a duration of whole seconds
    /// (<c>10s</c>, <c>1m</c>; default: the smallest of 1 s, 5 s, 10 s, ... giving at most 720 slots). Problems are
    /// listed per parameter.
    /// </summary>
    public static bool TryParse(string? since, string? step, string? model, DateTimeOffset now, out TimeSeriesQuery? query, out IReadOnlyDictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, string[]>();
        query = null;
        DateTimeOffset? from = now - DefaultWindow;
        if (!string.IsNullOrWhiteSpace(since) && !SinceParser.TryParse(since, now, out from))
        {
            problems["since"] = [$"must be a duration like 15m, 1h, 6h, 24h or an ISO-8601 time (got '{since}')"];
        }
        else if (from >= now)
        {
            problems["since"] = [$"must lie in the past (got '{since}')"];
        }

        var stepSeconds = 0;
        if (!string.IsNullOrWhiteSpace(step))
        {
            if (!SinceParser.TryParseDuration(step, out var duration) || duration.TotalSeconds > int.MaxValue)
            {
                problems["step"] = [$"must be a duration of whole seconds like 10s, 1m or 1h (got '{step}')"];
            }
            else if (duration < TimeSpan.FromSeconds(1))
            {
                problems["step"] = ["must be at least 1s"];
            }
            else
            {
                stepSeconds = (int)duration.TotalSeconds;
            }
        }

        if (model is not null && (model.Length is 0 or > 200))
        {
            problems["model"] = ["must be a model name of 1 to 200 characters"];
        }

        if (problems.Count == 0)
        {
            var window = now - from!.Value;
            if (stepSeconds == 0)
            {
                stepSeconds = AutoSteps.FirstOrDefault(s => window.TotalSeconds / s <= AutoPoints, AutoSteps[^1]);
            }

            var candidate = Create(from.Value, now, stepSeconds, model);
            if (candidate.Points > MaxPoints)
            {
                var least = (long)Math.Ceiling(window.TotalSeconds / MaxPoints);
                problems["step"] = [string.Create(CultureInfo.InvariantCulture,
                    $"gives {candidate.Points} points over the window; at most {MaxPoints} are served: use a step of at least {least}s or a shorter since")];
            }
            else
            {
                query = candidate;
            }
        }

        errors = problems;
        return query is not null;
    }

    private static DateTimeOffset AlignDown(DateTimeOffset time, TimeSpan step)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - ((utc.Ticks - DateTimeOffset.UnixEpoch.Ticks) % step.Ticks), TimeSpan.Zero);
    }
}
