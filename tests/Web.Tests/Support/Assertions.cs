using Microsoft.Playwright;

namespace OrleansFs.Tests.Web.Support;

public static class Assertions
{
    /// <summary>Reloads the page until the element's text is <paramref name="expected"/> (pages are server-rendered, not live).</summary>
    public static async Task WaitForTextAsync(ILocator locator, string expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? actual = null;
        while (DateTime.UtcNow < deadline)
        {
            actual = await locator.CountAsync() > 0 ? await locator.InnerTextAsync() : null;
            if (actual == expected) return;
            await Task.Delay(1000);
            await locator.Page.ReloadAsync();
        }
        Assert.Equal(expected, actual);
    }

    /// <summary>Waits, without reloading, until the element's text starts with <paramref name="prefix"/> (a script fills it in).</summary>
    public static async Task WaitForTextPrefixAsync(ILocator locator, string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? actual = null;
        while (DateTime.UtcNow < deadline)
        {
            actual = await locator.CountAsync() > 0 ? await locator.First.InnerTextAsync() : null;
            if (actual?.StartsWith(prefix, StringComparison.Ordinal) == true) return;
            await Task.Delay(250);
        }
        Assert.StartsWith(prefix, actual ?? "");
    }
}
