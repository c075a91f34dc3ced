using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>A connection's input that notes in <see cref="PeerActivity"/> each time new bytes arrive.</summary>
internal sealed class HeardPipeReader(PipeReader inner, PeerActivity activity) : PipeReader
{
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(cancellationToken);
        if (!read.IsCompletedSuccessfully) return Awaited(read);
        Note(read.Result);
        return read;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result)) return false;
        Note(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);
    public override void CancelPendingRead() => inner.CancelPendingRead();
    public override void Complete(Exception? exception = null) => inner.Complete(exception);
    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> Awaited(ValueTask<ReadResult> read)
    {
        var result = await read.ConfigureAwait(false);
        Note(result);
        return result;
    }

    // A completed read (the peer closed) or a cancelled one brings nothing from the peer.
    private void Note(in ReadResult result)
    {
        if (!result.Buffer.IsEmpty && !result.IsCompleted && !result.IsCanceled) activity.Heard();
    }
}
