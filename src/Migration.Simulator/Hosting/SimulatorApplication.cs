
namespace Migration.Simulator.Hosting;

/// <summary>The one app definition shared by the standalone program and <see cref="SimulatorHost"/>.</summary>
internal static class SimulatorApplication
{
    /// <summary>How long stopping waits for requests still running (hangs end at once on stop).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    public static void ConfigureServices(WebApplicationBuilder builder, SimulatorState state)
    {
        builder.Services.AddSingleton(state);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Load tests open many connections at once; keep-alive connections are reused.
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
        });
    }

    public static void Configure(WebApplication app, SimulatorState state)
    {
        state.Stopping = app.Lifetime.ApplicationStopping;
        var dispatcher = new SimulatorDispatcher(state);
        app.Run(dispatcher.InvokeAsync);
    }
}
