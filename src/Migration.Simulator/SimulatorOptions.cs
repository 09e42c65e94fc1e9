using System.Globalization;

namespace Migration.Simulator;

/// <summary>
/// How one simulated OpenAI-compatible provider behaves. Defaults answer at once with no faults; set the latency
/// and agreement settings to make two simulators look like two different providers.
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>Configuration section used by the standalone host (<c>--Simulator:Name=openai</c>).</summary>
    public const string SectionName = "Simulator";

    /// <summary>The default model list.</summary>
    public static IReadOnlyList<string> DefaultModels { get; } =
        ["gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini", "text-embedding-3-small", "text-embedding-3-large"];

    /// <summary>Provider name: shown in <c>owned_by</c>, the <c>x-simulator</c> header and the system fingerprint.</summary>
    public string Name { get; set; } = "simulator";

    /// <summary>The Bearer key every <c>/v1</c> request must carry; null or empty = no authentication.</summary>
    public string? ApiKey { get; set; }

    /// <summary>More Bearer keys accepted besides <see cref="ApiKey"/> (an account with several keys). Empty by default.</summary>
    public IList<string> ExtraApiKeys { get; set; } = [];

    /// <summary>Models this provider serves; any other model gets 404 <c>model_not_found</c>.</summary>
    public IList<string> Models { get; set; } = [.. DefaultModels];

    /// <summary>
    /// Seed of the per-request draws (latency, faults). Answer content does not depend on it, except the wording of
    /// the Paraphrase and Sampling styles (seeded by <see cref="Name"/> and this seed).
    /// </summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Share of prompts (0..1) answered with the canonical text. Two simulators with rate 1 agree on every prompt;
    /// with 1 and 0.8 (same <see cref="DivergenceSalt"/>) they agree on about 80 % of prompts.
    /// </summary>
    public double AgreementRate { get; set; } = 1.0;

    /// <summary>
    /// Decides which prompts diverge and how. Simulators with the same salt diverge on nested sets of prompts
    /// (the 0.8 set is inside the 0.9 set); a different salt picks an independent set.
    /// </summary>
    public string DivergenceSalt { get; set; } = "divergence";

    /// <summary>
    /// How chat answers are worded: <see cref="Migration.Simulator.AnswerStyle.Classic"/> (default, the original
    /// sentence-bank answers), <see cref="Migration.Simulator.AnswerStyle.Verbatim"/>,
    /// <see cref="Migration.Simulator.AnswerStyle.Paraphrase"/> or <see cref="Migration.Simulator.AnswerStyle.Sampling"/>.
    /// </summary>
    public AnswerStyle AnswerStyle { get; set; } = AnswerStyle.Classic;

    /// <summary>
    /// Share of prompts (0..1) answered as a weaker model would (see <see cref="AnswerSettings"/>); needs an
    /// <see cref="AnswerStyle"/> other than Classic.
    /// </summary>
    public double DegradedRate { get; set; }

    /// <summary>
    /// Streams send the response headers and the role chunk (<c>delta: {"role":"assistant","content":""}</c>) at
    /// once and the first content after the time to first token, as real providers do; off = everything waits for
    /// the time to first token. Time to first byte and time to first token then differ.
    /// </summary>
    public bool EarlyRoleChunk { get; set; }

    /// <summary>Median time to first token (ms); 0 = no delay.</summary>
    public double TtftMedianMs { get; set; }

    /// <summary>99th percentile of the time to first token (ms); at least the median.</summary>
    public double TtftP99Ms { get; set; }

    /// <summary>Median delay between streamed chunks (ms); 0 = no delay.</summary>
    public double ChunkDelayMedianMs { get; set; }

    /// <summary>99th percentile of the delay between streamed chunks (ms); at least the median.</summary>
    public double ChunkDelayP99Ms { get; set; }

    /// <summary>Completion tokens per streamed content chunk.</summary>
    public int TokensPerChunk { get; set; } = 3;

    /// <summary>Default embedding vector length (a request's <c>dimensions</c> overrides it).</summary>
    public int EmbeddingDimensions { get; set; } = 1536;

    /// <summary>The faults active when the simulator starts.</summary>
    public FaultSettings Faults { get; set; } = FaultSettings.None;

    /// <summary>
    /// How many of the latest chat request bodies to keep for <see cref="SimulatorHost.ChatRequests"/> (tests see what
    /// a provider was sent); 0 (default) keeps none.
    /// </summary>
    public int KeepChatRequests { get; set; }

    /// <summary>Every problem with these options, each naming its setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add("Simulator:Name must not be empty.");
        }

        if (Models is null || Models.Count == 0 || Models.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Simulator:Models must list at least one model, with no empty names.");
        }

        if (!(AgreementRate is >= 0 and <= 1))
        {
            errors.Add(Invariant($"Simulator:AgreementRate must be between 0 and 1 (was {AgreementRate})."));
        }

        if (DivergenceSalt is null)
        {
            errors.Add("Simulator:DivergenceSalt must not be null.");
        }

        errors.AddRange(Answers.Validate().Select(e => "Simulator:" + e
            .Replace("degradedRate", "DegradedRate", StringComparison.Ordinal)
            .Replace("style", "AnswerStyle", StringComparison.Ordinal)));

        ValidateDistribution(errors, "Ttft", TtftMedianMs, TtftP99Ms);
        ValidateDistribution(errors, "ChunkDelay", ChunkDelayMedianMs, ChunkDelayP99Ms);

        if (TokensPerChunk is < 1 or > 1000)
        {
            errors.Add(Invariant($"Simulator:TokensPerChunk must be between 1 and 1000 (was {TokensPerChunk})."));
        }

        if (EmbeddingDimensions is < 1 or > 8192)
        {
            errors.Add(Invariant($"Simulator:EmbeddingDimensions must be between 1 and 8192 (was {EmbeddingDimensions})."));
        }

        if (KeepChatRequests is < 0 or > 10_000)
        {
            errors.Add(Invariant($"Simulator:KeepChatRequests must be between 0 and 10000 (was {KeepChatRequests})."));
        }

        if (Faults is null)
        {
            errors.Add("Simulator:Faults must not be null.");
        }
        else
        {
            errors.AddRange(Faults.Validate().Select(e => "Simulator:Faults:" + e));
        }

        return errors;
    }

    /// <summary>The answer settings a simulator starts with.</summary>
    internal AnswerSettings Answers => new() { Style = AnswerStyle, DegradedRate = DegradedRate };

    /// <summary>A copy, so a running simulator never sees later edits of the caller's instance.</summary>
    internal SimulatorOptions Clone() => new()
    {
        Name = Name,
        ApiKey = ApiKey,
        ExtraApiKeys = [.. ExtraApiKeys],
        KeepChatRequests = KeepChatRequests,
        Models = [.. Models],
        Seed = Seed,
        AgreementRate = AgreementRate,
        DivergenceSalt = DivergenceSalt,
        AnswerStyle = AnswerStyle,
        DegradedRate = DegradedRate,
        EarlyRoleChunk = EarlyRoleChunk,
        TtftMedianMs = TtftMedianMs,
        TtftP99Ms = TtftP99Ms,
        ChunkDelayMedianMs = ChunkDelayMedianMs,
        ChunkDelayP99Ms = ChunkDelayP99Ms,
        TokensPerChunk = TokensPerChunk,
        EmbeddingDimensions = EmbeddingDimensions,
        Faults = Faults,
    };

    private static void ValidateDistribution(List<string> errors, string name, double median, double p99)
    {
        if (!double.IsFinite(median) || median < 0)
        {
            errors.Add(Invariant($"Simulator:{name}MedianMs must be 0 or more (was {median})."));
        }
        else if (!double.IsFinite(p99) || (median > 0 && p99 < median))
        {
            errors.Add(Invariant($"Simulator:{name}P99Ms must be at least {name}MedianMs ({median}) (was {p99})."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
