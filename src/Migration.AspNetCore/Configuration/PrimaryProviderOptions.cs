namespace Migration.AspNetCore.Configuration;

/// <summary>The provider the application calls today (section <c>Migration:Primary</c>).</summary>
public sealed class PrimaryProviderOptions
{
    /// <summary>Display name, e.g. <c>openai</c>. Default <c>primary</c>.</summary>
    public string Name { get; set; } = "primary";

    /// <summary>Base URL ending with <c>/v1</c>, e.g. <c>https://api.openai.com/v1</c>. Optional for shadow mode.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>API key of the primary (from the environment). Never logged or stored; masked in stored bodies.</summary>
    public string? ApiKey { get; set; }
}
