namespace Migration.Semantic.Local;

/// <summary>Options of <see cref="MiniLmEmbeddingGenerator"/> (configuration section <c>Migration:Shadow:Semantic:Local</c>).</summary>
public sealed class MiniLmEmbeddingOptions
{
    /// <summary>The model id the generator reports (and thresholds are keyed by).</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>ONNX Runtime intra-op threads per encode call. Default 1: scoring must not take the cores production runs on.</summary>
    public int IntraOpNumThreads { get; set; } = 1;

    /// <summary>
    /// Most word pieces (with <c>[CLS]</c> and <c>[SEP]</c>) one model input holds; a longer input is split into sentence
    /// windows of at most this many, and its vector is the normalised mean of the windows' vectors. Default 256 (the
    /// model's window; the encoder would silently cut the rest).
    /// </summary>
    public int MaxWordPieces { get; set; } = 256;

    /// <summary>Most inputs per ONNX run (longer lists are encoded in several runs). Default 32.</summary>
    public int BatchSize { get; set; } = 32;
}
