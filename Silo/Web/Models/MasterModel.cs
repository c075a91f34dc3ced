namespace OrleansFs.Silo.Web.Models;

/// <summary>The silo hosting the master activation, and since when it leads.</summary>
public sealed record MasterModel(string SiloAddress, long Epoch, DateTimeOffset ActiveSince, double RecoveryMilliseconds);
