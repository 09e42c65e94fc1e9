namespace Migration.Core.Redaction;

/// <summary>Whether and how request and answer bodies are stored with shadow results.</summary>
public enum BodyStorageMode
{
    /// <summary>No bodies are stored.</summary>
    None = 0,

    /// <summary>Emails, phone numbers, key-like tokens and credentials are masked.</summary>
    Redacted = 1,

    /// <summary>Stored as they were, except the configured secrets, which are always masked.</summary>
    Full = 2,
}
