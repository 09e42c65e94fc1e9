using System.Collections.Concurrent;
using System.Diagnostics;

namespace Migration.Load.Hosting;

/// <summary>
/// Builds the programs the scenarios start (once per run, Release), so that every process runs as
/// <c>dotnet X.dll</c> with no build or restore in the measured time.
/// </summary>
internal static class ReleaseBuild
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Builds = new(StringComparer.Ordinal);

    /// <summary>Set by <c>--no-build</c>: use the existing Release output.</summary>
    public static bool Skip { get; set; }

    /// <summary>Builds <paramref name="project"/> (a src project name) in Release and returns its dll.</summary>
    public static Task<string> EnsureAsync(string project, TextWriter log, CancellationToken cancellationToken) =>
        Builds.GetOrAdd(project, p => new Lazy<Task<string>>(() => BuildAsync(p, log, cancellationToken))).Value;

    private static async Task<string> BuildAsync(string project, TextWriter log, CancellationToken cancellationToken)
    {
        var dll = RepoLayout.ReleaseDll(project);
        if (Skip && File.Exists(dll))
        {
            return dll;
        }

        await log.WriteLineAsync($"building {project} (Release) ...").ConfigureAwait(false);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoLayout.Root,
        };
        foreach (var arg in new[] { "build", RepoLayout.ProjectPath(project), "-c", "Release", "-nologo", "-v", "q", "-clp:ErrorsOnly" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start dotnet build.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ProcessTracker.Kill(process);
            throw;
        }

        if (process.ExitCode != 0 || !File.Exists(dll))
        {
            throw new InvalidOperationException($"dotnet build of {project} failed ({process.ExitCode}):{Environment.NewLine}{await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }

        return dll;
    }
}
