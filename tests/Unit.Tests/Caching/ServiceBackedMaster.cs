using System.Reflection;
using OrleansFs.Grains.Master;
using OrleansFs.Master;

namespace OrleansFs.Tests.Caching;

/// <summary>An <see cref="IMasterGrain"/> answered by a real <see cref="MasterService"/>, counting the calls by method.</summary>
public class ServiceBackedMaster : DispatchProxy
{
    private MasterService _service = null!;
    private readonly Dictionary<string, int> _calls = [];

    public static (IMasterGrain Grain, ServiceBackedMaster Master) Over(MasterService service)
    {
        var grain = Create<IMasterGrain, ServiceBackedMaster>();
        var master = (ServiceBackedMaster)(object)grain;
        master._service = service;
        return (grain, master);
    }

    public int Calls(string method)
    {
        lock (_calls) return _calls.GetValueOrDefault(method);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        lock (_calls) _calls[method!.Name] = _calls.GetValueOrDefault(method.Name) + 1;
        var target = typeof(MasterService).GetMethod(method.Name, method.GetParameters().Select(p => p.ParameterType).ToArray())
            ?? throw new NotSupportedException($"{method.Name} is not served");
        object? result;
        try
        {
            result = target.Invoke(_service, args);
        }
        catch (TargetInvocationException e)
        {
            return FromException(method.ReturnType, e.InnerException!);
        }
        if (result is Task) return result;
        var fromResult = typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]);
        return fromResult.Invoke(null, [result]);
    }

    private static object FromException(Type taskType, Exception error)
    {
        if (!taskType.IsGenericType) return Task.FromException(error);
        var fromException = typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod)
            .MakeGenericMethod(taskType.GetGenericArguments()[0]);
        return fromException.Invoke(null, [error])!;
    }
}
