using Migration.AspNetCore.Capture;
using Migration.Core.OpenAI;

namespace Migration.AspNetCore.Shadow;

/// <summary>
/// A production exchange chosen for mirroring: the request as the client sent it and the primary's answer as
/// the client received it. Owns the two pooled buffers; whoever takes it from the queue disposes it.
/// </summary>
internal sealed class ShadowExchange : IDisposable
{
    public required string RequestId { get; init; }

    public required string Route { get; init; }

    /// <summary>The model the client asked for.</summary>
    public required string Model { get; init; }

    public required bool Streamed { get; init; }

    public required AnswerKind Kind { get; init; }

    /// <summary>When the production request arrived.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    public required CaptureBuffer RequestBody { get; init; }

    public required int PrimaryStatus { get; init; }

    public string? PrimaryContentType { get; init; }

    public required TimeSpan PrimaryLatency { get; init; }

    /// <summary>Time to the primary's first content (first token of a stream).</summary>
    public TimeSpan? PrimaryTtft { get; init; }

    /// <summary>Time to the primary's first body byte.</summary>
    public TimeSpan? PrimaryFirstByte { get; init; }

    public required CaptureBuffer PrimaryBody { get; init; }

    public void Dispose()
    {
        RequestBody.Dispose();
        PrimaryBody.Dispose();
    }
}
