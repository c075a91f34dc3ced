namespace OrleansFs.Tests.Master;

/// <summary>Two silos, so the master can move to the survivor when its silo stops.</summary>
public sealed class TwoSiloMasterClusterFixture() : MasterClusterFixture(2);
