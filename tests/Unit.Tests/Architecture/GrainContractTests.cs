using ArchUnitNET.Fluent;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OrleansFs.Tests.Architecture;

/// <summary>The grain contracts do no file I/O: block files, side files and /proc belong to the format assembly.</summary>
public sealed class GrainContractTests
{
    private static readonly string[] FileIoTypes =
    [
        "System.IO.File", "System.IO.FileStream", "System.IO.FileInfo", "System.IO.Directory",
        "System.IO.DirectoryInfo", "System.IO.RandomAccess", "Microsoft.Win32.SafeHandles.SafeFileHandle",
    ];

    private static readonly string FileIoPattern =
        "^(" + string.Join("|", FileIoTypes.Select(System.Text.RegularExpressions.Regex.Escape)) + ")$";

    [Fact]
    public void Grain_contracts_do_no_file_io()
    {
        var subject = ShippedAssemblies.GrainsInterfaces;
        IArchRule rule = Types().That().ResideInAssembly(subject)
            .Should().NotDependOnAnyTypesThat().HaveFullNameMatching(FileIoPattern)
            .Because("Grains.Interfaces holds contracts only; file formats and their I/O are in OrleansFs.Format");
        ShippedAssemblies.AssertHolds(rule, subject);
    }
}
