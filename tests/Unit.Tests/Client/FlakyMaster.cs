using System.Reflection;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.Master;

namespace OrleansFs.Tests.Client;

/// <summary>
/// A master that fails its first <see cref="Failures"/> calls with <see cref="Failure"/> and records every call it
/// gets (method and request id), so a test can see what the client sent on each attempt.
/// </summary>
public class FlakyMaster : DispatchProxy
{
    public int Failures { get; set; }
    public Exception Failure { get; set; } = new SiloUnavailableException("the master's silo died");
    public List<(string Method, Guid? RequestId)> Calls { get; } = [];

    public static (IMasterGrain Grain, FlakyMaster Master) Create(int failures)
    {
        var grain = Create<IMasterGrain, FlakyMaster>();
        var master = (FlakyMaster)(object)grain;
        master.Failures = failures;
        return (grain, master);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        lock (Calls) Calls.Add((method!.Name, args?.OfType<Guid>().Cast<Guid?>().LastOrDefault()));
        var result = method.ReturnType.GetGenericArguments().FirstOrDefault();
        bool fail = Calls.Count <= Failures;
        if (result is null) return fail ? Task.FromException(Failure) : Task.CompletedTask;
        var answer = typeof(FlakyMaster).GetMethod(nameof(Answer), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(result);
        return answer.Invoke(null, [fail ? Failure : null, args]);
    }

    private static Task<T> Answer<T>(Exception? failure, object?[]? args)
    {
        if (failure is not null) return Task.FromException<T>(failure);
        if (typeof(T) == typeof(LineageInfo)) return Task.FromResult((T)(object)new LineageInfo { Id = 7 });
        if (typeof(T) == typeof(JournalPosition)) return Task.FromResult((T)(object)new JournalPosition(1, 1));
        if (typeof(T) == typeof(MasterInfo)) return Task.FromResult((T)(object)new MasterInfo { Epoch = 1, JournalSequence = 1 });
        object status = new FileStatus { Path = args?.FirstOrDefault() as string ?? "/", BlockSizeBytes = 1 << 20, Completed = true };
        return Task.FromResult((T)status);
    }
}

/// <summary>A grain factory whose only grain is the master.</summary>
public class MasterOnlyGrainFactory : DispatchProxy
{
    public IMasterGrain? Master { get; set; }

    public static IGrainFactory Over(IMasterGrain master)
    {
        var factory = Create<IGrainFactory, MasterOnlyGrainFactory>();
        ((MasterOnlyGrainFactory)(object)factory).Master = master;
        return factory;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        var grain = method!.Name == nameof(IGrainFactory.GetGrain) && method.IsGenericMethod ? method.GetGenericArguments()[0] : null;
        if (grain == typeof(IMasterGrain)) return Master;
        if (grain == typeof(IMetadataReaderGrain)) return new MasterReader(Master!);
        throw new NotSupportedException($"{method.Name} is not faked");
    }
}

/// <summary>The gateway's reader with no standby: every read goes to the (fake) master.</summary>
public sealed class MasterReader(IMasterGrain master) : IMetadataReaderGrain
{
    public async Task<StatusRead> GetStatus(string path, ReadRequirement read) => new(await master.GetStatus(path), default);

    public async Task<StatusRead[]> GetStatuses(string[] paths, ReadRequirement read)
    {
        var answers = new StatusRead[paths.Length];
        for (int i = 0; i < paths.Length; i++) answers[i] = await GetStatus(paths[i], read);
        return answers;
    }

    public async Task<ListingRead> ListStatus(string path, bool recursive, ReadRequirement read) =>
        new(await master.ListStatus(path, recursive), default);

    public Task<ListingPage> ListStatusPage(string path, ListingRequest request, ReadRequirement read) => master.ListStatusPage(path, request);
}
