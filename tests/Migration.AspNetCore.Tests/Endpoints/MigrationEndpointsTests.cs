using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Migration.AspNetCore.Health;
using Migration.AspNetCore.Shadow;
using Migration.AspNetCore.Tests.Canary;
using Migration.AspNetCore.Tests.Infrastructure;
using Migration.Core.Health;
using Migration.Core.Reporting;

namespace Migration.AspNetCore.Tests.Endpoints;

public sealed class MigrationEndpointsTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync("http://127.0.0.1:9/v1", o => o.Shadow.Enabled = false);
        _client = _app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private HttpRequestMessage Admin(HttpMethod method, string path, string? key = TestOptions.AdminKey, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Migration-Key", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Theory]
    [InlineData("/migration/report")]
    [InlineData("/migration/status")]
    public async Task Get_WithoutKey_Returns401ProblemDetails(string path)
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Get, path, key: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, (await JsonOf(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Get_WrongKey_Returns401()
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Get, "/migration/status", key: "wrong-key-wrong-key-wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_BearerKey_IsAccepted()
    {
        using var request = Admin(HttpMethod.Get, "/migration/status", key: null);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestOptions.AdminKey);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetStatus_WithKey_ShowsShadowStateWithoutSecrets()
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Get, "/migration/status"));
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("test-instance", json.GetProperty("instance").GetString());
        Assert.False(json.GetProperty("shadow").GetProperty("enabled").GetBoolean());
        Assert.Equal(1000, json.GetProperty("shadow").GetProperty("queueCapacity").GetInt32());
        Assert.DoesNotContain(TestOptions.CandidateKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AdminKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.PrimaryKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatus_HealthNotRegistered_ProvidersIsNull()
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Get, "/migration/status"));
        var json = await JsonOf(response);

        Assert.Equal(JsonValueKind.Null, json.GetProperty("providers").ValueKind);
    }

    [Fact]
    public async Task GetStatusAndDashboard_PrimaryDownCandidateHealthy_ShowProviderHealthAndActiveFailover()
    {
        await using var app = await CanaryApp.StartAsync(health: h => h.ProbesEnabled = false);
        var monitor = app.Get<ProviderHealthMonitor>();
        monitor.RecordProbe(ProviderRole.Candidate, true, TimeSpan.FromMilliseconds(20), null);
        for (var i = 0; i < 3; i++)
        {
            monitor.RecordProbe(ProviderRole.Primary, false, TimeSpan.FromMilliseconds(5), "HTTP 503");
        }

        using var client = app.CreateClient();
        using var response = await client.SendAsync(Admin(HttpMethod.Get, "/migration/status"));
        var providers = (await JsonOf(response)).GetProperty("providers");
        using var dashboard = await client.SendAsync(Admin(HttpMethod.Get, "/migration/dashboard"));
        var html = await dashboard.Content.ReadAsStringAsync();

        Assert.True(providers.GetProperty("failoverActive").GetBoolean());
        var primary = providers.GetProperty("primary");
        Assert.Equal(("primary", "unhealthy", 3, 0.0), (primary.GetProperty("role").GetString(), primary.GetProperty("status").GetString(), primary.GetProperty("consecutiveFailures").GetInt32(), primary.GetProperty("successRate").GetDouble()));
        var candidate = providers.GetProperty("candidate");
        Assert.Equal(("candidate", "holysheep", "healthy", 1.0, 20.0), (
            candidate.GetProperty("role").GetString(),
            candidate.GetProperty("name").GetString(),
            candidate.GetProperty("status").GetString(),
            candidate.GetProperty("successRate").GetDouble(),
            candidate.GetProperty("averageLatencyMs").GetDouble()));
        Assert.Contains("id=\"providers\"", html, StringComparison.Ordinal);
        Assert.Contains("Failover active", html, StringComparison.Ordinal);
        Assert.Contains("<td>unhealthy</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetReport_WithFilter_ReturnsCamelCaseReportAndPassesTheFilter()
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Get, "/migration/report?since=2h&model=gpt-4.1"));
        var json = await JsonOf(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("INSUFFICIENT_DATA", json.GetProperty("shadow").GetProperty("recommendation").GetString());
        Assert.True(json.GetProperty("shadow").TryGetProperty("verdicts", out _));
        Assert.True(json.GetProperty("cost").TryGetProperty("savingsPercent", out _));
        Assert.Equal(new ReportFilter(_app.Time.GetUtcNow().AddHours(-2), "gpt-4.1"), _app.Queries.LastFilter);
    }

    [Fact]
    public async Task GetReport_IsoSince_IsAccepted()
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Get, "/migration/report?since=2024-12-31T12:00:00Z"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 12, 0, 0, TimeSpan.Zero), _app.Queries.LastFilter?.Since);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("10x")]
    [InlineData("-5m")]
    public async Task GetReport_InvalidSince_Returns400NamingTheField(string since)
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Get, "/migration/report?since=" + since));
        var json = await JsonOf(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(json.GetProperty("errors").TryGetProperty("since", out _));
    }

    [Fact]
    public async Task PutShadow_ValidSettings_ChangesTheRuntimeControl()
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Put, "/migration/shadow", json: """{"enabled":true,"sampleRate":0.25}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new ShadowSettings(true, 0.25), _app.Get<ShadowControl>().Settings);
    }

    [Theory]
    [InlineData("""{"enabled":true,"sampleRate":2}""", "sampleRate")]
    [InlineData("""{"enabled":"yes"}""", "body")]
    [InlineData("""{}""", "body")]
    [InlineData("not json", "body")]
    public async Task PostShadow_InvalidInput_Returns400NamingTheField(string body, string field)
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Post, "/migration/shadow", json: body));
        var json = await JsonOf(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(json.GetProperty("errors").TryGetProperty(field, out _));
        Assert.False(_app.Get<ShadowControl>().Settings.Enabled);
    }

    [Fact]
    public async Task GetDashboard_WithKey_RendersTheRecommendationAndReasons()
    {
        _app.Queries.Stats = _app.Queries.Stats with
        {
            Total = 500,
            Compared = 480,
            Verdicts = new VerdictCounts(400, 50, 20, 10, 20),
            MatchRate = 470 / 480.0,
        };

        using var response = await _client.SendAsync(Admin(HttpMethod.Get, "/migration/dashboard"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("id=\"recommendation\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://127.0.0.1:9/v1", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("exact 400", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDashboard_WithoutKey_Returns401WithAKeyPrompt()
    {
        using var response = await _client.SendAsync(Admin(HttpMethod.Get, "/migration/dashboard", key: null));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Migration-Key", html, StringComparison.Ordinal);
        Assert.DoesNotContain("recommendation\"", html, StringComparison.Ordinal);
    }
}
