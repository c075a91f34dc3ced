using System.CommandLine;

namespace OrleansFs.Cli.Commands;

internal static class PathArguments
{
    public static Argument<string[]> OneOrMore(string description) =>
        new("path") { Description = description, Arity = ArgumentArity.OneOrMore };

    public static Argument<string> One(string name, string description) =>
        new(name) { Description = description };
}
