using System.Net;
using System.Net.Sockets;

namespace Migration.Postgres.Tests;

internal static class FreePort
{
    /// <summary>A loopback port nothing listens on (right now).</summary>
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
