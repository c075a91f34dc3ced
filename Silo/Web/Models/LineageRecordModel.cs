namespace OrleansFs.Silo.Web.Models;

public sealed record LineageRecordModel(long Id, string Job, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, DateTimeOffset CreatedAt, string State);
