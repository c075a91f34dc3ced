using System.CommandLine;

namespace OrleansFs.Cli.Commands;

/// <summary>One `ofs` command: it declares its syntax and runs against the context.</summary>
internal interface IOfsCommand
{
    Command Build(OfsContext context);
}
