namespace Migration.Simulator.Content;

/// <summary>Engineering topics: what the load scenarios and integration tests ask about.</summary>
internal static partial class KnowledgeBank
{
    private static readonly Topic[] Engineering =
    [
        new(
            "canary",
            "Canary releases",
            ["canary", "rollout", "progressive delivery", "gradual release", "feature flag"],
            [
                "A canary release sends a small share of real traffic to the new version first, so problems show up before everyone is affected.",
                "With a canary release, only a small slice of real traffic reaches the new version at first, and problems surface before they reach everyone.",
            ],
            [
                new(
                    [
                        "A typical ramp starts at {0}% of traffic and doubles at each step.",
                        "Most ramps begin at {0}% of traffic and double the share at every step.",
                    ],
                    new Figure("first_step_percent", 1, 5)),
                new(
                    [
                        "Each step is held for about {0} minutes while error rate and latency are compared with the old version.",
                        "Every step lasts roughly {0} minutes, during which the error rate and latency are compared against the old version.",
                    ],
                    new Figure("step_minutes", 5, 30)),
                new(
                    [
                        "If the error rate rises above {0}%, the rollout is rolled back automatically.",
                        "An error rate over {0}% triggers an automatic rollback.",
                    ],
                    new Figure("max_error_percent", 1, 5)),
                new(
                    [
                        "Because only a few users see a bad version, the blast radius of a mistake stays small.",
                        "A faulty version reaches only a few users, which keeps the blast radius small.",
                    ]),
                new(
                    [
                        "Sticky assignment keeps each user on the same version for the whole session.",
                        "Each user stays on one version for the whole session thanks to sticky assignment.",
                    ]),
            ],
            []),
        new(
            "latency",
            "Latency percentiles",
            ["p99", "p95", "percentile", "latency", "tail latency", "response time"],
            [
                "A p99 latency is the time within which 99% of requests finish; only the slowest 1% take longer.",
                "The p99 latency is the response time that 99% of requests beat, leaving just the slowest 1% above it.",
            ],
            [
                new(
                    [
                        "If the p99 is {0} ms, one request in a hundred takes longer than {0} ms.",
                        "A p99 of {0} ms means that one request out of every hundred is slower than {0} ms.",
                    ],
                    new Figure("p99_ms", 250, 900)),
                new(
                    [
                        "The average hides these slow requests, which is why teams track percentiles instead.",
                        "Averages hide the slow requests, so teams watch percentiles rather than the mean.",
                    ]),
                new(
                    [
                        "A page that makes {0} calls hits the slowest 1% on most loads, so the tail decides how the product feels.",
                        "When a page makes {0} calls, most page loads include one of the slowest 1%, so the tail shapes the experience.",
                    ],
                    new Figure("calls_per_page", 20, 100)),
                new(
                    [
                        "Percentiles must be computed from histograms or raw samples; averaging the p99 of several servers gives a wrong number.",
                        "Compute percentiles from histograms or raw samples, because an average of per-server p99 values is wrong.",
                    ]),
                new(
                    [
                        "A common goal is a p99 under {0} ms for interactive requests.",
                        "For interactive requests, teams often aim for a p99 below {0} ms.",
                    ],
                    new Figure("target_p99_ms", 300, 1000)),
            ],
            []),
        new(
            "resilience",
            "Resilient HTTP clients",
            ["resilien", "retry", "retries", "circuit breaker", "http client", "httpclient", "timeout", "polly"],
            [
                "A resilient HTTP client combines timeouts, retries with backoff and a circuit breaker.",
                "Resilience in an HTTP client comes from three things working together: timeouts, retries with backoff and a circuit breaker.",
            ],
            [
                new(
                    [
                        "Set a timeout on every call, for example {0} seconds, so a slow dependency cannot hold your threads.",
                        "Give each call a timeout, such as {0} seconds, so that a slow dependency never ties up your threads.",
                    ],
                    new Figure("timeout_seconds", 2, 30)),
                new(
                    [
                        "Retry only idempotent requests, at most {0} times, with exponential backoff and jitter.",
                        "Only idempotent requests should be retried, no more than {0} times, with exponential backoff plus jitter.",
                    ],
                    new Figure("max_retries", 2, 5)),
                new(
                    [
                        "A circuit breaker stops calling a dependency after {0}% of calls fail and tries again after a short break.",
                        "When {0}% of calls fail, a circuit breaker stops sending requests for a short break before it tries again.",
                    ],
                    new Figure("failure_percent", 25, 60)),
                new(
                    [
                        "Reuse one client per dependency so connections are pooled.",
                        "Keep a single client for each dependency so its connections are pooled.",
                    ]),
                new(
                    [
                        "Honour the Retry-After header when the server sends one.",
                        "When the server sends a Retry-After header, wait as long as it says.",
                    ]),
            ],
            [],
            new CodeSample(
                "csharp",
                [
                    "With Polly in .NET, the pipeline looks like this:",
                    "In .NET, Polly builds the pipeline for you:",
                ],
                [
                    "var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()",
                    "\t.AddTimeout(TimeSpan.FromSeconds({0}))",
                    "\t.AddRetry(new RetryStrategyOptions<HttpResponseMessage>",
                    "\t{",
                    "\t\tMaxRetryAttempts = {1},",
                    "\t\tBackoffType = DelayBackoffType.Exponential,",
                    "\t\tUseJitter = true,",
                    "\t})",
                    "\t.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage> { FailureRatio = 0.{2} })",
                    "\t.Build();",
                ],
                new Figure("timeout_seconds", 2, 30),
                new Figure("max_retries", 2, 5),
                new Figure("failure_ratio_tenths", 2, 6))),
        new(
            "migrations",
            "Database migrations",
            ["migration", "schema change", "alter table", "database", "sql"],
            [
                "Database migrations change the schema in small, reversible steps that run before the new code needs them.",
                "A database migration changes the schema step by step, each step reversible and applied before the code that needs it.",
            ],
            [
                new(
                    [
                        "Add new columns as nullable first, so the table is not rewritten and locks stay short.",
                        "New columns should start out nullable: the table is not rewritten and locks remain brief.",
                    ]),
                new(
                    [
                        "Backfill existing rows in batches of about {0} rows to keep the load low.",
                        "Fill in existing rows in batches of roughly {0} rows so the load stays low.",
                    ],
                    new Figure("batch_rows", 1000, 10000)),
                new(
                    [
                        "Set a lock timeout of {0} seconds so a blocked migration fails fast instead of queueing every query.",
                        "A lock timeout of {0} seconds makes a blocked migration fail quickly rather than holding up every query.",
                    ],
                    new Figure("lock_timeout_seconds", 2, 10)),
                new(
                    [
                        "Remove old columns only after no running code reads them.",
                        "Drop an old column only once no deployed code still reads it.",
                    ]),
                new(
                    [
                        "Keep every migration in version control and apply them with an idempotent script.",
                        "Store each migration in version control and run them through an idempotent script.",
                    ]),
            ],
            [],
            new CodeSample(
                "sql",
                [
                    "For example, in PostgreSQL:",
                    "Here is what that looks like in PostgreSQL:",
                ],
                [
                    "SET lock_timeout = '{1}s';",
                    "ALTER TABLE orders ADD COLUMN region text;",
                    "",
                    "UPDATE orders SET region = 'eu'",
                    "WHERE id IN (",
                    "\tSELECT id FROM orders WHERE region IS NULL LIMIT {0}",
                    ");",
                ],
                new Figure("batch_rows", 1000, 10000),
                new Figure("lock_timeout_seconds", 2, 10))),
        new(
            "commits",
            "Commit messages",
            ["commit message", "commit", "git"],
            [
                "A good commit message says what changed and why, so a reader understands it without opening the diff.",
                "Good commit messages explain what changed and the reason for it, so nobody needs the diff to follow.",
            ],
            [
                new(
                    [
                        "Keep the subject line under {0} characters and write it in the imperative mood.",
                        "Write the subject in the imperative mood and keep it shorter than {0} characters.",
                    ],
                    new Figure("subject_chars", 50, 72)),
                new(
                    [
                        "Leave a blank line after the subject, then explain the reason in the body.",
                        "Put a blank line below the subject and use the body to explain the reason.",
                    ]),
                new(
                    [
                        "Make one logical change per commit so it can be reviewed and reverted on its own.",
                        "Each commit should hold one logical change, which can be reviewed and reverted by itself.",
                    ]),
                new(
                    [
                        "Reference the issue number so the history links back to the discussion.",
                        "Mention the issue number, which links the history to the discussion.",
                    ]),
            ],
            []),
        new(
            "load-testing",
            "Load testing",
            ["load test", "open workload", "closed workload", "throughput", "benchmark", "requests per second"],
            [
                "Load tests need an open workload model because real users keep arriving whether or not the system is slow.",
                "A load test needs an open workload model, because real users keep arriving even when the system is slow.",
            ],
            [
                new(
                    [
                        "A closed workload model waits for each answer before it sends the next request, so a slow server receives less load and looks better than it is.",
                        "In a closed workload model, each client waits for the answer before its next request, so a slow server gets less load and looks healthier than it is.",
                    ]),
                new(
                    [
                        "Coordinated omission, the flaw of closed load tests, can hide latency spikes of {0} ms or more.",
                        "The coordinated omission of closed load tests can hide latency spikes of {0} ms and above.",
                    ],
                    new Figure("hidden_spike_ms", 200, 2000)),
                new(
                    [
                        "An open workload model sends requests at a fixed rate, for example {0} requests per second, no matter how long answers take.",
                        "With an open workload model, requests go out at a fixed rate, such as {0} requests per second, however long the answers take.",
                    ],
                    new Figure("rate_per_second", 100, 2000)),
                new(
                    [
                        "Run each test for at least {0} minutes so caches warm up and the percentiles settle.",
                        "Let each load test run for {0} minutes or more, so caches are warm and the percentiles are stable.",
                    ],
                    new Figure("run_minutes", 5, 30)),
                new(
                    [
                        "Measure the latency from the intended send time, not from when the request actually went out.",
                        "Latency should be measured from the intended send time of a request, not from when it actually went out.",
                    ]),
            ],
            []),
        new(
            "france",
            "Capital of France",
            ["capital of france", "france", "paris"],
            [
                "The capital of France is Paris.",
                "Paris is the capital of France.",
            ],
            [
                new(
                    [
                        "About {0} million people live in the Paris metropolitan area.",
                        "The Paris metropolitan area is home to roughly {0} million people.",
                    ],
                    new Figure("metro_population_millions", 11, 13)),
                new(
                    [
                        "It has been the capital for most of the last thousand years.",
                        "Paris has been the capital for most of the last thousand years.",
                    ]),
                new(
                    [
                        "The city lies on the Seine in the north of the country.",
                        "It sits on the river Seine, in northern France.",
                    ]),
            ],
            []),
    ];

