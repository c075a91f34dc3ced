namespace OrleansFs.Tests.Lineage;

/// <summary>Two silos, so the master and its lineage records can move to the survivor.</summary>
public sealed class TwoSiloLineageClusterFixture() : LineageClusterFixture(2);
