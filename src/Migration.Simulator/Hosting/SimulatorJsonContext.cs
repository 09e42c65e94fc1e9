using System.Text.Json;
using System.Text.Json.Serialization;

namespace Migration.Simulator.Hosting;

/// <summary>Source-generated JSON for the control endpoints: camelCase, unknown properties rejected.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(FaultSettingsDocument))]
[JsonSerializable(typeof(AnswerSettingsDocument))]
[JsonSerializable(typeof(SimulatorStatsSnapshot))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
