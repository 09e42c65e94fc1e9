using System.Diagnostics;

namespace Migration.Load.Hosting;

/// <summary>
/// A child process (<c>dotnet X.dll ...</c>) started by the tool: output to a log file, readiness by polling a
/// health URL, its whole tree killed on dispose (and by <see cref="ProcessTracker"/> on exit or Ctrl+C).
/// </summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();

    private ManagedProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time (user + system) the process used so far, seconds; null once it is gone.</summary>
    public double? CpuSeconds
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.TotalProcessorTime.TotalSeconds;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    /// <summary>Resident set size now (VmRSS), MB.</summary>
    public double? WorkingSetMb => ProcessMemory.WorkingSetMb(Pid);

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> with extra environment variables.</summary>
    public static ManagedProcess StartDotnet(
        string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string logDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A quiet, production-like host: no development settings, no console log per request.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => managed.Append(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Cannot start {name}.");
        }

        ProcessTracker.Track(process);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 2xx; throws with the log tail when the process exits or time runs out.</summary>
    public async Task WaitHealthyAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{LogTail()}");
            }

            try
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"{Name} was not ready at {url} within {timeout.TotalSeconds:0} s.{Environment.NewLine}{LogTail()}");
    }

    public string LogTail(int lines = 30)
    {
        lock (_logGate)
        {
            _log.Flush();
        }

        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join(Environment.NewLine, reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public ValueTask DisposeAsync()
    {
        ProcessTracker.Kill(_process);
        ProcessTracker.Untrack(_process);
        lock (_logGate)
        {
            _log.Dispose();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
