using System.Globalization;
using System.Runtime.InteropServices;

namespace Migration.Load.Hosting;

/// <summary>A one-line description of the machine a run happened on.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = "";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "";
        }
        catch (IOException)
        {
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores{(cpu.Length > 0 ? " " + cpu : "")}, {memory:0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }
}
