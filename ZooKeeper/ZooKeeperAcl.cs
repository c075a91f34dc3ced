using System.Security.Cryptography;
using System.Text;

namespace OrleansFs.ZooKeeper;

/// <summary>
/// One entry of a znode's access control list: the permissions granted to an identity, written <c>scheme:id</c>
/// (<c>world:anyone</c>, <c>digest:user:hash</c>, <c>ip:10.0.0.0/8</c>, or <c>auth:</c> for "whoever creates it").
/// </summary>
public sealed record ZooKeeperAcl(ZooKeeperPermissions Permissions, string Scheme, string Id)
{
    private static readonly ZooKeeperAcl WorldAll = new(ZooKeeperPermissions.All, "world", "anyone");
    private static readonly ZooKeeperAcl WorldRead = new(ZooKeeperPermissions.Read, "world", "anyone");
    private static readonly ZooKeeperAcl CreatorAll = new(ZooKeeperPermissions.All, "auth", "");

    /// <summary>Anyone may do anything (the default for every create).</summary>
    public static IReadOnlyList<ZooKeeperAcl> OpenAclUnsafe { get; } = [WorldAll];

    /// <summary>
    /// Every identity this session has authenticated as gets all permissions. The server expands <c>auth:</c> to
    /// those identities and answers INVALIDACL if the session has none.
    /// </summary>
    public static IReadOnlyList<ZooKeeperAcl> CreatorAllAcl { get; } = [CreatorAll];

    /// <summary>Anyone may read; nobody may change anything, the ACL included.</summary>
    public static IReadOnlyList<ZooKeeperAcl> ReadAclUnsafe { get; } = [WorldRead];

    /// <summary>The creator's identities get everything and anyone may read (as HBase does for its discovery nodes).</summary>
    public static IReadOnlyList<ZooKeeperAcl> CreatorAllWorldReadAcl { get; } = [CreatorAll, WorldRead];

    /// <summary>An entry for a digest user: its id is <c>user:</c> followed by Base64(SHA-1(<c>user:password</c>)).</summary>
    public static ZooKeeperAcl Digest(ZooKeeperPermissions permissions, string user, string password) =>
        new(permissions, ZooKeeperAuth.DigestScheme, DigestId(user, password));

    /// <summary>The id the server stores for a digest identity; the password itself never reaches a znode's ACL.</summary>
    public static string DigestId(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        if (user.Contains(':')) throw new ArgumentException($"a digest user name cannot contain ':' ('{user}')", nameof(user));
        ArgumentNullException.ThrowIfNull(password);
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(user + ":" + password));
        return user + ":" + Convert.ToBase64String(hash);
    }

    /// <summary>Refuses what the server would refuse with INVALIDACL, before anything is sent.</summary>
    internal static IReadOnlyList<ZooKeeperAcl> Validate(IReadOnlyList<ZooKeeperAcl>? acl, string paramName)
    {
        if (acl is null) return OpenAclUnsafe;
        if (acl.Count == 0)
            throw new ArgumentException("an ACL needs at least one entry (the server answers INVALIDACL to an empty one); use ZooKeeperAcl.OpenAclUnsafe for an open node", paramName);
        foreach (var entry in acl)
        {
            if (entry is null) throw new ArgumentException("an ACL entry is null", paramName);
            if (string.IsNullOrEmpty(entry.Scheme)) throw new ArgumentException($"the ACL entry '{entry}' has no scheme", paramName);
            if (entry.Id is null) throw new ArgumentException($"the ACL entry with scheme '{entry.Scheme}' has no id", paramName);
            if ((entry.Permissions & ~ZooKeeperPermissions.All) != 0)
                throw new ArgumentException($"the ACL entry {entry.Scheme}:{entry.Id} has unknown permission bits {(int)entry.Permissions}", paramName);
        }
        return acl;
    }

    public override string ToString() => $"{Scheme}:{Id}:{Permissions}";
}
