using System.Diagnostics;
using System.Text;

namespace Migration.Postgres.Local;

/// <summary>Runs a command with a timeout and returns its output; a non-zero exit is an <see cref="InvalidOperationException"/>.</summary>
internal static class ProcessRunner
{
    public static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Child processes must not inherit a locale that initdb would reject.
        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["LANG"] = "C";

        using var process = new Process { StartInfo = startInfo };
        var output = new StringBuilder();
        var sync = new Lock();
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"`{Describe(fileName, arguments)}` did not finish within {timeout.TotalSeconds:0} s.{Environment.NewLine}{Text()}");
        }

        // Flush the asynchronous readers.
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{Describe(fileName, arguments)}` failed with exit code {process.ExitCode}.{Environment.NewLine}{Text()}");
        }

        return Text();

        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (sync)
            {
                output.AppendLine(line);
            }
        }

        string Text()
        {
            lock (sync)
            {
                return output.ToString();
            }
        }
    }

    private static string Describe(string fileName, IReadOnlyList<string> arguments) =>
        string.Join(' ', [Path.GetFileName(fileName), .. arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)]);
}
