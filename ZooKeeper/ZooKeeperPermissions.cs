namespace OrleansFs.ZooKeeper;

/// <summary>What an ACL entry allows on one znode (ZooDefs.Perms). Permissions are not inherited by children.</summary>
[Flags]
public enum ZooKeeperPermissions
{
    None = 0,
    Read = 1,
    Write = 2,
    Create = 4,
    Delete = 8,
    Admin = 16,
    All = Read | Write | Create | Delete | Admin,
}
