using Migration.SampleApi.Upstream;

namespace Migration.SampleApi.Support;

/// <summary>
/// The second "existing API", one that is not a gateway: its own endpoints (<c>POST /api/support/answer</c>,
/// <c>POST /api/support/similar</c>) build the prompt in code (a system message, the tenant's tone) and call the
/// provider through the official OpenAI SDK on an <see cref="HttpClient"/> from the factory, with the app's own
/// <c>AddStandardResilienceHandler()</c>. The harness sits on that client, inside the resilience handler: three lines
/// (marked below) when a <c>Migration</c> section is configured, no middleware.
/// </summary>
public static class SupportApiApp
{
    /// <summary>The named provider client the SDK sends through.</summary>
    public const string ProviderClient = "provider";

    /// <summary>Builds the app. <paramref name="configure"/> lets the demo and tests add configuration first.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var upstream = builder.Configuration.GetSection(UpstreamOptions.SectionName);
        builder.Services.Configure<UpstreamOptions>(upstream);
        // The app's own resilience (retries of 429/5xx/timeouts; Upstream:Resilience tunes it), the SDK's retries off.
        var provider = builder.Services.AddHttpClient(ProviderClient, http => http.Timeout = upstream.GetValue("Timeout", TimeSpan.FromSeconds(100)));
        var resilience = upstream.GetSection("Resilience");
        if (resilience.Exists())
        {
            provider.AddStandardResilienceHandler(resilience);
        }
        else
        {
            provider.AddStandardResilienceHandler();
        }
        builder.Services.AddTransient<SupportAssistant>();

        // --- migration harness (1/3): services, options validated at start-up, PostgreSQL storage ---
        var harnessOn = SampleHarness.IsOn(builder.Configuration);
        if (harnessOn)
        {
            SampleHarness.AddServices(builder);

            // --- migration harness (2/3): the handler on the provider client (after any resilience handler) ---
            provider.AddMigrationHandler();
        }

        var app = builder.Build();
        app.MapPost("/api/support/answer", (SupportQuestion question, HttpContext context, SupportAssistant assistant) => assistant.AnswerAsync(question, context));
        app.MapPost("/api/support/similar", (SupportQuestion question, HttpContext context, SupportAssistant assistant) => assistant.EmbedAsync(question, context));
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));

        // --- migration harness (3/3): report, dashboard and admin endpoints under /migration ---
        if (harnessOn)
        {
            SampleHarness.MapEndpoints(app);
        }

        return app;
    }
}
