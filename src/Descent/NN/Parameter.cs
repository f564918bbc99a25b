using Descent.Tensors;

namespace Descent.NN;

/// <summary>Creates module parameters: leaf tensors that require grad, like <c>nn.Parameter</c>.</summary>
public static class Parameter
{
    /// <summary>Marks <paramref name="data"/> (detached) as a parameter that requires grad.</summary>
    public static Tensor Create(Tensor data, bool requiresGrad = true)
    {
        var p = data.Detach();
        p.RequiresGrad = requiresGrad;
        return p;
    }
}