    /// <summary>The topic of prompts that match no other: a general support answer.</summary>
    private static readonly Topic GeneralTopic = new(
        "general",
        "General help",
        [],
        [
            "Here is how that works.",
            "Here is how this works.",
            "This is how that works.",
        ],
        [
            new(
                [
                    "Most changes take effect within {0} minutes for new sessions.",
                    "New sessions pick up most changes in {0} minutes.",
                ],
                new Figure("effect_minutes", 1, 10)),
            new(
                [
                    "The dashboard shows the current status and the last {0} days of history.",
                    "You can see the current status and {0} days of history on the dashboard.",
                ],
                new Figure("history_days", 7, 90)),
            new(
                [
                    "Every change is recorded in the audit log with the person who made it.",
                    "The audit log records each change along with who made it.",
                ]),
            new(
                [
                    "Support answers within {0} hours on business days.",
                    "On business days, the support team replies in {0} hours.",
                ],
                new Figure("support_hours", 2, 24)),
            new(
                [
                    "Settings are kept per workspace, so one team's changes do not affect another.",
                    "Each workspace keeps its own settings, and a change in one team does not touch another.",
                ]),
            new(
                [
                    "Test the change in a staging workspace before you apply it to production.",
                    "Try the change in a staging workspace first, then apply it to production.",
                ]),
        ],
        [
            ["Open the workspace settings.", "Open Settings for the workspace."],
            ["Find the option in the list and change it.", "Locate the option and change it."],
            ["Click Save; the change applies to new sessions.", "Save, and new sessions use the change."],
        ]);
}
