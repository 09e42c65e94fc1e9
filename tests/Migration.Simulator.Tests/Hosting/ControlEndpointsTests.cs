using System.Text.Json;

namespace Migration.Simulator.Tests.Hosting;

public class ControlEndpointsTests
{
    [Fact]
    public async Task GetFaults_Initially_ReturnsCamelCaseDefaults()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host, apiKey: null);

        using var document = JsonDocument.Parse(await http.GetStringAsync("/_sim/faults"));

        var root = document.RootElement;
        Assert.Equal(0, root.GetProperty("error500Rate").GetDouble());
        Assert.Equal(1, root.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(60_000, root.GetProperty("hangMs").GetInt32());
        Assert.False(root.GetProperty("outage").GetBoolean());
    }

    [Fact]
    public async Task PutFaults_ValidBody_AppliesAtOnceAndKeepsDefaultsOfMissingProperties()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var put = await http.PutAsync("/_sim/faults", new StringContent("""{"error429Rate":1,"retryAfterSeconds":4}"""));
        using var chat = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi"));

        Assert.Equal(200, (int)put.StatusCode);
        Assert.Equal(new FaultSettings { Error429Rate = 1, RetryAfterSeconds = 4 }, host.Faults);
        Assert.Equal(60_000, host.Faults.HangMs);
        Assert.Equal(429, (int)chat.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(4), chat.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task DeleteFaults_AfterPut_ClearsEveryFault()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);
        host.Faults = new FaultSettings { Outage = true, Error500Rate = 0.5 };

        using var delete = await http.DeleteAsync("/_sim/faults");
        using var chat = await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi"));

        Assert.Equal(200, (int)delete.StatusCode);
        Assert.Equal(FaultSettings.None, host.Faults);
        Assert.Equal(200, (int)chat.StatusCode);
    }

    [Theory]
    [InlineData("{not json", "")]
    [InlineData("", "")]
    [InlineData("null", "JSON object")]
    [InlineData("""{"error500Rate":"high"}""", "")]
    [InlineData("""{"error500rat":0.5}""", "error500rat")]
    [InlineData("""{"error500Rate":1.5}""", "error500Rate")]
    [InlineData("""{"error500Rate":0.6,"error503Rate":0.6}""", "more than 1")]
    [InlineData("""{"retryAfterSeconds":-1,"hangMs":0,"extraLatencyMs":-5}""", "hangMs")]
    public async Task PutFaults_InvalidBody_Returns400AndKeepsCurrentFaults(string body, string mentioned)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);
        var before = new FaultSettings { Error502Rate = 0.1 };
        host.Faults = before;

        using var response = await http.PutAsync("/_sim/faults", new StringContent(body));

        Assert.Equal(400, (int)response.StatusCode);
        var message = (await SimulatorClients.ErrorAsync(response)).GetProperty("message").GetString();
        Assert.Contains(mentioned, message, StringComparison.Ordinal);
        Assert.Same(before, host.Faults);
    }

    [Fact]
    public async Task PutFaults_SeveralProblems_ListsThemAll()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.PutAsync("/_sim/faults", new StringContent("""{"retryAfterSeconds":-1,"hangMs":0,"extraLatencyMs":-5}"""));
        var message = (await SimulatorClients.ErrorAsync(response)).GetProperty("message").GetString();

        Assert.Contains("retryAfterSeconds", message, StringComparison.Ordinal);
        Assert.Contains("hangMs", message, StringComparison.Ordinal);
        Assert.Contains("extraLatencyMs", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStats_AfterTraffic_ReturnsCountersAndDeleteResetsThem()
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);
        host.Faults = new FaultSettings { Error503Rate = 1 };
        (await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi"))).Dispose();
        host.Faults = FaultSettings.None;
        (await http.PostJsonAsync("/v1/chat/completions", SimulatorClients.ChatBody("hi", extra: ""","stream":true"""))).Dispose();

        using var stats = JsonDocument.Parse(await http.GetStringAsync("/_sim/stats"));
        using var reset = await http.DeleteAsync("/_sim/stats");
        using var after = JsonDocument.Parse(await http.GetStringAsync("/_sim/stats"));

        var root = stats.RootElement;
        Assert.Equal(2, root.GetProperty("totalRequests").GetInt64());
        Assert.Equal(1, root.GetProperty("streamedRequests").GetInt64());
        Assert.Equal(1, root.GetProperty("maxInFlight").GetInt32());
        Assert.Equal(2, root.GetProperty("routes").GetProperty("chat").GetInt64());
        Assert.Equal(1, root.GetProperty("faults").GetProperty("error503").GetInt64());
        Assert.Equal(1, root.GetProperty("statusCodes").GetProperty("503").GetInt64());
        Assert.Equal(1, root.GetProperty("statusCodes").GetProperty("200").GetInt64());
        Assert.Equal(1, root.GetProperty("models").GetProperty("gpt-4.1").GetInt64());
        Assert.Equal(204, (int)reset.StatusCode);
        Assert.Equal(0, after.RootElement.GetProperty("totalRequests").GetInt64());
        Assert.Equal(0, host.Stats.GetFaultCount(SimulatedFault.Error503));
    }

    [Fact]
    public async Task Answers_GetPutDelete_SwitchStyleAtRunTimeAndDeleteRestoresTheStartupSettings()
    {
        var options = SimulatorClients.FastOptions();
        options.AnswerStyle = AnswerStyle.Verbatim;
        await using var host = await SimulatorHost.StartAsync(options);
        using var http = SimulatorClients.Http(host);
        const string prompt = "Explain step by step: how do I handle webhook retries?";
        var verbatim = await http.ChatTextAsync(prompt);

        using var initial = JsonDocument.Parse(await http.GetStringAsync("/_sim/answers"));
        using var put = await http.PutAsync("/_sim/answers", new StringContent("""{"style":"sampling","degradedRate":0.4}"""));
        var sampled = new[] { await http.ChatTextAsync(prompt), await http.ChatTextAsync(prompt) };
        using var partial = await http.PutAsync("/_sim/answers", new StringContent("""{"degradedRate":0}"""));
        var afterPartial = host.Answers;
        using var delete = await http.DeleteAsync("/_sim/answers");
        var restored = await http.ChatTextAsync(prompt);

        Assert.Equal("verbatim", initial.RootElement.GetProperty("style").GetString());
        Assert.Equal(0, initial.RootElement.GetProperty("degradedRate").GetDouble());
        Assert.Equal(200, (int)put.StatusCode);
        Assert.NotEqual(sampled[0], sampled[1]);
        Assert.Equal(new AnswerSettings { Style = AnswerStyle.Sampling }, afterPartial);
        Assert.Equal(200, (int)delete.StatusCode);
        Assert.Equal(new AnswerSettings { Style = AnswerStyle.Verbatim }, host.Answers);
        Assert.Equal(verbatim, restored);
    }

    [Theory]
    [InlineData("""{"style":"creative"}""", "style must be one of classic, verbatim, paraphrase, sampling")]
    [InlineData("""{"style":"classic","degradedRate":0.5}""", "degradedRate needs style")]
    [InlineData("""{"degradedRate":1.5}""", "degradedRate must be between 0 and 1")]
    [InlineData("""{"stile":"verbatim"}""", "stile")]
    [InlineData("null", "JSON object")]
    public async Task PutAnswers_InvalidBody_Returns400AndKeepsCurrentSettings(string body, string mentioned)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);
        var before = new AnswerSettings { Style = AnswerStyle.Paraphrase, DegradedRate = 0.1 };
        host.Answers = before;

        using var response = await http.PutAsync("/_sim/answers", new StringContent(body));

        Assert.Equal(400, (int)response.StatusCode);
        var message = (await SimulatorClients.ErrorAsync(response)).GetProperty("message").GetString();
        Assert.Contains(mentioned, message, StringComparison.Ordinal);
        Assert.Same(before, host.Answers);
    }

    [Theory]
    [InlineData("POST", "/_sim/answers", 405)]
    [InlineData("POST", "/_sim/faults", 405)]
    [InlineData("PUT", "/_sim/stats", 405)]
    [InlineData("GET", "/_sim/nothing", 404)]
    public async Task Control_WrongMethodOrRoute_ReturnsError(string method, string path, int status)
    {
        await using var host = await SimulatorHost.StartAsync(SimulatorClients.FastOptions());
        using var http = SimulatorClients.Http(host);

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : new StringContent("{}") });

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(0, host.Stats.TotalRequests);
    }
}
