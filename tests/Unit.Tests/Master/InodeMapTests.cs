using OrleansFs.Grains.Master.Inodes;

namespace OrleansFs.Tests.Master;

public sealed class InodeMapTests
{
    private static Inode Node(long id, string name = "n") => new() { Id = id, ParentId = 0, Name = name, IsDirectory = false };

    [Fact]
    public void Older_versions_are_unchanged_by_later_edits()
    {
        var editor = InodeMap.Empty.Edit();
        for (long id = 0; id < 2000; id++) editor.Set(Node(id));
        var v1 = editor.ToMap();

        var edit = v1.Edit();
        edit.Set(Node(5, "changed"));
        edit.Remove(7);
        edit.Set(Node(1_000_000));
        var v2 = edit.ToMap();

        Assert.Equal("n", v1[5].Name);
        Assert.NotNull(v1.Get(7));
        Assert.Null(v1.Get(1_000_000));
        Assert.Equal(2000, v1.Count);
        Assert.Equal("changed", v2[5].Name);
        Assert.Null(v2.Get(7));
        Assert.Equal(1_000_000, v2[1_000_000].Id);
        Assert.Equal(2000, v2.Count);
    }

    [Fact]
    public void Values_come_in_id_order_and_missing_ids_read_as_null()
    {
        var editor = InodeMap.Empty.Edit();
        foreach (long id in new long[] { 40, 3, 1L << 38, 33 }) editor.Set(Node(id));
        var map = editor.ToMap();

        Assert.Equal(new long[] { 3, 33, 40, 1L << 38 }, map.Values().Select(i => i.Id));
        Assert.Null(map.Get(4));
        Assert.Null(map.Get(-1));
        Assert.Null(map.Get(long.MaxValue));
    }

    [Fact]
    public void Removing_a_missing_id_changes_nothing()
    {
        var editor = InodeMap.Empty.Edit();
        editor.Set(Node(1));
        editor.Remove(2);
        editor.Remove(1L << 30);
        Assert.Equal(1, editor.ToMap().Count);
    }
}
