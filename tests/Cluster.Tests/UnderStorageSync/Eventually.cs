namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>Side effects in the under-storage follow the acknowledgement; a user sees them shortly after.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {seconds} s: {what}");
            await Task.Delay(25);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {seconds} s: {what}");
            await Task.Delay(25);
        }
    }
}
