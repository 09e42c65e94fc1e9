using Migration.AspNetCore.Configuration;

namespace Migration.AspNetCore.Tests.Infrastructure;

internal static class TestOptions
{
    public const string CandidateKey = "cand-secret-key-0123456789";
    public const string PrimaryKey = "prim-secret-key-0123456789";
    public const string AdminKey = "admin-secret-key-0123456789";

    /// <summary>Valid options pointing the candidate at <paramref name="candidateBaseUrl"/>.</summary>
    public static Action<MigrationHarnessOptions> Valid(string candidateBaseUrl = "http://127.0.0.1:9/v1", Action<MigrationHarnessOptions>? more = null) => o =>
    {
        o.InstanceName = "test-instance";
        o.Candidate.BaseUrl = candidateBaseUrl;
        o.Candidate.ApiKey = CandidateKey;
        o.Primary.ApiKey = PrimaryKey;
        o.Admin.ApiKey = AdminKey;
        more?.Invoke(o);
    };
}
