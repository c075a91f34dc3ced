namespace OrleansFs.Silo.Web.Models;

public sealed record WorkersModel(IReadOnlyList<WorkerModel> Workers, bool CapacityReported);
