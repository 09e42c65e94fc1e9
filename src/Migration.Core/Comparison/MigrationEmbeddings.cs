namespace Migration.Core.Comparison;

/// <summary>
/// Where the harness finds the embedding generator of its semantic tier: a keyed
/// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> registered under <see cref="ServiceKey"/>, so an app's
/// own embedding generator (registered without a key) is never taken for scoring by accident.
/// </summary>
public static class MigrationEmbeddings
{
    /// <summary>The service key of the harness's embedding generator.</summary>
    public const string ServiceKey = "Migration.Semantic";
}
