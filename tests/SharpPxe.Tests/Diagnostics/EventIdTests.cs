using System.Reflection;
using Microsoft.Extensions.Logging;
using SharpPxe.Diagnostics;

namespace SharpPxe.Tests.Diagnostics;

public class EventIdTests
{
    private static IEnumerable<(MethodInfo Method, LoggerMessageAttribute Attribute)> AllLoggerMessages()
    {
        Assembly[] assemblies = [typeof(EventIdBlocks).Assembly, typeof(SharpPxe.Cli.SharpPxeCli).Assembly];
        return assemblies.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public
                | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => (p.Method, p.Attribute!));
    }

    [Fact]
    public void LoggerMessages_Exist()
    {
        Assert.NotEmpty(AllLoggerMessages());
    }

    [Fact]
    public void EventIds_AreUniqueAcrossTheProgram()
    {
        var duplicates = AllLoggerMessages().GroupBy(p => p.Attribute.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: "
                + string.Join(", ", g.Select(p => p.Method.DeclaringType!.Name + "." + p.Method.Name)))
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void EventNames_AreUniqueAndPresent()
    {
        var messages = AllLoggerMessages().ToList();

        Assert.All(messages, p => Assert.False(string.IsNullOrEmpty(p.Attribute.EventName), p.Method.Name));
        Assert.Equal(messages.Count, messages.Select(p => p.Attribute.EventName).Distinct().Count());
    }

    [Fact]
    public void EventIds_LieInTheirComponentsBlock()
    {
        foreach ((MethodInfo method, LoggerMessageAttribute attribute) in AllLoggerMessages())
        {
            string ns = method.DeclaringType!.Namespace!;
            string component = string.Join('.', ns.Split('.').Take(2));
            int? block = EventIdBlocks.ForNamespace(component);
            Assert.True(block is not null, $"{ns} has no event id block");
            Assert.InRange(attribute.EventId, block!.Value + 1, block.Value + EventIdBlocks.Size - 1);
        }
    }
}
