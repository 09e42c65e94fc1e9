using Migration.Core.Comparison;
using Migration.Core.Reporting;

namespace Migration.AspNetCore.Configuration;

/// <summary>
/// Options of the migration harness, bound from the configuration section the host passes to
/// <c>AddMigrationHarness</c> (by convention <c>Migration</c>). Validated at start-up: every problem is listed
/// with its configuration path and the host refuses to start.
/// </summary>
public sealed class MigrationHarnessOptions
{
    /// <summary>The routes the harness handles when <see cref="Routes"/> is left empty.</summary>
    public static IReadOnlyList<string> DefaultRoutes { get; } = ["/v1/chat/completions", "/v1/embeddings"];

    /// <summary>Name of this instance in stored rows and traffic buckets. Default: machine name and process id.</summary>
    public string InstanceName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The provider the application calls today.</summary>
    public PrimaryProviderOptions Primary { get; set; } = new();

    /// <summary>The provider being migrated to.</summary>
    public CandidateProviderOptions Candidate { get; set; } = new();

    /// <summary>
    /// Request paths (exact match, POST) the harness observes and mirrors. Empty = <see cref="DefaultRoutes"/>
    /// (<c>/v1/chat/completions</c>, <c>/v1/embeddings</c>). Only chat completions and embeddings paths are
    /// accepted: <c>/v1/responses</c> (the Responses API) and other endpoints are refused at start-up.
    /// </summary>
    public IList<string> Routes { get; set; } = [];

    /// <summary>Shadow mode: mirroring sampled requests to the candidate.</summary>
    public ShadowOptions Shadow { get; set; } = new();

    /// <summary>The canary: ramp, guard rails, sticky assignment, controller and alerts.</summary>
    public CanaryOptions Canary { get; set; } = new();

    /// <summary>
    /// Prices per model, USD per million tokens, added to (or replacing) the built-in list prices
    /// (GPT-4.1, Claude Sonnet 4.5, Gemini 2.5 Flash, DeepSeek V3.2, ...); used for both sides.
    /// </summary>
    public IDictionary<string, ModelPriceOptions> Pricing { get; set; } = new Dictionary<string, ModelPriceOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Exact candidate prices per model (e.g. the relay's own price list), taken at face value.</summary>
    public IDictionary<string, ModelPriceOptions> CandidatePricing { get; set; } = new Dictionary<string, ModelPriceOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Discount the candidate gives on list prices, 0..1 (0.3 = 30 % cheaper). Applies to every candidate model
    /// without a <see cref="CandidatePricing"/> entry. Default 0.
    /// </summary>
    public double CandidateDiscount { get; set; }

    /// <summary>The rules behind the report's recommendation.</summary>
    public ReadinessOptions Readiness { get; set; } = new();

    /// <summary>Protection of the admin and report endpoints.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>How answers are compared (thresholds of the default comparer).</summary>
    public ComparerOptions Comparison { get; set; } = new();

    /// <summary>
    /// Whether the harness can read, compare and stream what a route carries: chat completions and embeddings
    /// (the path may sit under a prefix, e.g. <c>/v1/openai/chat/completions</c>).
    /// </summary>
    internal static bool IsSupportedRoute(string route)
    {
        var path = route.TrimEnd('/');
        return path.EndsWith("/chat/completions", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith("/embeddings", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The routes in effect (<see cref="Routes"/>, or the defaults when none are configured).</summary>
    internal IReadOnlyList<string> EffectiveRoutes => Routes.Count == 0 ? DefaultRoutes : [.. Routes];
}
