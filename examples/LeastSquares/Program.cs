// Least squares in double precision with L-BFGS: the PyTorch program that fits y ≈ A·w with
// torch.optim.LBFGS(..., line_search_fn="strong_wolfe") on float64 tensors, line for line.
using Descent.Examples;

var (losses, w) = LeastSquares.Fit(steps: 6);
for (int s = 0; s < losses.Length; s++) Console.WriteLine($"step {s}  loss {losses[s]:R}");
Console.WriteLine($"w = {w}");
