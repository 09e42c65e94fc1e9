namespace Migration.AspNetCore.Telemetry;

/// <summary>The optional OpenTelemetry OTLP metrics exporter (section <c>Migration:Telemetry</c>).</summary>
public sealed class OtlpTelemetryOptions
{
    /// <summary>The collector's OTLP endpoint, e.g. <c>http://otel-collector:4318/v1/metrics</c> (HTTP) or <c>http://otel-collector:4317</c> (gRPC); null = no exporter.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>. Default: <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>Optional headers, e.g. <c>api-key=...</c> (comma separated key=value pairs).</summary>
    public string? OtlpHeaders { get; set; }

    /// <summary>How often metrics are exported. Default 15 s.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(15);
}
