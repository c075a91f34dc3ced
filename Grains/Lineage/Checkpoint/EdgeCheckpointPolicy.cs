namespace OrleansFs.Grains.Lineage.Checkpoint;

/// <summary>
/// Which lineage outputs to persist, in what order: the Edge algorithm of the Tachyon paper (Li et al., SoCC 2014,
/// §4.1). First the leaves of the lineage graph (outputs no other lineage reads), newest lineage first: they are
/// what applications read next and what a loss would otherwise cost most to rebuild. Then, walking the graph
/// from its roots, every output whose rebuild would run its own job and all the unpersisted jobs upstream of it
/// for longer than the bound: persisting it cuts the chain for everything downstream. Once the plan is done,
/// every output left only in memory can be rebuilt within <c>maxChainRecomputeTime</c> (as estimated from the
/// jobs' run times). Intermediate outputs within the bound are never persisted: lineage rebuilds them cheaply.
/// Pure: the master's <see cref="LineageCheckpointer"/> feeds it a snapshot and persists what it returns.
/// </summary>
public static class EdgeCheckpointPolicy
{
    public static IReadOnlyList<CheckpointChoice> Plan(
        IReadOnlyList<CheckpointNode> lineages,
        IReadOnlyDictionary<string, CheckpointFileState> files,
        TimeSpan maxChainRecomputeTime)
    {
        var producers = Producers(lineages);
        var consumed = lineages.SelectMany(l => l.Inputs).ToHashSet(StringComparer.Ordinal);
        var plan = new List<CheckpointChoice>();
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        bool InMemory(string path) => files.GetValueOrDefault(path, CheckpointFileState.NotReady) == CheckpointFileState.InMemory;

        foreach (var lineage in lineages.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.LineageId))
        {
            foreach (var output in lineage.Outputs)
            {
                if (!consumed.Contains(output) && InMemory(output) && chosen.Add(output))
                    plan.Add(new CheckpointChoice(output, lineage.LineageId, Leaf: true, RecomputeTime(lineage, producers, files, chosen)));
            }
        }
        foreach (var lineage in RootsFirst(lineages, producers))
        {
            var pending = lineage.Outputs.Where(o => InMemory(o) && !chosen.Contains(o)).ToList();
            if (pending.Count == 0) continue;
            var cost = RecomputeTime(lineage, producers, files, chosen);
            if (cost <= maxChainRecomputeTime) continue;
            foreach (var output in pending)
            {
                chosen.Add(output);
                plan.Add(new CheckpointChoice(output, lineage.LineageId, Leaf: false, cost));
            }
        }
        return plan;
    }

    /// <summary>
    /// How long rebuilding an output of <paramref name="lineage"/> takes when everything not persisted upstream is
    /// lost too: its job plus every distinct job upstream reached through an input that is neither persisted nor
    /// chosen for persisting (each run once, one after the other, inputs first).
    /// </summary>
    public static TimeSpan RecomputeTime(
        CheckpointNode lineage,
        IReadOnlyDictionary<string, CheckpointNode> producers,
        IReadOnlyDictionary<string, CheckpointFileState> files,
        IReadOnlySet<string> chosen)
    {
        var runs = new HashSet<long> { lineage.LineageId };
        var todo = new Stack<CheckpointNode>([lineage]);
        var total = TimeSpan.Zero;
        while (todo.TryPop(out var next))
        {
            total += next.RunTime;
            foreach (var input in next.Inputs)
            {
                if (!producers.TryGetValue(input, out var upstream) || chosen.Contains(input)) continue;
                if (files.GetValueOrDefault(input, CheckpointFileState.NotReady) == CheckpointFileState.Persisted) continue;
                if (runs.Add(upstream.LineageId)) todo.Push(upstream);
            }
        }
        return total;
    }

    /// <summary>The lineage that writes each output path.</summary>
    public static Dictionary<string, CheckpointNode> Producers(IReadOnlyList<CheckpointNode> lineages)
    {
        var producers = new Dictionary<string, CheckpointNode>(StringComparer.Ordinal);
        foreach (var lineage in lineages)
        {
            foreach (var output in lineage.Outputs) producers[output] = lineage;
        }
        return producers;
    }

    /// <summary>Every lineage after the lineages that write its inputs (depth-first, by id for a stable order).</summary>
    private static List<CheckpointNode> RootsFirst(IReadOnlyList<CheckpointNode> lineages, Dictionary<string, CheckpointNode> producers)
    {
        var ordered = new List<CheckpointNode>(lineages.Count);
        var visited = new HashSet<long>();
        foreach (var lineage in lineages.OrderBy(l => l.LineageId)) Visit(lineage);
        return ordered;

        void Visit(CheckpointNode lineage)
        {
            if (!visited.Add(lineage.LineageId)) return; // also stops a cycle, which CreateLineage refuses anyway
            foreach (var input in lineage.Inputs)
            {
                if (producers.TryGetValue(input, out var upstream)) Visit(upstream);
            }
            ordered.Add(lineage);
        }
    }
}
