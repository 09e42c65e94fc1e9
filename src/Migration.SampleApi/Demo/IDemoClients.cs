namespace Migration.SampleApi.Demo;

/// <summary>How the demo's synthetic users call the app of a <see cref="SampleMode"/>; one user is one sticky key.</summary>
internal interface IDemoClients : IDisposable
{
    /// <summary>A chat question of <paramref name="user"/> (null: no user id) for <paramref name="model"/>.</summary>
    Task ChatAsync(string? user, string model, string question, bool streamed, CancellationToken cancellationToken);

    /// <summary>An embeddings lookup of <paramref name="user"/>.</summary>
    Task EmbedAsync(string? user, string text, CancellationToken cancellationToken);
}
