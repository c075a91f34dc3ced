using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// The identity of one namespace: a random id written once into the journal directory (<c>namespace-id</c>),
/// create-exclusive, so every silo of a new cluster reads the same one. Block ids restart with inode ids in
/// every namespace, so worker memory that outlives its namespace (a new or wiped journal directory over the
/// same /dev/shm) would hand a new file the blocks of an old one; the block store drops blocks that carry
/// another namespace's id.
/// </summary>
public sealed class NamespaceIdentity
{
    public const string FileName = "namespace-id";
    private const int Attempts = 50;
    private readonly Lazy<string> _id;

    public NamespaceIdentity(IOptions<JournalOptions> options)
    {
        string directory = options.Value.Directory;
        _id = new Lazy<string>(() => ReadOrCreate(directory));
    }

    public string Id => _id.Value;

    private static string ReadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, FileName);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            if (TryRead(path) is { } existing) return existing;
            TryCreate(directory, path);
        }
        throw new IOException($"could not read or create {path}");
    }

    private static string? TryRead(string path)
    {
        try
        {
            string text = File.ReadAllText(path).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Written whole under a temporary name, then moved into place without replacing: the first silo wins.</summary>
    private static void TryCreate(string directory, string path)
    {
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N")));
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temp, path, overwrite: false);
            DirectorySync.Flush(directory);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another silo's id is in place: read that one.
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
