namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>A record appended but not yet committed: its own payload copy and the caller waiting for it.</summary>
internal readonly record struct PostgreSqlPendingRecord(long Sequence, ushort Type, int Crc, byte[] Payload, TaskCompletionSource<long> Waiter);
