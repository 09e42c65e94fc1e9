namespace Migration.AspNetCore.Configuration;

/// <summary>Whether request and answer bodies are stored with shadow results.</summary>
public enum ContentStorage
{
    /// <summary>No bodies are stored.</summary>
    None = 0,

    /// <summary>Bodies are stored with emails, phone numbers and key-like tokens masked (and credentials always).</summary>
    Redacted = 1,

    /// <summary>Bodies are stored as they were, except configured credentials, which are always masked.</summary>
    Full = 2,
}
