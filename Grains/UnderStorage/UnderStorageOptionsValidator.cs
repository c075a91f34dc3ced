using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>The under-storage needs a root directory.</summary>
public sealed class UnderStorageOptionsValidator : IValidateOptions<UnderStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, UnderStorageOptions options) =>
        string.IsNullOrWhiteSpace(options.Directory)
            ? ValidateOptionsResult.Fail("UnderStorage:Directory must not be empty")
            : ValidateOptionsResult.Success;
}
