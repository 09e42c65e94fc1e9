using System.Collections.Concurrent;
using System.Diagnostics;

namespace Migration.Load.Hosting;

/// <summary>
/// Every child process the tool starts, so that all of them (with their trees) are killed when the tool exits:
/// normally, on Ctrl+C, or on an unhandled exception.
/// </summary>
internal static class ProcessTracker
{
    private static readonly ConcurrentDictionary<int, Process> Children = new();
    private static int s_hooked;

    public static void Track(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Hook();
        Children[process.Id] = process;
    }

    public static void Untrack(Process process) => Children.TryRemove(process.Id, out _);

    /// <summary>Kills every tracked process tree (best effort).</summary>
    public static void KillAll()
    {
        foreach (var (id, process) in Children)
        {
            Kill(process);
            Children.TryRemove(id, out _);
        }
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting meanwhile.
        }
    }

    private static void Hook()
    {
        if (Interlocked.Exchange(ref s_hooked, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }
}
