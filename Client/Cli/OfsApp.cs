namespace OrleansFs.Cli;

/// <summary>The `ofs` command-line tool (commands follow `alluxio fs`).</summary>
public static class OfsApp
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("ofs: no commands yet");
        return Task.FromResult(2);
    }
}
