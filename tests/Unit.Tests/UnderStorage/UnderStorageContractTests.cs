using System.Reflection;
using OrleansFs.Grains.UnderStorage;

namespace OrleansFs.Tests.UnderStorage;

/// <summary>
/// The under-storage may be a hung network mount and grains call it in their turns, so its contract stays
/// asynchronous: every method returns a task, and only properties may be synchronous.
/// </summary>
public sealed class UnderStorageContractTests
{
    private static readonly Type[] Awaitable = [typeof(Task), typeof(Task<>), typeof(ValueTask), typeof(ValueTask<>)];

    public static TheoryData<Type> Contracts => new() { typeof(IUnderStorage), typeof(IUnderStorageWriter) };

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Every_method_of_the_contract_returns_a_task(Type contract)
    {
        var synchronous = MethodsOf(contract)
            .Where(m => !m.IsSpecialName) // property accessors
            .Where(m => !IsAwaitable(m.ReturnType))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name} returns {m.ReturnType.Name}")
            .ToList();

        Assert.Empty(synchronous);
    }

    [Fact]
    public void The_check_sees_every_method_including_inherited_ones()
    {
        Assert.Contains(MethodsOf(typeof(IUnderStorageWriter)), m => m.Name == nameof(IAsyncDisposable.DisposeAsync));
        Assert.Contains(MethodsOf(typeof(IUnderStorage)), m => m.Name == nameof(IUnderStorage.ListAsync));
        Assert.False(IsAwaitable(typeof(Stream)));
        Assert.False(IsAwaitable(typeof(bool)));
        Assert.True(IsAwaitable(typeof(Task<IReadOnlyList<UnderStorageEntry>>)));
    }

    private static IEnumerable<MethodInfo> MethodsOf(Type contract) =>
        contract.GetInterfaces().Append(contract).SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance));

    private static bool IsAwaitable(Type type) =>
        Awaitable.Contains(type.IsGenericType ? type.GetGenericTypeDefinition() : type);
}
