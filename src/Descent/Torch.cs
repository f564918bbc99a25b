using Descent.Autograd;
using Descent.Tensors;

namespace Descent;

/// <summary>Process-wide entry points, like the <c>torch</c> module: seeding and grad mode.</summary>
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
}
