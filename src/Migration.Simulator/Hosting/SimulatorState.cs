using Migration.Simulator.Content;
using Migration.Simulator.Randomness;

namespace Migration.Simulator.Hosting;

/// <summary>Everything the request handlers share: options, the live fault settings, counters, clock.</summary>
internal sealed class SimulatorState
{
    private readonly HashSet<string> _models;
    private readonly ulong _seedBase;
    private FaultSettings _faults;
    private AnswerSettings _answers;
    private long _sequence;

    public SimulatorState(SimulatorOptions options, TimeProvider timeProvider)
    {
        Options = options;
        TimeProvider = timeProvider;
        _models = new HashSet<string>(options.Models, StringComparer.Ordinal);
        _faults = options.Faults;
        _seedBase = SplitMix64.Mix((ulong)(uint)options.Seed ^ 0x6A09E667F3BCC909UL);
        Generator = new AnswerGenerator(options.AgreementRate, options.DivergenceSalt);
        ModelLike = new ModelLikeAnswerGenerator(Generator, options.DivergenceSalt, options.Name, options.Seed);
        InitialAnswers = options.Answers;
        _answers = InitialAnswers;
        Ttft = new LogNormalDistribution(options.TtftMedianMs, options.TtftP99Ms);
        ChunkDelay = new LogNormalDistribution(options.ChunkDelayMedianMs, options.ChunkDelayP99Ms);
        Fingerprint = "fp_" + Fnv1a64.Hash(options.Name).ToString("x10", System.Globalization.CultureInfo.InvariantCulture)[..10];
    }

    public SimulatorOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public SimulatorStats Stats { get; } = new();

    /// <summary>The latest chat request bodies (<see cref="SimulatorOptions.KeepChatRequests"/>), oldest first.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ChatRequests { get; } = new();

    /// <summary>Keeps <paramref name="body"/> when the options ask for it, dropping the oldest past the limit.</summary>
    public void KeepChatRequest(System.Text.Json.JsonElement body)
    {
        if (Options.KeepChatRequests <= 0)
        {
            return;
        }

        ChatRequests.Enqueue(body.GetRawText());
        while (ChatRequests.Count > Options.KeepChatRequests && ChatRequests.TryDequeue(out _))
        {
        }
    }

    public AnswerGenerator Generator { get; }

    public ModelLikeAnswerGenerator ModelLike { get; }

    /// <summary>The answer settings of the options: what <c>DELETE /_sim/answers</c> goes back to.</summary>
    public AnswerSettings InitialAnswers { get; }

    public LogNormalDistribution Ttft { get; }

    public LogNormalDistribution ChunkDelay { get; }

    public string Fingerprint { get; }

    /// <summary>Cancelled when the host stops, so hangs end at once.</summary>
    public CancellationToken Stopping { get; set; }

    public FaultSettings Faults
    {
        get => Volatile.Read(ref _faults);
        set => Volatile.Write(ref _faults, Valid(value, value?.Validate(), "fault settings"));
    }

    public AnswerSettings Answers
    {
        get => Volatile.Read(ref _answers);
        set => Volatile.Write(ref _answers, Valid(value, value?.Validate(), "answer settings"));
    }

    public bool ServesModel(string model) => _models.Contains(model);

    /// <summary>A fresh generator for one request: the n-th request of a run always draws the same values.</summary>
    public SplitMix64 NextRequestRandom() =>
        new(SplitMix64.Mix(_seedBase + (ulong)Interlocked.Increment(ref _sequence)));

    public Task DelayAsync(double milliseconds, CancellationToken cancellationToken) =>
        milliseconds <= 0
            ? Task.CompletedTask
            : Task.Delay(TimeSpan.FromMilliseconds(milliseconds), TimeProvider, cancellationToken);

    private static T Valid<T>(T? value, IReadOnlyList<string>? errors, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        if (errors is { Count: > 0 })
        {
            throw new ArgumentException($"Invalid {what}: " + string.Join(" ", errors), nameof(value));
        }

        return value;
    }

    public long UnixNow() => TimeProvider.GetUtcNow().ToUnixTimeSeconds();
}
