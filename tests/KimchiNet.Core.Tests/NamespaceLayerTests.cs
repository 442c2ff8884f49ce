using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using KimchiNet.Model;

namespace KimchiNet.Core.Tests;

/// <summary>
/// The core's namespaces form layers, each using only those below it, with no cycle:
/// Errors, Model and Transactions (used by all) → Interop (the P/Invoke declarations) → Libvirt (the binding) →
/// Xml, Validation, Planning, Hosts → Operations. Every dependency the compiled core has (signatures,
/// base types, and every type and member its method bodies touch, lambdas included) is checked.
/// </summary>
public sealed class NamespaceLayerTests
{
    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        ["Errors"] = 0,
        ["Model"] = 0,
        ["Transactions"] = 0,
        ["Interop"] = 1,
        ["Libvirt"] = 2,
        ["Xml"] = 3,
        ["Validation"] = 3,
        ["Planning"] = 3,
        ["Hosts"] = 3,
        ["Operations"] = 4,
    };

    /// <summary>
    /// The root namespace holds two layers: the error types and message text of src/KimchiNet.Core/Errors
    /// (used by all), and the P/Invoke class Interop with its handles (src/KimchiNet.Core/Interop).
    /// </summary>
    private static readonly HashSet<Type> ErrorTypes = [typeof(ErrorCodes), typeof(ErrorKind), typeof(KimchiException), typeof(ValidationError), typeof(DisplayText)];

    private static readonly Lazy<IReadOnlyDictionary<(string From, string To), string>> Dependencies = new(Collect);

    [Fact]
    public void CoreNamespaces_EveryOne_ShouldHaveALayer()
    {
        var unknown = CoreTypes().Select(Layer).Where(l => l is not null && !Rank.ContainsKey(l)).Distinct().ToArray();

        Assert.Empty(unknown);
    }

    [Fact]
    public void CoreNamespaces_Dependencies_ShouldPointDownOrSideways()
    {
        // Guard: a walk that found nothing would pass for the wrong reason.
        Assert.Contains(("Operations", "Libvirt"), Dependencies.Value.Keys);
        Assert.Contains(("Libvirt", "Interop"), Dependencies.Value.Keys);

        var upward = Dependencies.Value
            .Where(d => Rank[d.Key.To] > Rank[d.Key.From])
            .Select(d => $"{d.Key.From} uses {d.Key.To} ({d.Value})")
            .ToArray();

        Assert.True(upward.Length == 0, "Dependencies that point up:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void CoreNamespaces_Dependencies_ShouldHaveNoCycle()
    {
        var edges = Dependencies.Value.Keys.ToLookup(d => d.From, d => d.To);
        var cycles = new List<string>();
        foreach (var start in Rank.Keys)
        {
            // A path back to start through the graph is a cycle; a breadth-first walk finds the shortest.
            var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
            var queue = new Queue<string>(edges[start].Where(n => n != start));
            foreach (var next in queue)
            {
                cameFrom[next] = start;
            }

            while (queue.Count > 0)
            {
                var at = queue.Dequeue();
                if (edges[at].Contains(start))
                {
                    var path = new List<string> { start };
                    for (var step = at; step != start; step = cameFrom[step])
                    {
                        path.Insert(1, step);
                    }

                    cycles.Add(string.Join(" → ", path.Append(start)) + $" ({Dependencies.Value[(at, start)]})");
                    break;
                }

                foreach (var next in edges[at].Where(n => n != start && !cameFrom.ContainsKey(n)))
                {
                    cameFrom[next] = at;
                    queue.Enqueue(next);
                }
            }
        }

        Assert.True(cycles.Count == 0, "Cycles:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void Layer_InteropTypeAndErrorType_ShouldDiffer()
    {
        var interop = CoreTypes().First(t => t.Name == "Interop" && t.DeclaringType is null);
        var handle = CoreTypes().First(t => t.Name == "NetworkHandle");

        Assert.Equal("Interop", Layer(interop));
        Assert.Equal("Interop", Layer(handle));
        Assert.Equal("Errors", Layer(typeof(KimchiException)));
        Assert.Equal("Model", Layer(typeof(NetworkSpec)));
    }

    private static Type[] CoreTypes() => typeof(NetworkSpec).Assembly.GetTypes();

    /// <summary>The layer of a core type: its namespace's last part; in the root namespace, Interop for the P/Invoke class, else Errors.</summary>
    private static string? Layer(Type type)
    {
        if (type.HasElementType)
        {
            // an array, pointer or by-ref parameter is in its element type's layer
            return Layer(type.GetElementType()!);
        }

        var outer = type;
        while (outer.DeclaringType is not null)
        {
            outer = outer.DeclaringType;
        }

        if (outer.Assembly != typeof(NetworkSpec).Assembly || outer.Namespace is null || !(outer.Namespace == "KimchiNet" || outer.Namespace.StartsWith("KimchiNet.", StringComparison.Ordinal)))
        {
            return null;
        }

        if (outer.Namespace == "KimchiNet")
        {
            return ErrorTypes.Contains(outer) ? "Errors" : "Interop";
        }

        return outer.Namespace["KimchiNet.".Length..].Split('.')[0];
    }

    /// <summary>Each (from, to) layer pair the core uses, with one example of it.</summary>
    private static IReadOnlyDictionary<(string From, string To), string> Collect()
    {
        var found = new Dictionary<(string, string), string>();
        foreach (var type in CoreTypes())
        {
            var from = Layer(type);
            if (from is null)
            {
                continue;
            }

            foreach (var (used, where) in Uses(type))
            {
                foreach (var part in Expand(used))
                {
                    if (Layer(part) is { } to && to != from)
                    {
                        found.TryAdd((from, to), $"{type.FullName} {where} {part.FullName}");
                    }
                }
            }
        }

        return found;
    }

    /// <summary>A type with its element type and generic arguments.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return inner;
            }
        }
    }

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<(Type Used, string Where)> Uses(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return (baseType, "derives from");
        }

        foreach (var contract in type.GetInterfaces())
        {
            yield return (contract, "implements");
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return (field.FieldType, $"field {field.Name} is");
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo { ReturnType: var returns })
            {
                yield return (returns, $"{method.Name} returns");
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return (parameter.ParameterType, $"{method.Name} takes");
            }

            foreach (var used in BodyUses(method))
            {
                yield return (used, $"{method.Name} uses");
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The types a method body names: each token of a call, field access, new, cast or ldtoken.</summary>
    private static IEnumerable<Type> BodyUses(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            var code = OpCodesByValue[value];
            at += code.Size;
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, at);
                MemberInfo? member;
                try
                {
                    member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    member = null;
                }

                if (member is Type named)
                {
                    yield return named;
                }
                else if (member?.DeclaringType is { } owner)
                {
                    yield return owner;
                    if (member is FieldInfo field)
                    {
                        yield return field.FieldType;
                    }
                }
            }

            at += OperandSize(code, il, at);
        }
    }

    private static int OperandSize(OpCode code, byte[] il, int at) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
