using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Migration.AspNetCore.Tests.Infrastructure;

namespace Migration.AspNetCore.Tests.Canary;

/// <summary>Input checks of the canary admin API (409 and the stored outcomes are tested against PostgreSQL in the integration tests).</summary>
public sealed class CanaryEndpointsTests
{
    [Theory]
    [InlineData("launch", null, "command")]
    [InlineData("rollback", null, "reason")]
    [InlineData("rollback", """{"reason":"   "}""", "reason")]
    [InlineData("set-weight", """{"weight":101}""", "weight")]
    [InlineData("set-weight", """{"weight":-1}""", "weight")]
    [InlineData("set-weight", "{}", "weight")]
    [InlineData("start", "not json", "body")]
    public async Task CommandAsync_InvalidInput_Returns400ProblemNamingTheField(string command, string? body, string field)
    {
        await using var app = await CanaryApp.StartAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Migration-Key", TestOptions.AdminKey);

        using var response = await client.PostAsync("/migration/canary/" + command, body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task CommandAsync_NoAdminKey_Returns401()
    {
        await using var app = await CanaryApp.StartAsync();
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/migration/canary/start", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetAsync_NoCanaryStore_Returns503Problem()
    {
        await using var app = await CanaryApp.StartAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Migration-Key", TestOptions.AdminKey);

        using var response = await client.GetAsync("/migration/canary");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
