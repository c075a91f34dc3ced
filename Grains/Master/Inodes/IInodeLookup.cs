namespace OrleansFs.Grains.Master.Inodes;

/// <summary>Read access shared by <see cref="InodeMap"/> and its editor, so path resolution is written once.</summary>
public interface IInodeLookup
{
    Inode? Get(long id);
}
