namespace OrleansFs.Master;

/// <summary>
/// The read side of the namespace on the client's gateway silo (a stateless worker, key 0): answers from this
/// silo's warm standby when it is at least at the client's position and can answer exactly as the master would,
/// otherwise from the master (as HDFS's observer NameNodes do). Every answer carries the position it reflects.
/// </summary>
public interface IMetadataReaderGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    Task<StatusRead> GetStatus(string path, ReadRequirement read);
    /// <summary>Several getStatus reads in one message, answered in order, each as <see cref="GetStatus"/> would.</summary>
    Task<StatusRead[]> GetStatuses(string[] paths, ReadRequirement read);
    Task<ListingRead> ListStatus(string path, bool recursive, ReadRequirement read);
    /// <summary>One page of a listing (as <see cref="IMasterGrain.ListStatusPage"/>), carrying the position it reflects.</summary>
    Task<OrleansFs.Files.ListingPage> ListStatusPage(string path, OrleansFs.Files.ListingRequest request, ReadRequirement read);
}
