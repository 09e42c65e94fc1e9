using Migration.Core.Redaction;

namespace Migration.AspNetCore.Configuration;

/// <summary>Shadow mode (section <c>Migration:Shadow</c>).</summary>
public sealed class ShadowOptions
{
    /// <summary>Whether sampled requests are mirrored at start-up (changeable at run time). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Share of requests mirrored, 0..1 (changeable at run time). Default 1.0.</summary>
    public double SampleRate { get; set; } = 1.0;

    /// <summary>
    /// Share of mirrored requests (0..1) also sent a second time to the primary (<c>Primary:BaseUrl</c> with
    /// <c>Primary:ApiKey</c>, same model and body) and compared with the primary's production answer: the primary's own
    /// consistency (noise floor) that the readiness agreement rule measures the candidate against. Stored as rows of kind
    /// <c>noise</c>, never mixed into the candidate's figures; their cost counts under the shadow spend cap. Inactive without
    /// <c>Primary:BaseUrl</c>. Default 0.05; 1 = every mirrored request.
    /// </summary>
    public double NoiseFloorRate { get; set; } = 0.05;

    /// <summary>
    /// Makes sampling sticky: <c>header:NAME</c> or <c>claim:TYPE</c>. The same key value is always in or always
    /// out at a given rate. Null (default) = decided per request. Requests without the key are decided per request.
    /// </summary>
    public string? StickyKey { get; set; }

    /// <summary>Exchanges waiting for a worker; when full, new ones are dropped and counted. Default 1000.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>
    /// On shutdown, how long the workers may go on mirroring what is queued (before storage writes its last records);
    /// what is still queued or in flight then is dropped and counted (reason <c>stopped</c>). Default 5 s; 0 = drop at once.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Concurrent candidate calls. Default 8.</summary>
    public int Workers { get; set; } = 8;

    /// <summary>Deadline of one mirrored call, whole answer included. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest request body captured for mirroring; larger requests pass through unmirrored. Default 1 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest answer (either side) kept for comparison; larger answers are not compared. Default 4 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Whether bodies are stored with shadow results: <c>None</c>, <c>Redacted</c> (default: emails, phone numbers,
    /// key-like tokens masked) or <c>Full</c>. Configured credentials are masked in every mode.
    /// </summary>
    public BodyStorageMode StoreContent { get; set; } = BodyStorageMode.Redacted;

    /// <summary>Stored bodies are cut to this many characters (after masking). Default 4000.</summary>
    public int MaxStoredChars { get; set; } = 4000;
}
