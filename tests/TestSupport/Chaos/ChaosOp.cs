namespace OrleansFs.TestSupport.Chaos;

public enum ChaosOp { Create, Write, Rename, Delete }
