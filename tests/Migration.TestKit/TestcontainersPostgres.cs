using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using Testcontainers.PostgreSql;

namespace Migration.TestKit;

/// <summary>
/// The opt-in PostgreSQL for machines with a Docker engine (<c>MIGRATION_TEST_POSTGRES=testcontainers</c>): a
/// throwaway <see cref="Image"/> container. Without a reachable engine it fails fast with a message saying what to do,
/// never waits unbounded: the engine must answer a ping within the probe timeout, the container start (image pull
/// included) is bounded too.
/// </summary>
public static class TestcontainersPostgres
{
    /// <summary>The image: the same major version as the local binaries (PostgreSQL 15).</summary>
    public const string Image = "postgres:15";

    /// <summary>How long the engine has to answer a ping.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long the container has to start, image pull included.</summary>
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Starts a container; dispose it to remove it.</summary>
    /// <param name="dockerEndpoint">The engine; null resolves it as Testcontainers does (<c>DOCKER_HOST</c>, <c>~/.testcontainers.properties</c>, the default socket).</param>
    /// <param name="probeTimeout">Bound on the engine's answer to a ping (default <see cref="DefaultProbeTimeout"/>).</param>
    /// <param name="startTimeout">Bound on the container start (default <see cref="DefaultStartTimeout"/>).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="InvalidOperationException">No engine, an engine that does not answer, or a start that fails or takes too long.</exception>
    public static async Task<PostgreSqlContainer> StartAsync(
        Uri? dockerEndpoint = null,
        TimeSpan? probeTimeout = null,
        TimeSpan? startTimeout = null,
        CancellationToken cancellationToken = default)
    {
        var endpoint = dockerEndpoint is null
            ? ResolveEndpoint()
            : new DockerEndpointAuthenticationConfiguration(dockerEndpoint);
        await ProbeAsync(endpoint, probeTimeout ?? DefaultProbeTimeout, cancellationToken).ConfigureAwait(false);

        var builder = new PostgreSqlBuilder(Image);
        if (dockerEndpoint is not null)
        {
            builder = builder.WithDockerEndpoint(dockerEndpoint.ToString());
        }

        var container = builder.Build();
        var limit = startTimeout ?? DefaultStartTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await container.StartAsync(timeout.Token).WaitAsync(limit, cancellationToken).ConfigureAwait(false);
            return container;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw Unavailable($"the {Image} container at {endpoint.Endpoint} did not start within {limit.TotalSeconds:0} s ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    private static IDockerEndpointAuthenticationConfiguration ResolveEndpoint()
    {
        try
        {
            return TestcontainersSettings.OS.DockerEndpointAuthConfig
                ?? throw Unavailable("no Docker engine was found (DOCKER_HOST, ~/.testcontainers.properties, the default socket)", null);
        }
        catch (DockerUnavailableException ex)
        {
            throw Unavailable("no Docker engine was found (DOCKER_HOST, ~/.testcontainers.properties, the default socket)", ex);
        }
    }

    private static async Task ProbeAsync(IDockerEndpointAuthenticationConfiguration endpoint, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            using var client = endpoint.GetDockerClientBuilder().Build();
            await client.System.PingAsync(timeout.Token).WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var what = ex is OperationCanceledException or TimeoutException
                ? $"the Docker engine at {endpoint.Endpoint} did not answer within {limit.TotalSeconds:0.#} s"
                : $"the Docker engine at {endpoint.Endpoint} is not reachable ({ex.GetType().Name}: {ex.Message})";
            throw Unavailable(what, ex);
        }
    }

    private static InvalidOperationException Unavailable(string what, Exception? inner) => new(
        $"{TestPostgresEnvironment.VariableName}=testcontainers needs a running Docker engine, but {what}. " +
        $"Start Docker (or point DOCKER_HOST at one), or unset {TestPostgresEnvironment.VariableName} to use the local PostgreSQL binaries.",
        inner);
}
