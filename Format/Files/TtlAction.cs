namespace OrleansFs.Files;

/// <summary>What the master's TTL checker does when a file's TTL runs out.</summary>
public enum TtlAction
{
    Delete = 0,
    Free = 1,
}
