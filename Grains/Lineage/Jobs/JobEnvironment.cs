using Microsoft.Extensions.Options;
using OrleansFs.Grains.Hosting;

namespace OrleansFs.Grains.Lineage.Jobs;

/// <summary>
/// The environment a command-line job gets on top of the silo's: how `ofs` or the client library finds the cluster
/// (`OFS_ZOOKEEPER` with ZooKeeper membership, else `OFS_GATEWAY` listing every active gateway; the other kinds
/// removed, as `ofs` would prefer them), and the lineage's id, run, inputs and outputs.
/// </summary>
public sealed class JobEnvironment(IGrainFactory grains, IOptions<OrleansFsClusterOptions> cluster, IOptions<ZooKeeperOptions> zooKeeper)
{
    public const string GatewayVariable = "OFS_GATEWAY";
    public const string ZooKeeperVariable = "OFS_ZOOKEEPER";
    public const string ZooKeeperAuthVariable = "OFS_ZOOKEEPER_AUTH";
    public const string PostgreSqlVariable = "OFS_POSTGRES";
    public const string IdVariable = "OFS_LINEAGE_ID";
    public const string RunVariable = "OFS_LINEAGE_RUN";
    public const string AttemptVariable = "OFS_LINEAGE_ATTEMPT";
    /// <summary>The input paths, one a line (a path holds no control character).</summary>
    public const string InputsVariable = "OFS_LINEAGE_INPUTS";
    public const string OutputsVariable = "OFS_LINEAGE_OUTPUTS";
    /// <summary>Each path alone too: OFS_LINEAGE_INPUT_1, OFS_LINEAGE_INPUT_2 ... (and _OUTPUT_).</summary>
    public const string InputPrefix = "OFS_LINEAGE_INPUT_";
    public const string OutputPrefix = "OFS_LINEAGE_OUTPUT_";

    public async Task<Dictionary<string, string?>> BuildAsync(long lineageId, int runId, int attempt,
        IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        var variables = new Dictionary<string, string?>
        {
            [GatewayVariable] = null,
            [ZooKeeperVariable] = null,
            [ZooKeeperAuthVariable] = null,
            [PostgreSqlVariable] = null,
        };
        var zk = zooKeeper.Value;
        if (cluster.Value.ParsedMembership == MembershipKind.ZooKeeper && !string.IsNullOrWhiteSpace(zk.ConnectionString))
        {
            variables[ZooKeeperVariable] = zk.ConnectionString;
            // Only when the membership nodes are not readable without it.
            if (!zk.WorldReadable && !string.IsNullOrEmpty(zk.Auth)) variables[ZooKeeperAuthVariable] = zk.Auth;
        }
        else
        {
            variables[GatewayVariable] = string.Join(",", await GatewaysAsync());
        }
        return Add(variables, lineageId, runId, attempt, inputs, outputs);
    }

    /// <summary>The lineage's own variables, added to <paramref name="variables"/>.</summary>
    public static Dictionary<string, string?> Add(Dictionary<string, string?> variables, long lineageId, int runId, int attempt,
        IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        variables[IdVariable] = lineageId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        variables[RunVariable] = runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        variables[AttemptVariable] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        variables[InputsVariable] = string.Join('\n', inputs);
        variables[OutputsVariable] = string.Join('\n', outputs);
        for (int i = 0; i < inputs.Count; i++) variables[$"{InputPrefix}{i + 1}"] = inputs[i];
        for (int i = 0; i < outputs.Count; i++) variables[$"{OutputPrefix}{i + 1}"] = outputs[i];
        return variables;
    }

    private async Task<IEnumerable<string>> GatewaysAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        return hosts.Where(h => h.ProxyPort > 0).Select(h => $"{h.SiloAddress.Endpoint.Address}:{h.ProxyPort}");
    }
}
