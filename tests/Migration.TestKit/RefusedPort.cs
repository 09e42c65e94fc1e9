using System.Net;
using System.Net.Sockets;

namespace Migration.TestKit;

/// <summary>
/// A loopback port bound but not listening: connections to it are refused. It stays bound (ours) until disposed, so
/// no other test's server can take it meanwhile, as it could a port freed right after binding.
/// </summary>
public sealed class RefusedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Binds a free loopback port.</summary>
    public RefusedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{port}/v1</c>: an OpenAI-style base URL nobody answers on.</summary>
    public string BaseUrlV1 => $"http://127.0.0.1:{Port}/v1";

    /// <summary>Releases the port.</summary>
    public void Dispose() => _socket.Dispose();
}
