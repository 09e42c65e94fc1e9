using Microsoft.Extensions.Options;
using Migration.Postgres.Local;

namespace Migration.SampleApi.Demo;

/// <summary><c>--demo</c>: the harness in this API against two simulated providers, with the report at the end.</summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = DemoArguments.Parse(args, out var error);
        if (parsed is null)
        {
            await Console.Error.WriteLineAsync($"error: {error}");
            await Console.Error.WriteLineAsync(DemoArguments.Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            var run = new DemoRun(parsed, Console.Out);
            return await run.RunAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("demo cancelled");
            return 130;
        }
        catch (DatabaseUnavailableException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("error: invalid configuration:");
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync($"  {failure}");
            }

            return 1;
        }
        catch (PostgresBinariesNotFoundException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }
}
