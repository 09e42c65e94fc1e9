namespace Migration.Simulator.Content;

/// <summary>A tool call the simulator answers with.</summary>
/// <param name="Id">The call id (<c>call_...</c>), deterministic per prompt.</param>
/// <param name="Name">The function name.</param>
/// <param name="Arguments">The arguments as a JSON text.</param>
internal sealed record ToolCallPlan(string Id, string Name, string Arguments);
