using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Migration.Core.Comparison;
using Migration.Semantic.Local;

namespace Migration.Semantic.Tests.Local;

// Every test here uses the one process-wide encoder (a load costs ~0.5 s and ~400 MB).
public sealed class MiniLmEmbeddingGeneratorTests
{
    private static readonly MiniLmEmbeddingGenerator Generator = new();

    [Fact]
    public async Task GenerateAsync_Texts_NormalisedVectorsThatSeparateMeanings()
    {
        var vectors = await Embed("Paris is the capital of France.", "France's capital city is Paris.", "Lyon is the capital of France.", "Reset your password from the account page.");

        Assert.All(vectors, v => Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3));
        var paraphrase = Cosine(vectors[0], vectors[1]);
        Assert.True(paraphrase > 0.9, $"paraphrase {paraphrase}");
        Assert.True(Cosine(vectors[0], vectors[2]) < paraphrase, "swapped entity scores below the paraphrase");
        Assert.True(Cosine(vectors[0], vectors[3]) < 0.3, "unrelated");
    }

    [Fact]
    public async Task GenerateAsync_InputLongerThanTheWindow_DifferentEndingChangesTheVector()
    {
        var start = string.Join(" ", Enumerable.Repeat("The quick brown fox jumps over the lazy dog near the riverbank while the children watch.", 30));
        Assert.True(MiniLmEmbeddingGenerator.CountWordPieces(start) > 256);

        var vectors = await Embed(start + " Refunds are paid within 14 days.", start + " Stock markets fell sharply in Europe today as inflation rose.");

        Assert.True(Cosine(vectors[0], vectors[1]) < 0.9999, "the ending past the model's window counts");
    }

    [Fact]
    public async Task GenerateAsync_VietnameseWithDiacritics_ScoredLikeItsMeaning()
    {
        var vectors = await Embed("Tôi muốn đặt bàn cho hai người tối nay.", "Tôi muốn đặt một bàn cho hai người vào tối nay.", "Thời tiết hôm nay rất nóng.");

        Assert.True(Cosine(vectors[0], vectors[1]) > Cosine(vectors[0], vectors[2]) + 0.2);
    }

    [Fact]
    public void GetService_Metadata_NamesTheModel()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.Equal("all-MiniLM-L6-v2", metadata?.DefaultModelId);
        Assert.Equal(384, metadata?.DefaultModelDimensions);
    }

    [Fact]
    public void AddMigrationLocalEmbeddings_OneCall_RegistersTheKeyedGenerator()
    {
        var services = new ServiceCollection().AddMigrationLocalEmbeddings(o => o.IntraOpNumThreads = 2);
        using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(MigrationEmbeddings.ServiceKey);

        Assert.IsType<MiniLmEmbeddingGenerator>(generator);
        Assert.Null(provider.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public void Constructor_InvalidThreads_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { IntraOpNumThreads = 0 }));
    }

    private static async Task<float[][]> Embed(params string[] texts)
    {
        var result = await Generator.GenerateAsync(texts);
        return result.Select(e => e.Vector.ToArray()).ToArray();
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
        }

        return dot;
    }
}
