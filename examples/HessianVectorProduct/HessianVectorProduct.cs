using Descent.Tensors;
using F = Descent.NN.Functional;

namespace Descent.Examples;

/// <summary>
/// The product of the Hessian of a network's loss with a vector, without forming the Hessian (Pearlmutter's trick):
/// H·v = ∇θ(∇θL · v), one backward pass over the graph of the gradient, recorded with <c>createGraph</c>.
/// </summary>
public static class HessianVectorProduct
{
    /// <summary>The parameter shapes of the 1-8-1 tanh network: hidden weight and bias, output weight and bias.</summary>
    public static readonly int[][] Shapes = [[8, 1], [8], [1, 8], [1]];

    /// <summary>Tensors of <see cref="Shapes"/> whose k-th value, counting through all of them, is <paramref name="value"/>(k).</summary>
    public static Tensor[] FromFormula(Func<int, double> value)
    {
        int k = 0;
        return [.. Shapes.Select(shape =>
        {
            var data = new double[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < data.Length; i++) data[i] = value(k++);
            return Tensor.FromArray(data, shape);
        })];
    }

    /// <summary>The network: F.linear(tanh(F.linear(x, w1, b1)), w2, b2).</summary>
    public static Tensor Net(Tensor x, Tensor[] p) => F.Linear(F.Linear(x, p[0], p[1]).Tanh(), p[2], p[3]);

    /// <summary>The loss at <paramref name="parameters"/>, its gradient and H·<paramref name="v"/>, all in float64.</summary>
    public static (double Loss, Tensor[] Grad, Tensor[] Hvp) Compute(Tensor[] parameters, Tensor[] v)
    {
        var x = Tensor.Linspace(-2, 2, 21, DType.Float64).Unsqueeze(1);   // 21 points, shape [21, 1]
        var y = x.Sin();
        var loss = F.MseLoss(Net(x, parameters), y);

        // The gradient, with the graph of its own computation...
        var grads = Torch.Autograd.Grad([loss], parameters, createGraph: true);
        // ...dotted with v and differentiated again: the Hessian-vector product.
        var dot = grads.Zip(v, (g, w) => g!.Mul(w).Sum()).Aggregate((a, b) => a.Add(b));
        var hvp = Torch.Autograd.Grad([dot], parameters);
        return (loss.Item(), [.. grads.Select(g => g!.Detach())], [.. hvp.Select(h => h!)]);
    }
}
