namespace Migration.AspNetCore.Configuration;

/// <summary>The configuration path of the section <typeparamref name="TOptions"/> is bound from (e.g. <c>Migration:Health</c>), used to prefix validation messages.</summary>
internal sealed record OptionsConfigurationPath<TOptions>(string Value);
