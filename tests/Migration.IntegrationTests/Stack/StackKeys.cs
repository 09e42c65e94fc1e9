namespace Migration.IntegrationTests.Stack;

/// <summary>The credentials every test stack uses: recognisable, long enough to be masked, never to be stored.</summary>
internal static class StackKeys
{
    /// <summary>The primary provider's key (the app's own upstream key, also given to the harness for masking).</summary>
    public const string Primary = "sk-itest-primary-7f3a9c1e5b2d4068";

    /// <summary>The candidate's (HolySheep's) key.</summary>
    public const string Candidate = "sk-itest-holysheep-9d8c7b6a5f4e3021";

    /// <summary>The admin key of <c>/migration/*</c>.</summary>
    public const string Admin = "itest-admin-key-5e6f7a8b9c0d";

    /// <summary>What clients of the sample API send (the sample API does not check it).</summary>
    public const string Client = "client-token-not-checked";
}
