using Microsoft.Extensions.Logging;

namespace Migration.AspNetCore.Routing;

internal sealed partial class CandidateForwarder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, EventName = "CandidateBreakerOpened", Level = LogLevel.Warning,
            Message = "The candidate circuit breaker opened for {BreakDuration}: live requests go to the primary.")]
        public static partial void BreakerOpened(ILogger logger, TimeSpan breakDuration);

        [LoggerMessage(EventId = 1502, EventName = "CandidateBreakerClosed", Level = LogLevel.Information,
            Message = "The candidate circuit breaker closed: live requests may go to the candidate again.")]
        public static partial void BreakerClosed(ILogger logger);

        [LoggerMessage(EventId = 1503, EventName = "CandidateForwardFailed", Level = LogLevel.Error,
            Message = "Forwarding a request to {Route} to the candidate failed unexpectedly; it falls back to the primary.")]
        public static partial void ForwardFailed(ILogger logger, string route, Exception exception);

        [LoggerMessage(EventId = 1504, EventName = "CandidateFailedAfterCommit", Level = LogLevel.Warning,
            Message = "A candidate answer to {Route} broke off after it was committed ({Reason}); the client was told with an error.")]
        public static partial void FailedAfterCommit(ILogger logger, string route, string reason);

        [LoggerMessage(EventId = 1505, EventName = "CandidateRateLimited", Level = LogLevel.Information,
            Message = "The candidate answered 429 to a live request to {Route}: {Decision}.")]
        public static partial void RateLimited(ILogger logger, string route, string decision);

        [LoggerMessage(EventId = 1507, EventName = "CandidateAttemptRecordFailed", Level = LogLevel.Error,
            Message = "Recording a fallback-chain attempt of a request to {Route} failed; the response was not affected.")]
        public static partial void RecordAttemptFailed(ILogger logger, string route, Exception exception);

        [LoggerMessage(EventId = 1506, EventName = "CandidateNextModel", Level = LogLevel.Information,
            Message = "The candidate's {Model} failed a live request to {Route} ({Failure}); trying the fallback model {NextModel}.")]
        public static partial void NextModel(ILogger logger, string route, string model, string nextModel, string failure);
    }
}
