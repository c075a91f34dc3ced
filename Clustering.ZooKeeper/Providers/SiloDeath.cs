using System.Net;
using Orleans.Runtime;

namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>A silo the membership table has just declared Dead, and the gateway endpoint it served clients on (null without one).</summary>
public sealed record SiloDeath(SiloAddress Silo, IPEndPoint? Gateway);
