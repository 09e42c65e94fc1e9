using Migration.Core.Exchange;

namespace Migration.AspNetCore.Routing;

/// <summary>How a primary-served attempt ended, as its adapter saw it.</summary>
/// <param name="Status">The HTTP status of the answer (0 when none arrived).</param>
/// <param name="ContentType">The answer's content type.</param>
/// <param name="FirstByteTimestamp"><see cref="TimeProvider.GetTimestamp"/> of the first body byte; null when none.</param>
/// <param name="FirstContentTimestamp">
/// <see cref="TimeProvider.GetTimestamp"/> of the first content (the first token of a stream, see
/// <see cref="Migration.Core.OpenAI.FirstContentWatch"/>); null when none.
/// </param>
/// <param name="Failure">
/// Set when no regular answer came: the app's handler threw (<see cref="ErrorClass.ServerError"/>), the call or
/// the body read failed (the exception's class). Null: the status says it.
/// </param>
/// <param name="CallerGone">The caller went away (client disconnected, app cancelled): says nothing about the provider.</param>
/// <param name="BodyComplete">
/// False when the answer was not read to its end (the app disposed it early, e.g. a retry discarding a 503): timed and
/// counted, but not comparable, so not mirrored (a later attempt of the same request may be).
/// </param>
internal readonly record struct PrimaryEnd(
    int Status,
    string? ContentType,
    long? FirstByteTimestamp,
    long? FirstContentTimestamp,
    ErrorClass? Failure = null,
    bool CallerGone = false,
    bool BodyComplete = true);
