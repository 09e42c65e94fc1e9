using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Migration.AspNetCore.Configuration;

/// <summary>Start-up validation of an options type with the FluentValidation validators of this assembly.</summary>
internal static class FluentValidatedOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers this assembly's validators (singletons: the options system resolves them from the root provider;
    /// idempotent), <see cref="FluentValidateOptions{TOptions}"/> for <typeparamref name="TOptions"/>, and
    /// <c>ValidateOnStart</c>. <paramref name="sectionPath"/> prefixes every message.
    /// </summary>
    public static IServiceCollection AddFluentValidatedOptions<TOptions>(this IServiceCollection services, string sectionPath)
        where TOptions : class
    {
        services.AddValidatorsFromAssemblyContaining<OptionsConfigurationPath<TOptions>>(ServiceLifetime.Singleton, includeInternalTypes: true);
        services.TryAddSingleton(new OptionsConfigurationPath<TOptions>(sectionPath));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, FluentValidateOptions<TOptions>>());
        services.AddOptions<TOptions>().ValidateOnStart();
        return services;
    }
}
