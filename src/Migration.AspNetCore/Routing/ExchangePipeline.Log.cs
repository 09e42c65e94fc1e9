using Microsoft.Extensions.Logging;

namespace Migration.AspNetCore.Routing;

internal sealed partial class ExchangePipeline
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, EventName = "HarnessSetupFailed", Level = LogLevel.Error,
            Message = "The migration harness could not observe a request to {Route}; it was served without the harness.")]
        public static partial void SetupFailed(ILogger logger, string route, Exception exception);

        [LoggerMessage(EventId = 1102, EventName = "HarnessRecordFailed", Level = LogLevel.Error,
            Message = "The migration harness could not record a request to {Route}; the response was not affected.")]
        public static partial void RecordFailed(ILogger logger, string route, Exception exception);

        [LoggerMessage(EventId = 1103, EventName = "CandidateFellBack", Level = LogLevel.Debug,
            Message = "A {Reason} request to {Route} fell back to the primary before anything was sent: {Failure}.")]
        public static partial void FellBack(ILogger logger, string route, string reason, string failure);
    }
}
