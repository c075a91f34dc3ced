namespace OrleansFs.Silo.Web.Lineage;

public enum GraphNodeKind
{
    File,
    Job,
}
