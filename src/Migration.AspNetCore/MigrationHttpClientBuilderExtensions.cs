using Microsoft.AspNetCore.Http;
using Migration.AspNetCore;
using Migration.AspNetCore.Canary;
using Migration.AspNetCore.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the migration harness to an app's outbound provider <see cref="HttpClient"/>.</summary>
public static class MigrationHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds the harness as a handler of this client: the provider calls the app makes through it (the OpenAI SDK
    /// on <c>HttpClientPipelineTransport</c>, an <c>IChatClient</c> built on that, or plain <see cref="HttpClient"/>
    /// POSTs to <c>.../chat/completions</c> and <c>.../embeddings</c>) are shadowed, canary-routed and failed over
    /// exactly as the middleware does for a gateway. Add it after <c>AddStandardResilienceHandler()</c> so it is the
    /// innermost handler: the app's retries then keep their request's arm (a canary attempt's retry goes to the
    /// candidate) and are mirrored at most once. Needs <c>AddMigrationHarness(...)</c> and storage; no middleware.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// When the client is created: <c>AddMigrationHarness</c> was not called, or no storage was registered.
    /// </exception>
    public static IHttpClientBuilder AddMigrationHandler(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpContextAccessor();
        return builder.AddHttpMessageHandler(static services =>
        {
            MigrationHarnessServices.EnsureRegistered(services, nameof(AddMigrationHandler));
            return new MigrationHandler(
                services.GetRequiredService<ExchangePipeline>(),
                services.GetRequiredService<CanaryAssignment>(),
                services.GetService<IHttpContextAccessor>());
        });
    }
}
