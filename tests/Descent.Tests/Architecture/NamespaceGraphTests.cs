using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Architecture;

/// <summary>
/// The core library's namespaces depend on each other one way: Tensors and Autograd at the bottom (their mutual
/// dependency is inherent, as in PyTorch), then NN, Optim, Data, Serialization, and the <c>Torch</c> facade on top.
/// Read from the compiled assembly — every type a type's signatures, fields, attributes and method bodies name —
/// so a dependency through a parent namespace's implicit scope counts too.
/// </summary>
public class NamespaceGraphTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> AllowedCycle = ["Descent.Tensors", "Descent.Autograd"];

    [Fact]
    public void CoreNamespacesHaveNoCycleButTensorsAndAutograd()
    {
        var graph = Graph(Path.Combine(AppContext.BaseDirectory, "Descent.dll"));
        foreach (var (from, to) in graph.OrderBy(e => e.Key)) output.WriteLine($"{from} -> {string.Join(", ", to.Order())}");
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToList();
        foreach (var c in cycles) output.WriteLine("cycle: " + string.Join(" <-> ", c.Order()));
        var bad = cycles.Where(c => !c.SetEquals(AllowedCycle)).Select(c => string.Join(" <-> ", c.Order())).ToList();
        Assert.True(bad.Count == 0, "namespace cycles: " + string.Join("; ", bad) + "\n" + Explain(graph, bad.Count == 0 ? [] : cycles[0]));
    }

    [Fact]
    public void TheCheckFindsACycle()
    {
        // The checker itself: a graph with a cycle through three nodes is reported as one component.
        var g = new Dictionary<string, HashSet<string>> { ["a"] = ["b"], ["b"] = ["c"], ["c"] = ["a"], ["d"] = ["a"] };
        var comps = StronglyConnected(g).Where(c => c.Count > 1).ToList();
        Assert.Single(comps);
        Assert.True(comps[0].SetEquals(["a", "b", "c"]));
    }

    [Fact]
    public void CoreAssemblyHasNoPlottingOrHtml()
    {
        var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Descent.dll"));
        Assert.DoesNotContain(module.Types, t => t.Namespace.StartsWith("Descent.Plotting", StringComparison.Ordinal) || t.Name.Contains("Html", StringComparison.Ordinal));
    }

    /// <summary>Namespace → the namespaces of this assembly its types use.</summary>
    internal static Dictionary<string, HashSet<string>> Graph(string path)
    {
        var module = ModuleDefinition.ReadModule(path);
        var own = new HashSet<string>(module.Types.Select(t => t.Namespace).Where(n => n.Length > 0));
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var type in module.GetTypes())
        {
            string from = NamespaceOf(type);
            if (!own.Contains(from)) continue;
            var to = graph.TryGetValue(from, out var set) ? set : graph[from] = [];
            void Add(TypeReference? t)
            {
                while (t is TypeSpecification spec)
                {
                    if (t is GenericInstanceType git) foreach (var a in git.GenericArguments) Add(a);
                    t = spec.ElementType;
                }
                if (t is null || t.Scope != module && t.Module != module) return;
                if (t.Scope is AssemblyNameReference) return;
                string ns = NamespaceOf(t);
                if (ns != from && own.Contains(ns)) to.Add(ns);
            }
            Add(type.BaseType);
            foreach (var i in type.Interfaces) Add(i.InterfaceType);
            foreach (var f in type.Fields) Add(f.FieldType);
            foreach (var p in type.Properties) Add(p.PropertyType);
            foreach (var m in type.Methods)
            {
                Add(m.ReturnType);
                foreach (var p in m.Parameters) Add(p.ParameterType);
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Add(v.VariableType);
                foreach (var ins in m.Body.Instructions)
                    switch (ins.Operand)
                    {
                        case TypeReference t: Add(t); break;
                        case MethodReference mr:
                            Add(mr.DeclaringType);
                            if (mr is GenericInstanceMethod gim) foreach (var a in gim.GenericArguments) Add(a);
                            break;
                        case FieldReference fr: Add(fr.DeclaringType); break;
                    }
            }
        }
        return graph;
    }

    /// <summary>A nested type belongs to its outermost declaring type's namespace.</summary>
    private static string NamespaceOf(TypeReference t)
    {
        while (t.DeclaringType is not null) t = t.DeclaringType;
        return t.Namespace;
    }

    /// <summary>Tarjan's strongly connected components, iteratively.</summary>
    internal static List<HashSet<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var nodes = graph.Keys.Concat(graph.Values.SelectMany(v => v)).Distinct().Order().ToList();
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var onStack = new HashSet<string>();
        var stack = new Stack<string>();
        var result = new List<HashSet<string>>();
        int counter = 0;
        foreach (var root in nodes)
        {
            if (index.ContainsKey(root)) continue;
            var work = new Stack<(string Node, IEnumerator<string> Next)>();
            void Enter(string n)
            {
                index[n] = low[n] = counter++;
                stack.Push(n);
                onStack.Add(n);
                work.Push((n, (graph.TryGetValue(n, out var s) ? s.Order().ToList() : []).GetEnumerator()));
            }
            Enter(root);
            while (work.Count > 0)
            {
                var (n, next) = work.Peek();
                if (next.MoveNext())
                {
                    var m = next.Current;
                    if (!index.TryGetValue(m, out int mIndex)) Enter(m);
                    else if (onStack.Contains(m)) low[n] = Math.Min(low[n], mIndex);
                    continue;
                }
                work.Pop();
                if (work.Count > 0) low[work.Peek().Node] = Math.Min(low[work.Peek().Node], low[n]);
                if (low[n] != index[n]) continue;
                var comp = new HashSet<string>();
                string x;
                do { x = stack.Pop(); onStack.Remove(x); comp.Add(x); } while (x != n);
                result.Add(comp);
            }
        }
        return result;
    }

    /// <summary>For a failure message: which types make each edge inside a cycle.</summary>
    private static string Explain(Dictionary<string, HashSet<string>> graph, HashSet<string> cycle) =>
        string.Join("\n", cycle.SelectMany(a => graph.GetValueOrDefault(a, []).Where(cycle.Contains).Select(b => $"  {a} -> {b}")));
}
