namespace Migration.SampleApi;

/// <summary>Which sample app runs, and so where the harness sits (<c>--mode</c>).</summary>
public enum SampleMode
{
    /// <summary>The gateway (<see cref="SampleApiApp"/>) with the incoming middleware: clients speak OpenAI to it.</summary>
    Middleware = 0,

    /// <summary>
    /// The support app (<see cref="Support.SupportApiApp"/>) with the handler on its provider HttpClient: clients ask
    /// questions, the app builds the prompt and calls the provider through the OpenAI SDK.
    /// </summary>
    Outgoing = 1,
}
