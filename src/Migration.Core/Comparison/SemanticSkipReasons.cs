namespace Migration.Core.Comparison;

/// <summary>
/// Why an exchange that asked for a semantic re-score kept its lexical verdict (stored in
/// <c>shadow_results.semantic_skipped</c>, tag <c>reason</c> of <c>migration.semantic.skipped</c>).
/// </summary>
public static class SemanticSkipReasons
{
    /// <summary>The semantic stage's queue was full: production is never slowed down to wait for it.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The embedding generator failed (remote endpoint down, model error).</summary>
    public const string Error = "error";

    /// <summary>The host stopped before the exchange was scored.</summary>
    public const string Shutdown = "shutdown";
}
