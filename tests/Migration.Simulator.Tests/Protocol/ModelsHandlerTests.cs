using System.ClientModel;
using OpenAI.Models;

namespace Migration.Simulator.Tests.Protocol;

public class ModelsHandlerTests
{
    [Fact]
    public async Task GetModels_WithSdk_ListsConfiguredModelsOwnedBySimulator()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions("openai"));
        var client = new OpenAIModelClient(new ApiKeyCredential(SimulatorClients.ApiKey), SimulatorClients.SdkOptions(host));

        OpenAIModelCollection models = await client.GetModelsAsync();

        Assert.Equal(["gpt-4.1", "gpt-4o-mini", "text-embedding-3-small"], models.Select(m => m.Id));
        Assert.All(models, m => Assert.Equal("openai", m.OwnedBy));
    }

    [Fact]
    public async Task GetModel_KnownAndUnknown_ReturnsModelOr404()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        var client = new OpenAIModelClient(new ApiKeyCredential(SimulatorClients.ApiKey), SimulatorClients.SdkOptions(host));

        OpenAIModel model = await client.GetModelAsync("gpt-4o-mini");
        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("gpt-9"));

        Assert.Equal("gpt-4o-mini", model.Id);
        Assert.Equal(404, error.Status);
    }
}
