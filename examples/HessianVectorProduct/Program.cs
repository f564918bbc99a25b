// A Hessian-vector product of a small network's loss with double backward: the gradient is computed with
// createGraph, so the gradient of (gradient · v) is H·v, at the cost of two backward passes and no Hessian.
using Descent.Examples;
using Descent.Tensors;

var parameters = HessianVectorProduct.FromFormula(k => 0.5 * Math.Sin(1.3 * k + 0.2));
foreach (var p in parameters) p.RequiresGrad_();
var v = HessianVectorProduct.FromFormula(k => Math.Cos(0.7 * k));

var (loss, grad, hvp) = HessianVectorProduct.Compute(parameters, v);
Console.WriteLine($"loss {loss:R}");
string[] names = ["hidden.weight", "hidden.bias", "predict.weight", "predict.bias"];
for (int i = 0; i < names.Length; i++)
{
    Console.WriteLine($"{names[i]}: grad {grad[i].Reshape(-1)}");
    Console.WriteLine($"{names[i]}: H·v  {hvp[i].Reshape(-1)}");
}

// H·v is linear in v: doubling v doubles it (up to rounding), a quick check that no Hessian was needed.
var (_, _, twice) = HessianVectorProduct.Compute(parameters, [.. v.Select(t => t.Mul(2.0))]);
double worst = hvp.Zip(twice, (a, b) => b.Sub(a.Mul(2.0)).Abs().Max().Item()).Max();
Console.WriteLine($"max |H·2v − 2·H·v| = {worst:0.00e+00}");
