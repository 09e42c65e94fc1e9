using System.CommandLine;
using Migration.Cli;

namespace Migration.IntegrationTests.Docs;

/// <summary>
/// Checks a <c>migrationctl</c> command as a page names it against the real command tree: every command word and
/// every <c>--option</c> must exist where it is used. Placeholders (<c>&lt;text&gt;</c>, <c>...</c>), optional
/// brackets and <c>a | b</c> alternatives are understood; values are not checked (a bash block's commands are parsed
/// in full instead).
/// </summary>
internal static class CommandNames
{
    private static readonly RootCommand Root = MigrationCtl.BuildCommand(new CliHost { UserName = "docs" }, TextWriter.Null, TextWriter.Null);

    /// <summary>Problems of a command line that should fully parse (a bash block's line).</summary>
    public static IReadOnlyList<string> ParseProblems(IReadOnlyList<string> arguments) =>
        [.. Root.Parse([.. arguments]).Errors.Select(e => e.Message)];

    /// <summary>Problems of a command named with placeholders: unknown command words or options.</summary>
    public static IReadOnlyList<string> NameProblems(string text)
    {
        var problems = new List<string>();
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var path = new List<Command> { Root };
        var alternative = false;
        var skipValue = false;
        foreach (var raw in words.Skip(1))
        {
            var word = raw.Trim('[', ']', '(', ')', ',', ';');
            if (skipValue)
            {
                skipValue = false;
                continue;
            }

            if (word.Length == 0 || word == "..." || word.StartsWith('<') || word.EndsWith('>') || word.StartsWith('"') || word.StartsWith('\''))
            {
                continue;
            }

            if (word == "|")
            {
                alternative = true;
                continue;
            }

            if (word.StartsWith('-'))
            {
                var name = word.Split('=')[0];
                var option = FindOption(path, name);
                if (option is null)
                {
                    problems.Add($"'{path[^1].Name}' has no option '{name}'");
                }
                else
                {
                    skipValue = !word.Contains('=', StringComparison.Ordinal) && option.Arity.MaximumNumberOfValues > 0 && !raw.EndsWith(']');
                }

                continue;
            }

            var level = alternative && path.Count > 1 ? path[^2] : path[^1];
            var sub = level.Subcommands.FirstOrDefault(c => c.Name == word);
            if (sub is not null)
            {
                if (alternative && path.Count > 1)
                {
                    path[^1] = sub;
                }
                else
                {
                    path.Add(sub);
                }
            }
            else if (level.Subcommands.Count > 0 && level.Arguments.Count == 0)
            {
                problems.Add($"'{level.Name}' has no command '{word}'");
            }

            alternative = false;
        }

        return problems;
    }

    private static Option? FindOption(List<Command> path, string name)
    {
        if (name is "--help" or "-h" or "-?")
        {
            return path[^1].Options.FirstOrDefault(o => o.Name == "--help" || o.Aliases.Contains(name)) ?? new Option<bool>(name);
        }

        for (var i = path.Count - 1; i >= 0; i--)
        {
            var option = path[i].Options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name));
            if (option is not null && (i == path.Count - 1 || option.Recursive))
            {
                return option;
            }
        }

        return null;
    }
}
