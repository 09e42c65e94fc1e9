using Migration.Core.OpenAI;

namespace Migration.Core.Comparison;

/// <summary>What the comparer knows of the request both answers belong to.</summary>
public sealed record ComparisonContext
{
    /// <summary>No request information: content is compared as text (or as JSON when both sides are JSON).</summary>
    public static ComparisonContext None { get; } = new();

    /// <summary>The request's <c>response_format.type</c>: JSON modes compare content as JSON and fail invalid JSON.</summary>
    public ResponseFormatKind ResponseFormat { get; init; }

    /// <summary>The context of a request read by <see cref="OpenAIRequestReader"/>.</summary>
    public static ComparisonContext From(OpenAIRequestInfo? request) =>
        request is null || request.ResponseFormat == ResponseFormatKind.Text ? None : new ComparisonContext { ResponseFormat = request.ResponseFormat };
}
