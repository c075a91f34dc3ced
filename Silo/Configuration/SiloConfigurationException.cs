namespace OrleansFs.Silo.Configuration;

/// <summary>The configuration cannot start a silo; the message is the one line the operator sees.</summary>
public sealed class SiloConfigurationException(string message) : Exception(message);
