namespace Migration.AspNetCore.Routing;

/// <summary>How a request served by the candidate ended.</summary>
internal enum CandidateForwardOutcome
{
    /// <summary>The candidate's answer reached the caller complete.</summary>
    Served = 0,

    /// <summary>Nothing was handed to the caller (failure before the first body byte): serve it from the primary.</summary>
    FallBack = 1,

    /// <summary>The answer broke off after it was committed: the caller got an error (event, reset, exception).</summary>
    FailedAfterCommit = 2,

    /// <summary>The caller went away (client disconnected, app cancelled or stopped reading); nothing more can be sent.</summary>
    ClientAborted = 3,
}
