namespace Migration.Load.Hosting;

/// <summary>Where the repository and the built programs are.</summary>
internal static class RepoLayout
{
    /// <summary>The folder holding Migration.sln, searched upwards from the working folder and from the tool.</summary>
    public static string Root { get; } = FindRoot();

    public static string ProjectPath(string project) => Path.Combine(Root, "src", project, project + ".csproj");

    /// <summary>The Release build output of a src project: src/X/bin/Release/net10.0/X.dll.</summary>
    public static string ReleaseDll(string project) => Path.Combine(Root, "src", project, "bin", "Release", "net10.0", project + ".dll");

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Migration.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find Migration.sln above the working folder or the tool: run from the repository.");
    }
}
