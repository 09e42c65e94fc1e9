using System.Net;
using System.Net.Sockets;

namespace Migration.Load.Hosting;

/// <summary>Free loopback ports: bind port 0, read the port, release it.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
