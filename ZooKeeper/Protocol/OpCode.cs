namespace OrleansFs.ZooKeeper.Protocol;

/// <summary>ZooKeeper request types (ZooDefs.OpCode) used by this client.</summary>
internal enum OpCode
{
    Error = -1,
    Create = 1,
    Delete = 2,
    Exists = 3,
    GetData = 4,
    SetData = 5,
    GetAcl = 6,
    SetAcl = 7,
    Sync = 9,
    Ping = 11,
    GetChildren2 = 12,
    Check = 13,
    Multi = 14,
    Create2 = 15,
    CreateContainer = 19,
    Auth = 100,
    SetWatches = 101,
    CloseSession = -11,
}
