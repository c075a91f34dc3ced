using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace OrleansFs.Unit.Tests.Logging;

/// <summary>
/// Reads the IL of every method in an assembly file and lists the calls to
/// <c>Microsoft.Extensions.Logging.LoggerExtensions</c> (LogInformation, LogWarning, Log, BeginScope, …), as
/// "Type.Method calls LoggerExtensions.Name". Compiler-made methods (lambdas, async state machines) are included.
/// </summary>
public static class LogCallScanner
{
    private const string ExtensionsNamespace = "Microsoft.Extensions.Logging";
    private const string ExtensionsType = "LoggerExtensions";

    private static readonly Dictionary<int, OperandType> Operands = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => op.Value & 0xFFFF, op => op.OperandType);

    public static List<string> FindCalls(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        var found = new List<string>();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0) continue;
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                foreach (string called in CalledExtensions(md, il))
                    found.Add($"{TypeName(md, type)}.{md.GetString(method.Name)} calls {ExtensionsType}.{called}");
            }
        }
        return found;
    }

    private static IEnumerable<string> CalledExtensions(MetadataReader md, BlobReader il)
    {
        var names = new List<string>();
        while (il.RemainingBytes > 0)
        {
            int code = il.ReadByte();
            if (code == 0xFE) code = 0xFE00 | il.ReadByte();
            var operand = Operands[code];
            if (operand == OperandType.InlineMethod)
            {
                if (ExtensionName(md, MetadataTokens.EntityHandle(il.ReadInt32())) is { } name) names.Add(name);
                continue;
            }
            int skip = operand switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 * il.ReadInt32(),
                _ => 4,
            };
            il.Offset += skip;
        }
        return names;
    }

    /// <summary>The member's name if the token is a method of LoggerExtensions (directly or as a generic instance).</summary>
    private static string? ExtensionName(MetadataReader md, EntityHandle handle)
    {
        if (handle.Kind == HandleKind.MethodSpecification)
            handle = md.GetMethodSpecification((MethodSpecificationHandle)handle).Method;
        if (handle.Kind != HandleKind.MemberReference) return null;
        var member = md.GetMemberReference((MemberReferenceHandle)handle);
        if (member.Parent.Kind != HandleKind.TypeReference) return null;
        var parent = md.GetTypeReference((TypeReferenceHandle)member.Parent);
        return md.StringComparer.Equals(parent.Name, ExtensionsType) && md.StringComparer.Equals(parent.Namespace, ExtensionsNamespace)
            ? md.GetString(member.Name)
            : null;
    }

    private static string TypeName(MetadataReader md, TypeDefinition type)
    {
        string name = md.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil ? $"{md.GetString(type.Namespace)}.{name}" : $"{TypeName(md, md.GetTypeDefinition(declaring))}+{name}";
    }
}
