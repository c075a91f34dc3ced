using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace OrleansFs.Unit.Tests.Logging;

/// <summary>One [LoggerMessage] method: where it is, and the event id and level its attribute names (null if not named).</summary>
public sealed record LoggerMessageMethod(string Assembly, string Method, int? EventId, int? Level);

/// <summary>Reads the [LoggerMessage] attributes of an assembly file from its metadata, without loading it.</summary>
public static class LoggerMessageCatalog
{
    public static List<LoggerMessageMethod> Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        var found = new List<LoggerMessageMethod>();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                foreach (var attributeHandle in method.GetCustomAttributes())
                {
                    var attribute = md.GetCustomAttribute(attributeHandle);
                    if (!IsLoggerMessage(md, attribute)) continue;
                    var value = attribute.DecodeValue(new TypeNames());
                    found.Add(new LoggerMessageMethod(Path.GetFileName(assemblyPath),
                        $"{md.GetString(type.Namespace)}.{md.GetString(type.Name)}.{md.GetString(method.Name)}",
                        Named(value, "EventId") ?? Fixed(value, 0), Named(value, "Level") ?? Fixed(value, 1)));
                }
            }
        }
        return found;
    }

    private static bool IsLoggerMessage(MetadataReader md, CustomAttribute attribute)
    {
        if (attribute.Constructor.Kind != HandleKind.MemberReference) return false;
        var constructor = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
        if (constructor.Parent.Kind != HandleKind.TypeReference) return false;
        var type = md.GetTypeReference((TypeReferenceHandle)constructor.Parent);
        return md.GetString(type.Namespace) == "Microsoft.Extensions.Logging" && md.GetString(type.Name) == "LoggerMessageAttribute";
    }

    private static int? Named(CustomAttributeValue<string> value, string name) =>
        value.NamedArguments.Where(a => a.Name == name).Select(a => (int?)Convert.ToInt32(a.Value)).FirstOrDefault();

    /// <summary>The (int eventId, LogLevel level, string message) constructor.</summary>
    private static int? Fixed(CustomAttributeValue<string> value, int index) =>
        value.FixedArguments.Length == 3 ? Convert.ToInt32(value.FixedArguments[index].Value) : null;

    /// <summary>Names types by their names; the only enum in the attribute, LogLevel, is an int.</summary>
    private sealed class TypeNames : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSystemType() => "System.Type";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(string type) => type == "System.Type";
    }
}
