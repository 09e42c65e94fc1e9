using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Migration.Load.Hosting;

/// <summary>
/// Runs <c>wrk</c> (Debian package) against an endpoint for the cross-check of the driver's saturated
/// throughput. Optional: when wrk is not installed the cross-check is reported as not run.
/// </summary>
internal static partial class Wrk
{
    /// <summary>Path of wrk, or null when it is not installed.</summary>
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, "wrk");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/> with <paramref name="connections"/> connections; returns requests/s and non-2xx count.</summary>
    public static async Task<(double RequestsPerSecond, long Non2xx)> RunAsync(
        string wrk, string url, string body, int connections, TimeSpan duration, string workDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workDirectory);
        var script = Path.Combine(workDirectory, "wrk-post.lua");
        var escaped = body.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(
            script,
            $"wrk.method = \"POST\"\nwrk.body = \"{escaped}\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n",
            cancellationToken).ConfigureAwait(false);
        var info = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "-t", "1", "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", ((int)Math.Max(1, duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s",
                     "-s", script, url,
                 })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Cannot start wrk.");
        ProcessTracker.Track(process);
        try
        {
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var rps = ParseRequestsPerSecond(output)
                ?? throw new InvalidOperationException($"wrk output has no Requests/sec line:{Environment.NewLine}{output}");
            var non2xx = Non2xx().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            return (rps, non2xx);
        }
        finally
        {
            ProcessTracker.Kill(process);
            ProcessTracker.Untrack(process);
        }
    }

    /// <summary>Reads "Requests/sec:  12345.67" from wrk's output.</summary>
    internal static double? ParseRequestsPerSecond(string output)
    {
        var match = RequestsPerSecond().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex Non2xx();
}
