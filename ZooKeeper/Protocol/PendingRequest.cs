namespace OrleansFs.ZooKeeper.Protocol;

/// <summary>
/// One request on its way to the server and, once answered, its result. The reply body is parsed on the I/O loop
/// (it is cheap); the caller's continuation runs on the thread pool.
/// </summary>
internal sealed class PendingRequest
{
    /// <summary>Shared by every ping: pings carry no result and are not matched against replies.</summary>
    public static readonly PendingRequest Ping = new(OpCode.Ping, "/", "/") { Xid = Protocol.Xid.Ping };

    private readonly TaskCompletionSource<PendingRequest> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingRequest(OpCode op, string clientPath, string serverPath)
    {
        Op = op;
        ClientPath = clientPath;
        ServerPath = serverPath;
    }

    public OpCode Op { get; }
    public string ClientPath { get; }
    public string ServerPath { get; }
    public int Xid { get; set; }

    // Request fields; which ones are used depends on Op.
    public ReadOnlyMemory<byte> Data { get; init; }
    public int Version { get; init; } = -1;
    public CreateMode Mode { get; init; }
    public IReadOnlyList<ZooKeeperAcl> Acl { get; init; } = ZooKeeperAcl.OpenAclUnsafe;
    public ZooKeeperAuth? Auth { get; init; }
    public Action<WatchedEvent>? Watcher { get; init; }
    public IReadOnlyList<ZooKeeperOperation>? Operations { get; init; }
    public SetWatchesBody? WatchesToRestore { get; init; }

    // Result fields.
    public ZooKeeperErrorCode Error { get; private set; }
    public string? ResultPath { get; private set; }
    public byte[]? ResultData { get; private set; }
    public NodeStat? ResultStat { get; private set; }
    public List<string>? ResultChildren { get; private set; }
    public List<ZooKeeperOperationResult>? ResultOperations { get; private set; }
    public List<ZooKeeperAcl>? ResultAcl { get; private set; }

    public Task<PendingRequest> Task => _completion.Task;

    /// <summary>True when the caller no longer waits (cancelled) or the request already has its outcome.</summary>
    public bool IsCompleted => _completion.Task.IsCompleted;

    /// <summary>
    /// Whether the server replies to this request in order with the others. Pings and SetWatches do not count, nor
    /// does auth: the server handles it as soon as it reads it and answers with xid -4, possibly ahead of replies
    /// to requests sent before it.
    /// </summary>
    public bool ExpectsOrderedReply => Op is not (OpCode.Ping or OpCode.SetWatches or OpCode.Auth);

    public void WriteTo(JuteWriter writer, ChrootMapper chroot)
    {
        writer.WriteRequestHeader(Xid, Op);
        switch (Op)
        {
            case OpCode.Create:
            case OpCode.CreateContainer:
                WriteCreate(writer, ServerPath, Data.Span, Acl, Mode);
                break;
            case OpCode.Delete:
                writer.WriteString(ServerPath);
                writer.WriteInt(Version);
                break;
            case OpCode.Exists:
            case OpCode.GetData:
            case OpCode.GetChildren2:
                writer.WriteString(ServerPath);
                writer.WriteBool(Watcher is not null);
                break;
            case OpCode.SetData:
                writer.WriteString(ServerPath);
                writer.WriteBuffer(Data.Span);
                writer.WriteInt(Version);
                break;
            case OpCode.Sync:
            case OpCode.GetAcl:
                writer.WriteString(ServerPath);
                break;
            case OpCode.SetAcl:
                writer.WriteString(ServerPath);
                writer.WriteAcl(Acl);
                writer.WriteInt(Version);
                break;
            case OpCode.Auth:
                writer.WriteInt(0); // AuthPacket.type, unused by the server
                writer.WriteString(Auth!.Scheme);
                writer.WriteBuffer(Auth.Data.Span);
                break;
            case OpCode.Multi:
                WriteMulti(writer, chroot);
                break;
            case OpCode.SetWatches:
                WatchesToRestore!.WriteTo(writer);
                break;
            case OpCode.Ping:
            case OpCode.CloseSession:
                break;
            default:
                throw new InvalidOperationException($"no request layout for {Op}");
        }
    }

