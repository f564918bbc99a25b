using Descent.Autograd;
using Descent.Tensors;

namespace Descent.Tests.Support;

/// <summary>x³ with its backward in tensor ops (3x²·g), so it can be differentiated twice.</summary>
public sealed class Cube : Function
{
    protected override Tensor Forward(FunctionCtx ctx, Tensor[] inputs)
    {
        ctx.SaveForBackward(inputs[0]);
        return inputs[0].Pow(3.0);
    }

    protected override Tensor?[] Backward(FunctionCtx ctx, Tensor gradOutput)
    {
        var x = ctx.SavedTensors[0]!;
        return [gradOutput.Mul(x.Mul(x)).Mul(3.0)];
    }
}

/// <summary>(sin x · s, cos x) for a scale s kept on the context; two outputs, a backward in tensor ops.</summary>
public sealed class ScaledSinCos(double scale) : MultiOutputFunction
{
    protected override Tensor[] Forward(FunctionCtx ctx, Tensor[] inputs)
    {
        ctx.SaveForBackward(inputs[0]);
        ctx["scale"] = scale;
        return [inputs[0].Sin().Mul(scale), inputs[0].Cos()];
    }

    protected override Tensor?[] Backward(FunctionCtx ctx, Tensor?[] gradOutputs)
    {
        var x = ctx.SavedTensors[0]!;
        var s = (double)ctx["scale"]!;
        return [gradOutputs[0]!.Mul(x.Cos()).Mul(s).Sub(gradOutputs[1]!.Mul(x.Sin()))];
    }
}
