using System.Net;
using System.Net.Sockets;

namespace Nccid.Batch.Tests.Fixtures;

/// <summary>
/// Ports on 127.0.0.1 for the servers the tests start as processes. A port probed free stays free only until something
/// else binds it: a fixture holds <see cref="Gate"/> from probing until its server answers, so no two fixtures start on
/// one port, and starts again on another port (up to <see cref="StartAttempts"/> times) when something else, such as a
/// test's fault-injecting proxy, began listening on it before the server bound it.
/// </summary>
internal static class LoopbackPorts
{
    /// <summary>How many ports a fixture tries before it gives up.</summary>
    public const int StartAttempts = 5;

    /// <summary>Held by a fixture from probing a port until its server answers on it.</summary>
    public static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>A port nothing is bound to at this moment.</summary>
    public static int Probe()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
