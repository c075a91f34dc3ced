namespace OrleansFs.Silo.Web.Models;

public sealed record ConfigModel(IReadOnlyList<ConfigEntryModel> Settings);
