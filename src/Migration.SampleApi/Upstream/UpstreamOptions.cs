namespace Migration.SampleApi.Upstream;

/// <summary>The provider this API calls today (configuration section <c>Upstream</c>).</summary>
public sealed class UpstreamOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Upstream";

    /// <summary>Base URL ending in <c>/v1</c>, e.g. <c>https://api.openai.com/v1</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.openai.com/v1";

    /// <summary>The provider API key (from the environment: <c>Upstream__ApiKey</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one upstream call may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
