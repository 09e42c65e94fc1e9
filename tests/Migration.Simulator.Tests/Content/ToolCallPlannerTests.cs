using System.Text.Json;
using Migration.Simulator.Content;

namespace Migration.Simulator.Tests.Content;

public class ToolCallPlannerTests
{
    [Theory]
    [InlineData("getWeather")]
    [InlineData("get-weather")]
    [InlineData("weather_lookup")]
    public void Plan_AutoAndNameSharesAWordWithQuestion_CallsIt(string name)
    {
        using var request = JsonDocument.Parse($$$"""{"tools":[{"type":"function","function":{"name":"{{{name}}}"}}]}""");

        var plan = ToolCallPlanner.Plan(request.RootElement, "Is the weather nice?", 1, out var error);

        Assert.Null(error);
        Assert.Equal(name, plan?.Name);
        Assert.Equal("{}", plan?.Arguments);
    }

    [Fact]
    public void Plan_SameRequestTwice_SameIdAndArguments()
    {
        using var request = JsonDocument.Parse("""{"tool_choice":"required","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"n":{"type":"number"},"flag":{"type":"boolean"},"tags":{"type":"array"}}}}}]}""");

        var first = ToolCallPlanner.Plan(request.RootElement, "x", 42, out _);
        var second = ToolCallPlanner.Plan(request.RootElement, "x", 42, out _);

        Assert.Equal(first, second);
        using var arguments = JsonDocument.Parse(first!.Arguments);
        Assert.Equal(JsonValueKind.Number, arguments.RootElement.GetProperty("n").ValueKind);
        Assert.True(arguments.RootElement.GetProperty("flag").GetBoolean());
        Assert.Equal(0, arguments.RootElement.GetProperty("tags").GetArrayLength());
    }

    [Fact]
    public void Plan_NamedChoice_CallsThatFunction()
    {
        using var request = JsonDocument.Parse("""{"tool_choice":{"type":"function","function":{"name":"second"}},"tools":[{"type":"function","function":{"name":"first"}},{"type":"function","function":{"name":"second"}}]}""");

        var plan = ToolCallPlanner.Plan(request.RootElement, "nothing related", 1, out _);

        Assert.Equal("second", plan?.Name);
    }

    [Theory]
    [InlineData("""{"tools":"nope"}""")]
    [InlineData("""{"tools":[{"type":"function"}]}""")]
    [InlineData("""{"tool_choice":"sometimes","tools":[]}""")]
    [InlineData("""{"tool_choice":{"type":"function","function":{"name":"missing"}},"tools":[{"type":"function","function":{"name":"f"}}]}""")]
    public void Plan_MalformedTools_ReportsError(string json)
    {
        using var request = JsonDocument.Parse(json);

        var plan = ToolCallPlanner.Plan(request.RootElement, "weather", 1, out var error);

        Assert.Null(plan);
        Assert.NotNull(error);
    }

    [Fact]
    public void Plan_NoTools_ReturnsNull()
    {
        using var request = JsonDocument.Parse("{}");

        Assert.Null(ToolCallPlanner.Plan(request.RootElement, "weather", 1, out var error));
        Assert.Null(error);
    }
}
