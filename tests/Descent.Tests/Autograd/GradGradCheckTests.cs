using Descent.Autograd;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Autograd;

/// <summary>
/// Second derivatives: <see cref="GradCheck.GradGradCheck"/> (PyTorch's gradgradcheck) on every case of
/// <see cref="GradCases"/>, and a check that every kind of node the library records is reached by one of them, so
/// a new op cannot arrive without a double-backward test.
/// </summary>
public class GradGradCheckTests
{
    public static IEnumerable<object[]> CaseNames() => GradCases.All.Keys.Select(k => new object[] { k });

    private static Tensor[] Inputs(string name, GradCase c)
    {
        var inputs = c.Inputs(new Random(name.Aggregate(17, (h, ch) => h * 31 + ch)));
        foreach (var x in inputs) if (x.DType == DType.Float64) x.RequiresGrad = true;
        return inputs;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void SecondDerivativeMatchesFiniteDifferences(string name)
    {
        var c = GradCases.All[name];
        var inputs = Inputs(name, c);
        // A float32 result quantises the first derivative too (see GradCheckTests): a wider step and tolerance.
        if (c.Op == "to_float32") GradCheck.GradGradCheck(c.Run, inputs, name, eps: 1e-3, rtol: 1e-2, atol: 1e-3);
        else GradCheck.GradGradCheck(c.Run, inputs, name);
    }

    /// <summary>Node types that are no op's backward, with the test that covers each.</summary>
    private static readonly Dictionary<Type, string> CoveredElsewhere = new()
    {
    };

    [Fact]
    public void EveryNodeTypeHasAGradGradCheckCase()
    {
        var seen = new HashSet<Type>();
        foreach (var (name, c) in GradCases.All)
        {
            var inputs = Inputs(name, c);
            var outputs = c.Run(inputs).Where(o => o.RequiresGrad).ToArray();
            Collect(outputs, seen);
            var wrt = inputs.Where(x => x.RequiresGrad).ToArray();
            var seeds = outputs.Select(o => Tensor.OnesLike(o).RequiresGrad_()).ToArray();
            // The first derivative's own graph holds the nodes of the backward formulas' ops.
            var grads = Torch.Autograd.Grad(outputs, wrt, seeds, createGraph: true, allowUnused: true);
            Collect(grads.Where(g => g is not null && g.RequiresGrad).ToArray()!, seen);
        }
        var nodeTypes = typeof(Node).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Node)) && !t.IsAbstract).ToList();
        Assert.True(nodeTypes.Count > 40, $"only {nodeTypes.Count} node types found");
        var missing = nodeTypes.Where(t => !seen.Contains(t) && !CoveredElsewhere.ContainsKey(t)).Select(t => t.Name).Order().ToList();
        Assert.True(missing.Count == 0, "node types without a gradgradcheck case: " + string.Join(", ", missing));
    }

    private static void Collect(Tensor[] roots, HashSet<Type> seen)
    {
        var stack = new Stack<Node>(roots.Select(r => r.GradFn).OfType<Node>());
        var visited = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!visited.Add(n)) continue;
            seen.Add(n.GetType());
            foreach (var next in n.NextFunctions) if (next is not null) stack.Push(next);
        }
    }
}
