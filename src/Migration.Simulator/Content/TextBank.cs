namespace Migration.Simulator.Content;

/// <summary>Sentences the simulated answers are assembled from.</summary>
internal static class TextBank
{
    /// <summary>Canonical answers are drawn from these.</summary>
    public static readonly string[] Primary =
    [
        "Here is a short answer to your question.",
        "The simplest approach is to start with the default settings and adjust them as you go.",
        "You can change this at any time from the account settings page.",
        "Most teams find that a gradual rollout keeps the risk low.",
        "Make sure the change is tested in a staging environment first.",
        "The request is processed within a few seconds in most cases.",
        "If the problem persists, check the logs for the exact error message.",
        "This feature is available on every paid plan.",
        "A backup is taken automatically before each update.",
        "Keep the configuration in version control so every change can be reviewed.",
        "The limit applies per organization rather than per user.",
        "You will receive an email once the operation has finished.",
        "Retries use exponential backoff with a little random jitter.",
        "The dashboard shows the current status and the recent history.",
        "Every invoice can be downloaded as a PDF or exported as CSV.",
        "Access is granted through roles, so permissions stay consistent.",
        "Refunds are issued to the original payment method within five business days.",
        "Two-factor authentication adds an extra layer of protection to the account.",
        "The export includes every record created in the selected period.",
        "Webhooks are retried for up to twenty-four hours when delivery fails.",
        "Data is encrypted at rest and in transit.",
        "Changes take effect immediately for new sessions.",
        "Old entries are removed automatically after the retention period.",
        "You can invite colleagues from the team settings page.",
        "The mobile app keeps working offline and syncs when it reconnects.",
        "Shipping times depend on the destination and the carrier.",
        "Single sign-on is configured once by an administrator.",
        "A password reset link stays valid for one hour.",
        "Rate limits are reported in the response headers of every call.",
        "The upgrade keeps all of your existing data and settings.",
        "Let me know if you would like a more detailed explanation.",
        "In short, the answer depends on how often the data changes.",
    ];

    /// <summary>"Different" answers are drawn from these: no sentence is shared with <see cref="Primary"/>.</summary>
    public static readonly string[] Alternate =
    [
        "That question has several possible answers.",
        "It would help to know more about your setup before recommending anything.",
        "One option is to contact the support team directly.",
        "Another route is to consult the reference documentation.",
        "Results may vary depending on the region you are in.",
        "I cannot verify that without more information.",
        "Consider weighing the trade-offs between speed and cost.",
        "Some customers prefer a manual process for this.",
        "There is a dedicated guide that walks through each step.",
        "The behaviour changed in a recent release.",
        "You might also want to review the security checklist.",
        "Please share the identifier of the affected resource.",
        "A scheduled maintenance window could explain the delay.",
        "Sometimes clearing the cache resolves the issue.",
        "The billing cycle restarts on the first day of each month.",
        "Those settings are managed by your workspace owner.",
    ];

    /// <summary>Words swapped into "similar" answers.</summary>
    public static readonly string[] Substitutes =
    [
        "quickly", "usually", "simply", "often", "clearly", "easily", "also", "typically", "generally", "really",
    ];
}
