using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Migration.Core.Comparison;
using Migration.Semantic.Local;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the embedding generator of the harness's semantic comparison tier.</summary>
public static class MigrationSemanticServiceCollectionExtensions
{
    /// <summary>
    /// Scores prose with the local all-MiniLM-L6-v2 model (<see cref="MiniLmEmbeddingGenerator"/>: in-process ONNX, no
    /// network, loaded on first use), registered as the keyed generator <see cref="MigrationEmbeddings.ServiceKey"/>.
    /// The semantic stage runs while <c>Migration:Shadow:Semantic:Enabled</c> is true (the default once a generator
    /// is registered). Call after (or before) <c>AddMigrationHarness(...)</c>; a generator registered earlier under the
    /// same key wins.
    /// </summary>
    public static IServiceCollection AddMigrationLocalEmbeddings(this IServiceCollection services, Action<MiniLmEmbeddingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new MiniLmEmbeddingOptions();
        configure?.Invoke(options);
        services.TryAddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            MigrationEmbeddings.ServiceKey,
            (_, _) => new MiniLmEmbeddingGenerator(options));
        return services;
    }
}
