using System.Diagnostics;
using Migration.Load.Hosting;

namespace Migration.Load.Tests.Hosting;

public sealed class ProcessMemoryTests
{
    [Fact]
    public void ParseKilobytes_StatusLine_ReturnsValue()
    {
        Assert.Equal(123456, ProcessMemory.ParseKilobytes("VmRSS:\t  123456 kB"));
    }

    [Fact]
    public void WorkingSetMb_ThisProcess_MatchesRuntimeWorkingSet()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var self = Process.GetCurrentProcess();
        var mb = ProcessMemory.WorkingSetMb(Environment.ProcessId);

        Assert.NotNull(mb);
        Assert.InRange(mb.Value, self.WorkingSet64 / 1048576.0 * 0.5, self.WorkingSet64 / 1048576.0 * 2);
    }

    [Fact]
    public void ParseRequestsPerSecond_WrkOutput_ReadsValue()
    {
        const string output = "Running 2s test @ http://127.0.0.1:1/x\n  1 threads and 32 connections\nRequests/sec:   5622.48\nTransfer/sec:      1.2MB\n";

        Assert.Equal(5622.48, Wrk.ParseRequestsPerSecond(output));
        Assert.Null(Wrk.ParseRequestsPerSecond("nothing"));
    }
}
