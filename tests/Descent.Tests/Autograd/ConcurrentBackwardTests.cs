using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Autograd;

/// <summary>
/// Backward passes over one retained graph from several threads, and a pass started inside another: each pass
/// keeps its own bookkeeping, so every one gives the single-threaded result.
/// </summary>
public class ConcurrentBackwardTests
{
    private const int Rounds = 300;

    /// <summary>A small graph with shared subexpressions, so the counting of dependencies matters.</summary>
    private static (Tensor X, Tensor W, Tensor Loss) Graph()
    {
        var x = Tensor.FromArray([0.5, -1.0, 2.0, 0.25, -0.75, 1.5], 2, 3).RequiresGrad_();
        var w = Tensor.FromArray([1.0, -2.0, 0.5, 0.75, 1.25, -0.5], 3, 2).RequiresGrad_();
        var h = x.Matmul(w).Tanh();
        var loss = h.Mul(h.Exp()).Sum().Add(h.Softmax(1).Mul(h).Sum()).Add(x.Sin().Sum());
        return (x, w, loss);
    }

    [Fact]
    public void GradOnTwoThreadsOverOneRetainedGraph()
    {
        var (x, w, loss) = Graph();
        var expected = Torch.Autograd.Grad([loss], [x, w], retainGraph: true).Select(g => g!.ToArray<double>()).ToArray();
        var failures = new List<string>();
        using var start = new Barrier(2);
        void Run()
        {
            start.SignalAndWait();
            for (int i = 0; i < Rounds; i++)
            {
                var g = Torch.Autograd.Grad([loss], [x, w], retainGraph: true);
                for (int k = 0; k < 2; k++)
                    if (!g[k]!.ToArray<double>().AsSpan().SequenceEqual(expected[k]))
                        lock (failures) failures.Add($"round {i}, input {k}");
            }
        }
        OnTwoThreads(Run, failures);
        Assert.Empty(failures);
    }

    [Fact]
    public void BackwardOnTwoThreadsAccumulatesEveryPass()
    {
        var (x, w, loss) = Graph();
        var once = Torch.Autograd.Grad([loss], [w], retainGraph: true)[0]!.ToArray<double>();
        using var start = new Barrier(2);
        void Run()
        {
            start.SignalAndWait();
            for (int i = 0; i < Rounds; i++) loss.Backward(retainGraph: true);
        }
        var failures = new List<string>();
        OnTwoThreads(Run, failures);
        Assert.Empty(failures);
        // 2·Rounds passes each added the same gradient: the sum, up to the rounding of the additions.
        var total = w.Grad!.ToArray<double>();
        for (int j = 0; j < total.Length; j++) Assert.Equal(2 * Rounds * once[j], total[j], 1e-9 * Math.Abs(once[j]) * Rounds);
        Assert.NotNull(x.Grad);
    }

    /// <summary>Runs <paramref name="body"/> on two threads; an exception on either is recorded, not lost.</summary>
    private static void OnTwoThreads(Action body, List<string> failures)
    {
        void Guarded()
        {
            try { body(); }
            catch (Exception e) { lock (failures) failures.Add(e.Message); }
        }
        var threads = new[] { new Thread(Guarded), new Thread(Guarded) };
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
    }

    [Fact]
    public void APassStartedFromAHookOverTheSameGraph()
    {
        // The outer pass holds the graph's nodes; the inner one, from a hook, keeps its bookkeeping apart.
        var x = Tensor.FromArray([0.5, -1.0, 2.0]).RequiresGrad_();
        var h = x.Exp();
        var y = h.Mul(h).Sum();
        double[]? inner = null;
        bool entered = false;
        h.RegisterHook(g =>
        {
            // The inner pass reaches this hook too: only the outer call starts one.
            if (entered) return;
            entered = true;
            inner = Torch.Autograd.Grad([y], [x], retainGraph: true)[0]!.ToArray<double>();
        });
        long separate = Descent.Autograd.Engine.SeparatePasses;
        y.Backward(retainGraph: true);
        Assert.True(Descent.Autograd.Engine.SeparatePasses > separate);
        var outer = x.Grad!.ToArray<double>();
        Assert.NotNull(inner);
        Assert.Equal(outer, inner);
        for (int j = 0; j < 3; j++) Assert.Equal(2 * Math.Exp(2 * x.ToArray<double>()[j]), outer[j], 12);
    }

    [Fact]
    public void APlainBackwardStartedFromAHookOverTheSameGraph()
    {
        var x = Tensor.FromArray([0.5, -1.0]).RequiresGrad_();
        var h = x.Sin();
        var y = h.Mul(h).Sum();
        bool entered = false;
        h.RegisterHook(g =>
        {
            if (entered) return;
            entered = true;
            y.Backward(retainGraph: true);
        });
        long separate = Descent.Autograd.Engine.SeparatePasses;
        y.Backward(retainGraph: true);
        Assert.True(Descent.Autograd.Engine.SeparatePasses > separate);
        // Both passes accumulated: 2 · d/dx sin²x = 2 · sin 2x.
        var xs = x.ToArray<double>();
        for (int j = 0; j < 2; j++) Assert.Equal(2 * Math.Sin(2 * xs[j]), x.Grad!.ToArray<double>()[j], 14);
    }

    private static List<Descent.Autograd.Node> Nodes(Tensor root)
    {
        var seen = new List<Descent.Autograd.Node>();
        var stack = new Stack<Descent.Autograd.Node>([root.GradFn!]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (seen.Contains(n)) continue;
            seen.Add(n);
            foreach (var next in n.NextFunctions) if (next is not null) stack.Push(next);
        }
        return seen;
    }

    [Fact]
    public void AFailedPassGivesItsNodesBack()
    {
        // A hook that throws stops the pass halfway; the nodes it held are freed, so the next pass runs as usual.
        var x = Tensor.FromArray([0.5, -1.0]).RequiresGrad_();
        var h = x.Exp();
        var y = h.Mul(h).Sum();
        var handle = h.RegisterHook(g => throw new InvalidOperationException("stop"));
        Assert.Equal("stop", Assert.Throws<InvalidOperationException>(() => y.Backward(retainGraph: true)).Message);
        Assert.All(Nodes(y), n => Assert.Equal(0, n.Owner));
        handle.Remove();
        y.Backward(retainGraph: true);
        var g = Torch.Autograd.Grad([y], [x])[0]!.ToArray<double>();
        var xs = x.ToArray<double>();
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(2 * Math.Exp(2 * xs[j]), x.Grad!.ToArray<double>()[j], 12);
            Assert.Equal(2 * Math.Exp(2 * xs[j]), g[j], 12);
        }
    }
}
