namespace Migration.Simulator;

/// <summary>A fault the simulator injected into one request (see <see cref="FaultSettings"/>).</summary>
public enum SimulatedFault
{
    /// <summary>500 Internal Server Error.</summary>
    Error500 = 0,

    /// <summary>502 Bad Gateway.</summary>
    Error502 = 1,

    /// <summary>503 Service Unavailable.</summary>
    Error503 = 2,

    /// <summary>429 Too Many Requests with Retry-After.</summary>
    Error429 = 3,

    /// <summary>No answer until the client gave up.</summary>
    Hang = 4,

    /// <summary>Connection aborted before any byte.</summary>
    Reset = 5,

    /// <summary>Answer cut off mid-way.</summary>
    Truncate = 6,

    /// <summary>200 with broken JSON.</summary>
    Malformed = 7,

    /// <summary>503 because of a full outage.</summary>
    Outage = 8,
}
