using System.IO.Pipelines;

namespace OrleansFs.Grains.Failover.Takeover;

/// <summary>A connection's transport with its input replaced, so Orleans reads through <see cref="HeardPipeReader"/>.</summary>
internal sealed class PeerDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;
    public PipeWriter Output { get; } = output;
}
