using System.Globalization;
using FluentValidation;
using Migration.AspNetCore.Shadow;

namespace Migration.AspNetCore.Configuration;

/// <summary>
/// The rules of <see cref="MigrationHarnessOptions"/>. Property names are configuration paths relative to the
/// section (<c>Candidate:BaseUrl</c>); messages quote the offending value except for secrets.
/// </summary>
internal sealed class MigrationHarnessOptionsValidator : AbstractValidator<MigrationHarnessOptions>
{
    public MigrationHarnessOptionsValidator()
    {
        RuleFor(o => o.InstanceName)
            .NotEmpty().WithMessage("is required")
            .MaximumLength(200).WithMessage("must be at most 200 characters")
            .OverridePropertyName("InstanceName");

        RuleFor(o => o.Primary.Name).NotEmpty().WithMessage("is required").OverridePropertyName("Primary:Name");
        RuleFor(o => o.Primary.BaseUrl)
            .Must(u => IsHttpUrl(u))
            .When(o => !string.IsNullOrEmpty(o.Primary.BaseUrl))
            .WithMessage(o => $"must be an absolute http or https URL (got '{o.Primary.BaseUrl}')")
            .OverridePropertyName("Primary:BaseUrl");

        RuleFor(o => o.Candidate.Name).NotEmpty().WithMessage("is required").OverridePropertyName("Candidate:Name");
        RuleFor(o => o.Candidate.BaseUrl)
            .Must(u => IsHttpUrl(u))
            .WithMessage(o => $"must be an absolute http or https URL (got '{o.Candidate.BaseUrl}')")
            .OverridePropertyName("Candidate:BaseUrl");
        RuleFor(o => o.Candidate.ApiKey)
            .NotEmpty().WithMessage("is required (set it from the environment, e.g. Migration__Candidate__ApiKey)")
            .OverridePropertyName("Candidate:ApiKey");
        RuleFor(o => o.Candidate.ModelMap).Custom((map, context) =>
        {
            foreach (var (from, to) in map)
            {
                if (string.IsNullOrWhiteSpace(to))
                {
                    context.AddFailure($"Candidate:ModelMap:{from}", "must name a candidate model (got an empty value)");
                }
            }
        });
        RuleFor(o => o.Candidate.FallbackModels).Custom((chains, context) =>
        {
            foreach (var (model, fallbacks) in chains)
            {
                if (fallbacks is not { Count: > 0 })
                {
                    context.AddFailure($"Candidate:FallbackModels:{model}", "must list at least one fallback model (got none)");
                    continue;
                }

                for (var i = 0; i < fallbacks.Count; i++)
                {
                    if (string.IsNullOrWhiteSpace(fallbacks[i]))
                    {
                        context.AddFailure($"Candidate:FallbackModels:{model}:{i}", "must name a model (got an empty value)");
                    }
                }
            }
        });
        RuleFor(o => o.Candidate.Timeout)
            .GreaterThan(TimeSpan.Zero).WithMessage(o => $"must be positive (got {Show(o.Candidate.Timeout)})")
            .OverridePropertyName("Candidate:Timeout");
        RuleFor(o => o.Candidate.ConnectTimeout)
            .GreaterThan(TimeSpan.Zero).WithMessage(o => $"must be positive (got {Show(o.Candidate.ConnectTimeout)})")
            .OverridePropertyName("Candidate:ConnectTimeout");
        RuleFor(o => o.Candidate.PooledConnectionLifetime)
            .GreaterThan(TimeSpan.Zero).WithMessage(o => $"must be positive (got {Show(o.Candidate.PooledConnectionLifetime)})")
            .OverridePropertyName("Candidate:PooledConnectionLifetime");
        RuleFor(o => o.Candidate.MaxConnections)
            .Must((o, max) => max >= Math.Max(1, o.Shadow.Workers))
            .WithMessage(o => $"must be at least Shadow:Workers ({o.Shadow.Workers}) (got {o.Candidate.MaxConnections})")
            .OverridePropertyName("Candidate:MaxConnections");

        RuleFor(o => o.Routes).Custom((routes, context) =>
        {
            for (var i = 0; i < routes.Count; i++)
            {
                var route = routes[i];
                if (string.IsNullOrEmpty(route) || route[0] != '/' || route.Contains('?', StringComparison.Ordinal))
                {
                    context.AddFailure($"Routes:{i}", $"must be a path starting with '/' and without a query (got '{route}')");
                }
                else if (!route.StartsWith("/v1/", StringComparison.Ordinal))
                {
                    context.AddFailure($"Routes:{i}", $"must start with '/v1/': it is sent to Candidate:BaseUrl without its '/v1' (got '{route}')");
                }
                else if (route.TrimEnd('/').EndsWith("/responses", StringComparison.OrdinalIgnoreCase))
                {
                    // Its 'input' would be read as an embeddings request and its event streams (no [DONE]) cut off.
                    context.AddFailure(
                        $"Routes:{i}",
                        $"{route} is not supported: the harness understands chat completions and embeddings only, not the Responses API (its requests, answers and stream events would be misread and streamed canary answers cut off); remove it, or move the app to /v1/chat/completions");
                }
                else if (!MigrationHarnessOptions.IsSupportedRoute(route))
                {
                    context.AddFailure(
                        $"Routes:{i}",
                        $"{route} is not supported: the harness understands chat completions (a path ending in /chat/completions) and embeddings (ending in /embeddings)");
                }
            }
        });

        RuleFor(o => o.Shadow.SampleRate)
            .InclusiveBetween(0, 1).WithMessage(o => $"must be between 0 and 1 (got {Show(o.Shadow.SampleRate)})")
            .OverridePropertyName("Shadow:SampleRate");
        RuleFor(o => o.Shadow.NoiseFloorRate)
            .InclusiveBetween(0, 1).WithMessage(o => $"must be between 0 and 1 (got {Show(o.Shadow.NoiseFloorRate)})")
            .OverridePropertyName("Shadow:NoiseFloorRate");
        RuleFor(o => o.Shadow.StickyKey)
            .Must(k => StickyKey.TryParse(k, out _))
            .When(o => !string.IsNullOrEmpty(o.Shadow.StickyKey))
            .WithMessage(o => $"must be 'header:NAME' or 'claim:TYPE' (got '{o.Shadow.StickyKey}')")
            .OverridePropertyName("Shadow:StickyKey");
        RuleFor(o => o.Shadow.QueueCapacity)
            .InclusiveBetween(1, 1_000_000).WithMessage(o => $"must be between 1 and 1000000 (got {o.Shadow.QueueCapacity})")
            .OverridePropertyName("Shadow:QueueCapacity");
        RuleFor(o => o.Shadow.Workers)
            .InclusiveBetween(1, 1024).WithMessage(o => $"must be between 1 and 1024 (got {o.Shadow.Workers})")
            .OverridePropertyName("Shadow:Workers");
        RuleFor(o => o.Shadow.Timeout)
            .GreaterThan(TimeSpan.Zero).WithMessage(o => $"must be positive (got {Show(o.Shadow.Timeout)})")
            .OverridePropertyName("Shadow:Timeout");
        RuleFor(o => o.Shadow.DrainTimeout)
            .InclusiveBetween(TimeSpan.Zero, TimeSpan.FromMinutes(5)).WithMessage(o => $"must be between 0 and 5 minutes (got {Show(o.Shadow.DrainTimeout)})")
            .OverridePropertyName("Shadow:DrainTimeout");
        RuleFor(o => o.Shadow.MaxBodyBytes)
            .InclusiveBetween(1, 256 * 1024 * 1024).WithMessage(o => $"must be between 1 and 268435456 (got {o.Shadow.MaxBodyBytes})")
            .OverridePropertyName("Shadow:MaxBodyBytes");
        RuleFor(o => o.Shadow.MaxResponseBytes)
            .InclusiveBetween(1, 256 * 1024 * 1024).WithMessage(o => $"must be between 1 and 268435456 (got {o.Shadow.MaxResponseBytes})")
            .OverridePropertyName("Shadow:MaxResponseBytes");
        RuleFor(o => o.Shadow.StoreContent)
            .IsInEnum().WithMessage(o => $"must be None, Redacted or Full (got '{o.Shadow.StoreContent}')")
            .OverridePropertyName("Shadow:StoreContent");
        RuleFor(o => o.Shadow.MaxStoredChars)
            .GreaterThanOrEqualTo(0).WithMessage(o => $"must be 0 or more (got {o.Shadow.MaxStoredChars})")
            .OverridePropertyName("Shadow:MaxStoredChars");

        RuleFor(o => o.Canary).Custom((canary, context) =>
        {
            // Core's policy rules, each "Canary:Path message": keep the path, so every problem names its key.
            foreach (var problem in canary.ToPolicyOptions().Validate("Canary"))
            {
                var space = problem.IndexOf(' ', StringComparison.Ordinal);
                context.AddFailure(space > 0 ? problem[..space] : "Canary", space > 0 ? problem[(space + 1)..] : problem);
            }
        });
        RuleFor(o => o.Canary.StickyKey)
            .Must(k => StickyKey.TryParse(k, out _))
            .When(o => !string.IsNullOrEmpty(o.Canary.StickyKey))
            .WithMessage(o => $"must be 'header:NAME' or 'claim:TYPE' (got '{o.Canary.StickyKey}')")
            .OverridePropertyName("Canary:StickyKey");
        RuleFor(o => o.Canary.Migration)
            .NotEmpty().WithMessage("is required (the canary_state key, e.g. 'default')")
            .MaximumLength(100).WithMessage("must be at most 100 characters")
            .OverridePropertyName("Canary:Migration");
        RuleFor(o => o.Canary.PollInterval)
            .GreaterThan(TimeSpan.Zero).WithMessage(o => $"must be positive (got {Show(o.Canary.PollInterval)})")
            .OverridePropertyName("Canary:PollInterval");
        RuleFor(o => o.Canary.FailSafeAfter)
            .Must((o, v) => v is null || v > o.Canary.PollInterval)
            .WithMessage(o => $"must be longer than Canary:PollInterval {Show(o.Canary.PollInterval)} (got {Show(o.Canary.FailSafeAfter ?? TimeSpan.Zero)})")
            .OverridePropertyName("Canary:FailSafeAfter");
        RuleFor(o => o.Canary.FirstByteTimeout)
            .GreaterThan(TimeSpan.Zero).WithMessage(o => $"must be positive (got {Show(o.Canary.FirstByteTimeout)})")
            .OverridePropertyName("Canary:FirstByteTimeout");
        RuleFor(o => o.Canary.AlertWebhookUrl)
            .Must(u => IsHttpUrl(u))
            .When(o => !string.IsNullOrEmpty(o.Canary.AlertWebhookUrl))
            .WithMessage(o => $"must be an absolute http or https URL (got '{o.Canary.AlertWebhookUrl}')")
            .OverridePropertyName("Canary:AlertWebhookUrl");
        RuleFor(o => o.Canary.CircuitBreakerFailureRatio)
            .Must(r => r > 0 && r <= 1).WithMessage(o => $"must be within (0, 1] (got {Show(o.Canary.CircuitBreakerFailureRatio)})")
            .OverridePropertyName("Canary:CircuitBreakerFailureRatio");
        RuleFor(o => o.Canary.CircuitBreakerMinimumThroughput)
            .GreaterThanOrEqualTo(2).WithMessage(o => $"must be at least 2 (got {o.Canary.CircuitBreakerMinimumThroughput})")
            .OverridePropertyName("Canary:CircuitBreakerMinimumThroughput");
        RuleFor(o => o.Canary.CircuitBreakerSamplingDuration)
            .GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(500)).WithMessage(o => $"must be at least 0.5 s (got {Show(o.Canary.CircuitBreakerSamplingDuration)})")
            .OverridePropertyName("Canary:CircuitBreakerSamplingDuration");
        RuleFor(o => o.Canary.CircuitBreakerBreakDuration)
            .GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(500)).WithMessage(o => $"must be at least 0.5 s (got {Show(o.Canary.CircuitBreakerBreakDuration)})")
            .OverridePropertyName("Canary:CircuitBreakerBreakDuration");

        RuleFor(o => o.Pricing).Custom((prices, context) => CheckPrices("Pricing", prices, context));
        RuleFor(o => o.CandidatePricing).Custom((prices, context) => CheckPrices("CandidatePricing", prices, context));
        RuleFor(o => o.CandidateDiscount)
            .InclusiveBetween(0, 1).WithMessage(o => $"must be between 0 and 1 (got {Show(o.CandidateDiscount)})")
            .OverridePropertyName("CandidateDiscount");

        RuleFor(o => o.Readiness.MinCompared)
            .GreaterThanOrEqualTo(1).WithMessage(o => $"must be at least 1 (got {o.Readiness.MinCompared})")
            .OverridePropertyName("Readiness:MinCompared");
        RuleFor(o => o.Readiness.MinMatchRate)
            .InclusiveBetween(0, 1).WithMessage(o => $"must be between 0 and 1 when set (got {Show(o.Readiness.MinMatchRate ?? 0)})")
            .OverridePropertyName("Readiness:MinMatchRate");
        RuleFor(o => o.Readiness.MinNoiseSamples)
            .GreaterThanOrEqualTo(1).WithMessage(o => $"must be at least 1 (got {o.Readiness.MinNoiseSamples})")
            .OverridePropertyName("Readiness:MinNoiseSamples");
        RuleFor(o => o.Readiness.MinLatencySamples)
            .GreaterThanOrEqualTo(1).WithMessage(o => $"must be at least 1 (got {o.Readiness.MinLatencySamples})")
            .OverridePropertyName("Readiness:MinLatencySamples");
        RuleFor(o => o.Readiness.AgreementTolerance)
            .InclusiveBetween(0, 1).WithMessage(o => $"must be between 0 and 1, in share points (got {Show(o.Readiness.AgreementTolerance)})")
            .OverridePropertyName("Readiness:AgreementTolerance");
        RuleFor(o => o.Readiness.AgreementSignificance)
            .ExclusiveBetween(0, 0.5).WithMessage(o => $"must be between 0 and 0.5, exclusive (got {Show(o.Readiness.AgreementSignificance)})")
            .OverridePropertyName("Readiness:AgreementSignificance");
        RuleFor(o => o.Readiness.P95LatencyMarginMs)
            .GreaterThanOrEqualTo(0).WithMessage(o => $"must be 0 or more milliseconds (got {Show(o.Readiness.P95LatencyMarginMs)})")
            .OverridePropertyName("Readiness:P95LatencyMarginMs");
        RuleFor(o => o.Readiness.P95TtftMarginMs)
            .GreaterThanOrEqualTo(0).WithMessage(o => $"must be 0 or more milliseconds (got {Show(o.Readiness.P95TtftMarginMs)})")
            .OverridePropertyName("Readiness:P95TtftMarginMs");
        RuleFor(o => o.Readiness.MinCandidateSuccessRate)
            .InclusiveBetween(0, 1).WithMessage(o => $"must be between 0 and 1 (got {Show(o.Readiness.MinCandidateSuccessRate)})")
            .OverridePropertyName("Readiness:MinCandidateSuccessRate");
        RuleFor(o => o.Readiness.MaxDroppedRate)
            .InclusiveBetween(0, 1).WithMessage(o => $"must be between 0 and 1 (got {Show(o.Readiness.MaxDroppedRate)})")
            .OverridePropertyName("Readiness:MaxDroppedRate");
        RuleFor(o => o.Readiness.MaxP95LatencyRatio)
            .GreaterThan(0).WithMessage(o => $"must be positive (got {Show(o.Readiness.MaxP95LatencyRatio)})")
            .OverridePropertyName("Readiness:MaxP95LatencyRatio");
        RuleFor(o => o.Readiness.MaxP95TtftRatio)
            .GreaterThan(0).WithMessage(o => $"must be positive (got {Show(o.Readiness.MaxP95TtftRatio)})")
            .OverridePropertyName("Readiness:MaxP95TtftRatio");
        RuleFor(o => o.Readiness.MaxCostRatio)
            .GreaterThan(0).WithMessage(o => $"must be positive (got {Show(o.Readiness.MaxCostRatio)})")
            .OverridePropertyName("Readiness:MaxCostRatio");

        RuleFor(o => o.Admin.ApiKey)
            .NotEmpty()
            .When(o => string.IsNullOrWhiteSpace(o.Admin.AuthorizationPolicy))
            .WithMessage("is required unless Admin:AuthorizationPolicy is set")
            .OverridePropertyName("Admin:ApiKey");
        RuleFor(o => o.Admin.ApiKey)
            .MinimumLength(16)
            .When(o => !string.IsNullOrEmpty(o.Admin.ApiKey))
            .WithMessage("must be at least 16 characters long")
            .OverridePropertyName("Admin:ApiKey");

        RuleFor(o => o.Comparison.SimilarThreshold)
            .InclusiveBetween(0, 1).WithMessage(o => $"must be between 0 and 1 (got {Show(o.Comparison.SimilarThreshold)})")
            .OverridePropertyName("Comparison:SimilarThreshold");
        RuleFor(o => o.Comparison.EmbeddingExactCosine)
            .InclusiveBetween(-1, 1).WithMessage(o => $"must be between -1 and 1 (got {Show(o.Comparison.EmbeddingExactCosine)})")
            .OverridePropertyName("Comparison:EmbeddingExactCosine");
        RuleFor(o => o.Comparison.EmbeddingEquivalentCosine)
            .InclusiveBetween(-1, 1).WithMessage(o => $"must be between -1 and 1 (got {Show(o.Comparison.EmbeddingEquivalentCosine)})")
            .OverridePropertyName("Comparison:EmbeddingEquivalentCosine");
        RuleFor(o => o.Comparison.ShortTextChars)
            .GreaterThanOrEqualTo(0).WithMessage(o => $"must be 0 or more (got {o.Comparison.ShortTextChars})")
            .OverridePropertyName("Comparison:ShortTextChars");

        // Upper bounds: timers take at most ~49.7 days and Polly's strategies at most 1 day (its timeout at least
        // 10 ms); anything beyond would pass here and then fail at start-up without a configuration path.
        AtMostOneDay(o => o.Candidate.Timeout, "Candidate:Timeout");
        AtMostOneDay(o => o.Candidate.ConnectTimeout, "Candidate:ConnectTimeout");
        AtMostOneDay(o => o.Shadow.Timeout, "Shadow:Timeout");
        AtMostOneDay(o => o.Canary.Interval, "Canary:Interval");
        AtMostOneDay(o => o.Canary.PollInterval, "Canary:PollInterval");
        AtMostOneDay(o => o.Canary.FailSafeAfter ?? TimeSpan.Zero, "Canary:FailSafeAfter");
        AtMostOneDay(o => o.Canary.CircuitBreakerSamplingDuration, "Canary:CircuitBreakerSamplingDuration");
        AtMostOneDay(o => o.Canary.CircuitBreakerBreakDuration, "Canary:CircuitBreakerBreakDuration");
        RuleFor(o => o.Canary.FirstByteTimeout)
            .InclusiveBetween(TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(24))
            .When(o => o.Canary.FirstByteTimeout > TimeSpan.Zero)
            .WithMessage(o => $"must be between 10 ms and 24 h (got {Show(o.Canary.FirstByteTimeout)})")
            .OverridePropertyName("Canary:FirstByteTimeout");
    }

    private void AtMostOneDay(System.Linq.Expressions.Expression<Func<MigrationHarnessOptions, TimeSpan>> value, string path)
    {
        var read = value.Compile();
        RuleFor(value)
            .LessThanOrEqualTo(OneDay).WithMessage(o => $"must be at most 1 day (got {Show(read(o))})")
            .OverridePropertyName(path);
    }

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    internal static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.Query);

    private static void CheckPrices(string path, IDictionary<string, ModelPriceOptions> prices, ValidationContext<MigrationHarnessOptions> context)
    {
        foreach (var (model, price) in prices)
        {
            if (price is null)
            {
                context.AddFailure($"{path}:{model}", "must have InputPerMTok and OutputPerMTok");
                continue;
            }

            if (price.InputPerMTok < 0)
            {
                context.AddFailure($"{path}:{model}:InputPerMTok", $"must be 0 or more (got {Show(price.InputPerMTok)})");
            }

            if (price.CachedInputPerMTok < 0)
            {
                context.AddFailure($"{path}:{model}:CachedInputPerMTok", $"must be 0 or more (got {Show(price.CachedInputPerMTok.Value)})");
            }

            if (price.OutputPerMTok < 0)
            {
                context.AddFailure($"{path}:{model}:OutputPerMTok", $"must be 0 or more (got {Show(price.OutputPerMTok)})");
            }
        }
    }

    private static string Show(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
