using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Shadow;
using Migration.Cli;
using Migration.IntegrationTests.Stack;
using Migration.TestKit;
using Xunit.Abstractions;

namespace Migration.IntegrationTests.Playbooks;

/// <summary>
/// The playbooks are executable documentation: every <c>migrationctl</c> command in their bash blocks runs, in page
/// order, against a test stack (PostgreSQL, simulated providers, the sample API with the harness), and must exit as
/// the page says (0 unless the line ends with <c># exit N</c>). Bad usage (exit 2) always fails.
/// </summary>
public sealed class PlaybookCommandTests
{
    private readonly ITestOutputHelper _output;

    public PlaybookCommandTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Extract_Playbooks_FindsCommandsInEveryPage()
    {
        var directory = PlaybookCommands.FindPlaybooksDirectory();

        var pages = PlaybookCommands.Pages(directory);

        Assert.Contains(pages, p => Path.GetFileName(p) == "05-rollback.md");
        foreach (var page in pages)
        {
            Assert.NotEmpty(PlaybookCommands.Extract(page));
        }

        var rollback = PlaybookCommands.Extract(Path.Combine(directory, "05-rollback.md"));
        Assert.Contains(rollback, c => c.Arguments is ["canary", "rollback", "--reason", _]);
    }

    [Fact]
    public void Extract_QuotesAndExitComments_AreParsed()
    {
        string[] page =
        [
            "text", "```bash", "export X=1", "migrationctl canary rollback --reason \"p99 doubled, paging\"",
            "migrationctl canary promote   # exit 1", "```", "migrationctl status", "```json", "migrationctl nope", "```",
        ];

        var commands = PlaybookCommands.Extract("p.md", page);

        Assert.Equal(2, commands.Count);
        Assert.Equal(["canary", "rollback", "--reason", "p99 doubled, paging"], commands[0].Arguments);
        Assert.Equal(1, commands[1].ExpectedExit);
        Assert.Equal(5, commands[1].Line);
    }

    [Fact]
    public async Task Playbooks_EveryCommand_RunsAgainstTheStackWithTheDocumentedExitCode()
    {
        // The safety-net poll is 10 minutes: a switch the pages flip must reach the running instance through NOTIFY.
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions
        {
            Settings = new Dictionary<string, string?> { ["Migration:Canary:PollInterval"] = "00:10:00" },
        });
        var directory = PlaybookCommands.FindPlaybooksDirectory();
        var host = new CliHost
        {
            UserName = "playbook-test",
            GetEnvironmentVariable = name => name == "MIGRATION_DB" ? stack.ConnectionString : Environment.GetEnvironmentVariable(name),
        };

        // Some production traffic first, so report and status have data to show.
        await ProductionTraffic.SendSequentialAsync(stack, 12);

        var failures = new List<string>();
        var ran = 0;
        foreach (var page in PlaybookCommands.Pages(directory))
        {
            foreach (var command in PlaybookCommands.Extract(page))
            {
                var (exit, stdout, stderr) = await CliRunner.RunAsync(host, command.Arguments);
                ran++;
                _output.WriteLine($"$ {command.Text}  -> exit {exit}");
                _output.WriteLine(stdout.TrimEnd());
                if (stderr.Length > 0)
                {
                    _output.WriteLine("stderr: " + stderr.TrimEnd());
                }

                if (exit != command.ExpectedExit)
                {
                    failures.Add($"{command}: exit {exit}, expected {command.ExpectedExit}: {stderr.Trim()}");
                }
                else if (exit == 0 && command.Arguments is ["shadow", ..])
                {
                    await AssertShadowEffectAsync(stack, command.Arguments);
                }
            }
        }

        Assert.True(ran >= 20, $"only {ran} playbook commands found");
        Assert.True(failures.Count == 0, "playbook commands failed:\n" + string.Join('\n', failures));

        // The rollback page's promise, checked on the state the pages leave behind: the last incident page ends
        // with a rollback, so the stored canary is at 0 %.
        var (_, status, _) = await CliRunner.RunAsync(host, ["status", "--json"]);
        Assert.Contains("rolled_back", status, StringComparison.Ordinal);
    }

    /// <summary>A shadow switch of a page changed what the running instance does, not only the stored row.</summary>
    private static async Task AssertShadowEffectAsync(MigrationStack stack, IReadOnlyList<string> arguments)
    {
        var control = stack.Services.GetRequiredService<ShadowControl>();
        Func<ShadowSettings, bool> applied = arguments[1] switch
        {
            "disable" => s => !s.Enabled,
            "enable" => s => s.Enabled,
            "sample-rate" => s => s.SampleRate == double.Parse(arguments[2], CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"unknown shadow command in a playbook: {string.Join(' ', arguments)}"),
        };
        await Eventually.UntilAsync($"the instance applies 'shadow {string.Join(' ', arguments)}'", () => Task.FromResult(applied(control.Settings)), TimeSpan.FromSeconds(30));

        var settings = control.Settings;
        if (settings.Enabled && settings.SampleRate > 0)
        {
            return;
        }

        // Off: production traffic is served and none of it is mirrored (a live canary may still serve some).
        await stack.WaitForQuietAsync();
        var before = await stack.CountShadowRowsAsync();
        await ProductionTraffic.SendSequentialAsync(stack, 3, _ => ProductionTraffic.Mixed(0));
        await stack.WaitForQuietAsync();
        Assert.Equal(before, await stack.CountShadowRowsAsync());
    }

    [Fact]
    public void Extract_ExpectedExitTwo_Refused()
    {
        string[] page = ["```bash", "migrationctl canary fly  # exit 2", "```"];

        var ex = Assert.Throws<InvalidOperationException>(() => PlaybookCommands.Extract("bad.md", page));

        Assert.Contains("bad.md:2: '# exit 2' is not allowed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Playbooks_CommandThatDoesNotExist_IsCaughtAsBadUsage()
    {
        // The same runner must fail a page naming a command or option the tool does not have.
        var host = new CliHost { UserName = "playbook-test", GetEnvironmentVariable = _ => "Host=127.0.0.1;Port=1;Database=x" };
        string[] page = ["```bash", "migrationctl canary rollback --reson \"typo in option\"", "migrationctl canary fly", "```"];

        foreach (var command in PlaybookCommands.Extract("bad.md", page))
        {
            var (exit, _, stderr) = await CliRunner.RunAsync(host, command.Arguments);
            Assert.Equal(2, exit);
            Assert.Contains("usage:", stderr, StringComparison.Ordinal);
        }
    }
}
