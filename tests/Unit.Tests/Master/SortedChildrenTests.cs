using CsCheck;
using OrleansFs.Grains.Master.Inodes;

namespace OrleansFs.Tests.Master;

/// <summary>
/// A directory's children (a persistent B+ tree) against a plain sorted map: random adds and removes, lookups,
/// resuming after a name, and every older version unchanged by the edits made after it.
/// </summary>
public sealed class SortedChildrenTests
{
    private static readonly string[] Suffixes = ["", "é", "Z", "-1"];

    // Names from a small range so removes hit and adds collide; long runs so the tree grows three levels deep.
    private static readonly Gen<(bool Add, string Name)> Step =
        Gen.Select(Gen.Int[0, 99].Select(p => p < 70), Gen.Int[0, 5000], Gen.Int[0, 3].Select(i => Suffixes[i]),
            (add, n, suffix) => (add, $"f{n}{suffix}"));

    [Fact]
    public void Behaves_like_a_sorted_map_and_keeps_every_version()
    {
        Gen.Select(Step.Array[0, 3000], Gen.String[0, 8]).Sample((steps, after) =>
        {
            var children = SortedChildren.Empty;
            var model = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var versions = new List<(SortedChildren, KeyValuePair<string, long>[])>();
            long nextId = 1;
            foreach (var (add, name) in steps)
            {
                if (add && !model.ContainsKey(name))
                {
                    model.Add(name, nextId);
                    children = children.Add(name, nextId++);
                }
                else if (!add)
                {
                    model.Remove(name);
                    children = children.Remove(name);
                }
                if (versions.Count < 50 || nextId % 97 == 0) versions.Add((children, model.ToArray()));
            }

            Assert.Equal(model.ToArray(), children.ToArray());
            Assert.Equal(model.Count, children.Count);
            foreach (var (name, id) in model)
            {
                Assert.True(children.TryGetValue(name, out long found));
                Assert.Equal(id, found);
            }
            Assert.False(children.ContainsKey("g-not-there"));
            Assert.Equal(model.Where(c => string.CompareOrdinal(c.Key, after) > 0), children.After(after));
            if (model.Count > 0)
            {
                string middle = model.Keys.ElementAt(model.Count / 2);
                Assert.Equal(model.Where(c => string.CompareOrdinal(c.Key, middle) > 0), children.After(middle));
            }
            foreach (var (version, expected) in versions)
            {
                Assert.Equal(expected, version.ToArray());
                Assert.Equal(expected.Length, version.Count);
            }
        }, iter: 60);
    }

    [Fact]
    public void Built_from_sorted_names_equals_built_by_adds()
    {
        Gen.Int[0, 5000].HashSet[0, 3000].Sample(numbers =>
        {
            var sorted = numbers.Select(n => new KeyValuePair<string, long>($"part-{n}", n)).OrderBy(c => c.Key, StringComparer.Ordinal).ToArray();
            var built = SortedChildren.FromSorted(sorted);
            var added = sorted.Reverse().Aggregate(SortedChildren.Empty, (map, c) => map.Add(c.Key, c.Value));

            Assert.Equal(sorted, built.ToArray());
            Assert.Equal(sorted, added.ToArray());
            Assert.Equal(sorted.Length, built.Count);
            if (sorted.Length > 0)
            {
                var grown = built.Add("part-" + new string('~', 3), -1).Remove(sorted[0].Key);
                Assert.Equal(sorted, built.ToArray());
                Assert.Equal(sorted.Length, grown.Count);
            }
        }, iter: 40);
    }

    [Fact]
    public void A_page_resumes_after_a_name_that_was_deleted_meanwhile()
    {
        var children = SortedChildren.FromSorted(Enumerable.Range(0, 100_000).Select(i => new KeyValuePair<string, long>($"f{i:D6}", i)));
        var page = children.After(null).Take(1000).ToList();
        children = children.Remove(page[^1].Key).Add("f000999a", -1);

        var next = children.After(page[^1].Key).Take(2).Select(c => c.Key);

        Assert.Equal(["f000999a", "f001000"], next);
    }

    [Fact]
    public void Adding_a_name_twice_is_refused_and_names_out_of_order_do_not_load()
    {
        var children = SortedChildren.Empty.Add("a", 1);
        Assert.Throws<ArgumentException>(() => children.Add("a", 2));
        Assert.Throws<InvalidDataException>(() => SortedChildren.FromSorted([new("b", 1), new("a", 2)]));
        Assert.Throws<InvalidDataException>(() => SortedChildren.FromSorted([new("a", 1), new("a", 2)]));
        Assert.Same(SortedChildren.Empty, children.Remove("a"));
        Assert.Same(children, children.Remove("missing"));
    }
}
