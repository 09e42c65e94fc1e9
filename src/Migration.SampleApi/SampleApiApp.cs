using Migration.SampleApi.Upstream;

namespace Migration.SampleApi;

/// <summary>
/// The "existing API": an AI gateway that calls its provider directly. The migration harness is dropped in with
/// three lines (marked below) when a <c>Migration</c> section is configured.
/// </summary>
public static class SampleApiApp
{
    /// <summary>Builds the app. <paramref name="configure"/> lets the demo and tests add configuration first.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        builder.Services.Configure<UpstreamOptions>(builder.Configuration.GetSection(UpstreamOptions.SectionName));
        builder.Services.AddHttpClient<UpstreamForwarder>(http =>
            http.Timeout = builder.Configuration.GetSection(UpstreamOptions.SectionName).GetValue("Timeout", TimeSpan.FromSeconds(100)));

        // --- migration harness (1/3): services, options validated at start-up, PostgreSQL storage ---
        var harnessOn = SampleHarness.IsOn(builder.Configuration);
        if (harnessOn)
        {
            SampleHarness.AddServices(builder);
        }

        var app = builder.Build();

        // --- migration harness (2/3): the middleware, before the app's endpoints ---
        if (harnessOn)
        {
            app.UseMigrationHarness();
        }

        app.MapPost("/v1/chat/completions", (HttpContext context, UpstreamForwarder upstream) => upstream.ForwardAsync(context, "chat/completions"));
        app.MapPost("/v1/embeddings", (HttpContext context, UpstreamForwarder upstream) => upstream.ForwardAsync(context, "embeddings"));
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));

        // --- migration harness (3/3): report, dashboard and admin endpoints under /migration ---
        if (harnessOn)
        {
            SampleHarness.MapEndpoints(app);
        }

        return app;
    }
}
