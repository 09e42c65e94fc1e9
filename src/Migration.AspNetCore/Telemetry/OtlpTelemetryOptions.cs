namespace Migration.AspNetCore.Telemetry;

/// <summary>The optional OpenTelemetry OTLP metrics exporter (section <c>Migration:Telemetry</c>).</summary>
public sealed class OtlpTelemetryOptions
{
    /// <summary>
    /// The collector's OTLP endpoint, an absolute http(s) URL; null = no exporter. http/protobuf: the collector's base
    /// URL (<c>http://otel-collector:4318</c>, <c>/v1/metrics</c> is appended) or a full metrics URL with a path (used
    /// as is, e.g. <c>https://gateway/otlp/v1/metrics</c>). gRPC: <c>http://otel-collector:4317</c>.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>. Default: <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>Optional headers, e.g. <c>api-key=...</c> (comma separated key=value pairs).</summary>
    public string? OtlpHeaders { get; set; }

    /// <summary>How often metrics are exported. Default 15 s.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(15);
}