    /// <summary>Reads the reply body (present only when err is 0) and records the outcome; does not complete the task.</summary>
    public void ReadReply(ZooKeeperErrorCode error, ref JuteReader reader, ChrootMapper chroot)
    {
        Error = error;
        if (error != ZooKeeperErrorCode.Ok) return;
        switch (Op)
        {
            case OpCode.Create:
                ResultPath = chroot.ToClient(reader.ReadString() ?? ServerPath);
                break;
            case OpCode.CreateContainer:
                ResultPath = chroot.ToClient(reader.ReadString() ?? ServerPath);
                ResultStat = reader.ReadStat();
                break;
            case OpCode.Exists:
            case OpCode.SetData:
            case OpCode.SetAcl:
                ResultStat = reader.ReadStat();
                break;
            case OpCode.GetAcl:
                ResultAcl = reader.ReadAcl();
                ResultStat = reader.ReadStat();
                break;
            case OpCode.GetData:
                ResultData = reader.ReadBuffer();
                ResultStat = reader.ReadStat();
                break;
            case OpCode.GetChildren2:
                ResultChildren = reader.ReadStringVector();
                ResultStat = reader.ReadStat();
                break;
            case OpCode.Sync:
                ResultPath = chroot.ToClient(reader.ReadString() ?? ServerPath);
                break;
            case OpCode.Multi:
                ResultOperations = ReadMultiResults(ref reader, chroot);
                break;
        }
    }

    /// <summary>Hands the outcome to the caller (its continuation runs asynchronously).</summary>
    public void Finish() => _completion.TrySetResult(this);

    public void Fail(Exception error) => _completion.TrySetException(error);

    public void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);

    /// <summary>Throws the server's error for this request, naming the caller's path.</summary>
    public void ThrowIfError()
    {
        if (Error != ZooKeeperErrorCode.Ok) throw new ZooKeeperException(Error, ClientPath);
        if (Op == OpCode.Multi) ThrowIfMultiFailed();
    }

    private void ThrowIfMultiFailed()
    {
        var results = ResultOperations!;
        for (int i = 0; i < results.Count; i++)
        {
            if (results[i].Error == ZooKeeperErrorCode.Ok) continue;
            throw new ZooKeeperMultiException(results[i].Error, Operations![i].Path, i, results);
        }
    }

    private static void WriteCreate(JuteWriter writer, string serverPath, ReadOnlySpan<byte> data, IReadOnlyList<ZooKeeperAcl> acl, CreateMode mode)
    {
        writer.WriteString(serverPath);
        writer.WriteBuffer(data);
        writer.WriteAcl(acl);
        writer.WriteInt((int)mode);
    }

    private void WriteMulti(JuteWriter writer, ChrootMapper chroot)
    {
        foreach (var op in Operations!)
        {
            var code = op.Op == OpCode.Create && op.Mode == CreateMode.Container ? OpCode.CreateContainer : op.Op;
            writer.WriteInt((int)code);
            writer.WriteBool(false);
            writer.WriteInt(-1);
            var path = chroot.ToServer(op.Path);
            switch (op.Op)
            {
                case OpCode.Create:
                    WriteCreate(writer, path, op.Data.Span, op.Acl, op.Mode);
                    break;
                case OpCode.SetData:
                    writer.WriteString(path);
                    writer.WriteBuffer(op.Data.Span);
                    writer.WriteInt(op.Version);
                    break;
                default: // delete and check share one layout
                    writer.WriteString(path);
                    writer.WriteInt(op.Version);
                    break;
            }
        }
        writer.WriteInt(-1);
        writer.WriteBool(true);
        writer.WriteInt(-1);
    }

    private static List<ZooKeeperOperationResult> ReadMultiResults(ref JuteReader reader, ChrootMapper chroot)
    {
        var results = new List<ZooKeeperOperationResult>();
        while (true)
        {
            var type = (OpCode)reader.ReadInt();
            bool done = reader.ReadBool();
            reader.ReadInt(); // header err; the ErrorResponse body carries the code that matters
            if (done) return results;
            results.Add(type switch
            {
                // 3.8 rewrites create2 inside multi and answers it as a plain create: accept both shapes.
                OpCode.Create => new ZooKeeperOperationResult(ZooKeeperErrorCode.Ok, chroot.ToClient(reader.ReadString() ?? "")),
                OpCode.Create2 or OpCode.CreateContainer =>
                    new ZooKeeperOperationResult(ZooKeeperErrorCode.Ok, chroot.ToClient(reader.ReadString() ?? ""), reader.ReadStat()),
                OpCode.SetData => new ZooKeeperOperationResult(ZooKeeperErrorCode.Ok, Stat: reader.ReadStat()),
                OpCode.Delete or OpCode.Check => new ZooKeeperOperationResult(ZooKeeperErrorCode.Ok),
                OpCode.Error => new ZooKeeperOperationResult((ZooKeeperErrorCode)reader.ReadInt()),
                _ => throw new ZooKeeperException(ZooKeeperErrorCode.MarshallingError, null, $"unexpected multi result type {(int)type}"),
            });
        }
    }
}
