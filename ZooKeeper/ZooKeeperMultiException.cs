namespace OrleansFs.ZooKeeper;

/// <summary>A multi transaction that was not applied. <see cref="ZooKeeperException.Code"/> is the failing op's code.</summary>
public sealed class ZooKeeperMultiException(ZooKeeperErrorCode code, string? path, int failedIndex, IReadOnlyList<ZooKeeperOperationResult> results)
    : ZooKeeperException(code, path, $"multi op #{failedIndex} failed, nothing was applied")
{
    /// <summary>Index of the operation that failed.</summary>
    public int FailedIndex { get; } = failedIndex;

    /// <summary>One result per operation: 0 before the failing op, its code, then RuntimeInconsistency.</summary>
    public IReadOnlyList<ZooKeeperOperationResult> Results { get; } = results;
}
