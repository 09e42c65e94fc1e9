namespace Migration.Core.Health;

/// <summary>Which of the two providers a health signal is about.</summary>
public enum ProviderRole
{
    /// <summary>The provider the application calls today.</summary>
    Primary = 0,

    /// <summary>The provider being migrated to.</summary>
    Candidate = 1,
}
