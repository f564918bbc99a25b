using Descent.Autograd;
using Descent.Kernels;
using Descent.Tensors;

namespace Descent;

/// <summary>Process-wide entry points, like the <c>torch</c> module: seeding, grad mode and the thread count.</summary>
public static partial class Torch
{
    /// <summary>Seeds the default generator, like <c>torch.manual_seed</c>; returns it.</summary>
    public static Generator ManualSeed(long seed) => Generator.Default.ManualSeed(seed);

    /// <summary>
    /// Disables graph recording until disposed, like <c>with torch.no_grad():</c>.
    /// <code>using (Torch.NoGrad()) { ... }</code>
    /// </summary>
    public static GradMode.Scope NoGrad() => GradMode.Set(false);

    /// <summary>Enables graph recording until disposed, like <c>torch.enable_grad()</c>.</summary>
    public static GradMode.Scope EnableGrad() => GradMode.Set(true);

    /// <summary>
    /// The threads the parallel kernels use, the calling one included, like <c>torch.get_num_threads()</c>: one
    /// setting for the float32 GEMM (matmul, linear layers) and the optimizers' steps. All cores by default.
    /// </summary>
    public static int GetNumThreads() => WorkerPool.NumThreads;

    /// <summary>
    /// Sets the threads the parallel kernels use, like <c>torch.set_num_threads(n)</c>; 1 runs everything on the
    /// calling thread. Results are the same bits at every thread count. Process-wide.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="n"/> is below 1 (PyTorch's message).</exception>
    public static void SetNumThreads(int n)
    {
        if (n < 1) throw new ArgumentException("set_num_threads expects a positive integer");
        WorkerPool.NumThreads = n;
    }
}
