using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Migration.Simulator.Hosting;

namespace Migration.Simulator;

/// <summary>
/// A simulated OpenAI-compatible provider running in this process on Kestrel, 127.0.0.1, a free port.
/// Point the OpenAI SDK at <c>new Uri(host.Url + "/v1")</c> (or <see cref="BaseUri"/>).
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorState _state;
    private int _disposed;

    private SimulatorHost(WebApplication app, SimulatorState state, string url)
    {
        _app = app;
        _state = state;
        Url = url;
        BaseUri = new Uri(url + "/v1/");
    }

    /// <summary>The provider's base URI with a trailing slash, e.g. <c>http://127.0.0.1:PORT/v1/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:PORT</c> (no trailing slash).</summary>
    public string Url { get; }

    /// <summary>The provider name from the options.</summary>
    public string Name => _state.Options.Name;

    /// <summary>The active faults; setting swaps them atomically (same effect as <c>PUT /_sim/faults</c>).</summary>
    /// <exception cref="ArgumentException">The settings are invalid (every problem is listed).</exception>
    public FaultSettings Faults
    {
        get => _state.Faults;
        set => _state.Faults = value;
    }

    /// <summary>
    /// How chat prompts are answered; setting swaps them atomically (same effect as <c>PUT /_sim/answers</c>).
    /// Starts as <see cref="SimulatorOptions.AnswerStyle"/> and <see cref="SimulatorOptions.DegradedRate"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid (every problem is listed).</exception>
    public AnswerSettings Answers
    {
        get => _state.Answers;
        set => _state.Answers = value;
    }

    /// <summary>Live counters of what this simulator saw.</summary>
    public SimulatorStats Stats => _state.Stats;

    /// <summary>The latest chat request bodies as received, oldest first (kept only with <see cref="SimulatorOptions.KeepChatRequests"/>).</summary>
    public IReadOnlyList<string> ChatRequests => [.. _state.ChatRequests];

    /// <summary>Starts a simulator on 127.0.0.1 and a free port.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public static Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, TimeProvider.System, cancellationToken);

    internal static async Task<SimulatorHost> StartAsync(SimulatorOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid simulator options: " + string.Join(" ", errors), nameof(options));
        }

        var state = new SimulatorState(options.Clone(), timeProvider);

        // An empty builder: no appsettings, no environment variables, no logging of the host process leak in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        SimulatorApplication.ConfigureServices(builder, state);

        var app = builder.Build();
        SimulatorApplication.Configure(app, state);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new SimulatorHost(app, state, address.TrimEnd('/'));
    }

    /// <summary>Stops the server (hanging requests end at once) and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(SimulatorApplication.ShutdownTimeout))
        {
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Requests still running after the timeout are aborted by disposing.
            }
        }

        await _app.DisposeAsync();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} at {Url}";
}
