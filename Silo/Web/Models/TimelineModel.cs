namespace OrleansFs.Silo.Web.Models;

/// <summary>Master takeovers, newest first.</summary>
public sealed record TimelineModel(IReadOnlyList<TakeoverModel> Takeovers, MasterModel? Master, string? MasterError);
