namespace OrleansFs.Client.Retry;

/// <summary>
/// An attempt given up because its gateway or silo is gone (<see cref="GatewayLossSignal"/>): transient, as any
/// timeout, and retried without a pause, since waiting cannot make the lost answer arrive.
/// </summary>
public sealed class AttemptAbandonedException(string cause) : TimeoutException(cause);
