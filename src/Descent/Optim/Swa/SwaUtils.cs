using Descent.Autograd;
using Descent.NN;
using Descent.Tensors;
using Descent.Text;

namespace Descent.Optim.Swa;

/// <summary>
/// Averages <see cref="AveragedModel"/> applies to one parameter at a time: given the averaged value, the model's
/// current value and the number of models averaged so far (an int64 0-d tensor), returns the new average.
/// </summary>
public delegate Tensor AvgFn(Tensor averaged, Tensor current, Tensor numAveraged);

/// <summary>
/// Averages <see cref="AveragedModel"/> applies to all parameters of one dtype at once, in place: the averaged
/// tensors, the model's tensors (same order) and the number of models averaged so far.
/// </summary>
public delegate void MultiAvgFn(IReadOnlyList<Tensor> averaged, IReadOnlyList<Tensor> current, Tensor numAveraged);

/// <summary>
/// The functions of <c>torch.optim.swa_utils</c>: averaging rules for <see cref="AveragedModel"/> and
/// <c>UpdateBn</c>.
/// </summary>
public static class SwaUtils
{
    private static void CheckDecay(double decay)
    {
        if (decay < 0.0 || decay > 1.0)
            throw new ArgumentException($"Invalid decay value {PyRepr.Float(decay)} provided. Please provide a value in [0,1] range.");
    }

    /// <summary>
    /// Exponential moving average over all parameters in place, like <c>get_ema_multi_avg_fn</c>:
    /// <c>ema ← lerp(ema, p, 1 − decay)</c> (integer tensors: <c>ema·decay + p·(1 − decay)</c>). Default decay 0.999.
    /// </summary>
    public static MultiAvgFn GetEmaMultiAvgFn(double decay = 0.999)
    {
        CheckDecay(decay);
        return (averaged, current, _) =>
        {
            if (averaged.Count == 0) return;
            bool floating = averaged[0].DType.IsFloatingPoint();
            for (int i = 0; i < averaged.Count; i++)
            {
                if (floating) AvgKernels.Lerp_(averaged[i], current[i], 1 - decay);
                else AvgKernels.Blend_(averaged[i], current[i], decay);
            }
        };
    }

    /// <summary>
    /// Equal-weight running mean over all parameters in place, like <c>get_swa_multi_avg_fn</c>:
    /// <c>avg ← lerp(avg, p, 1/(n + 1))</c> (integer tensors: <c>avg + (p − avg)/(n + 1)</c>).
    /// </summary>
    public static MultiAvgFn GetSwaMultiAvgFn() => (averaged, current, numAveraged) =>
    {
        if (averaged.Count == 0) return;
        long n = (long)numAveraged.Item();
        bool floating = averaged[0].DType.IsFloatingPoint();
        // PyTorch passes 1 / (num_averaged + 1), a float32 0-d tensor, as the lerp weight.
        double weight = 1f / (float)(n + 1);
        for (int i = 0; i < averaged.Count; i++)
        {
            if (floating) AvgKernels.Lerp_(averaged[i], current[i], weight);
            else AvgKernels.RunningMean_(averaged[i], current[i], n);
        }
    };

    /// <summary>Exponential moving average of one parameter, like <c>get_ema_avg_fn</c>: <c>decay·ema + (1 − decay)·p</c>. Default decay 0.999.</summary>
    public static AvgFn GetEmaAvgFn(double decay = 0.999)
    {
        CheckDecay(decay);
        return (ema, current, _) =>
        {
            using (GradMode.Set(false)) return ema.Mul(decay).Add(current.Mul(1 - decay));
        };
    }

    /// <summary>Equal-weight running mean of one parameter, like <c>get_swa_avg_fn</c>: <c>avg + (p − avg)/(n + 1)</c>.</summary>
    public static AvgFn GetSwaAvgFn() => (averaged, current, numAveraged) =>
    {
        var r = averaged.Contiguous().Clone();
        AvgKernels.RunningMean_(r, current, (long)numAveraged.Item());
        return r;
    };

    /// <summary>
    /// Recomputes batch-norm running statistics with one pass over <paramref name="loader"/>, like
    /// <c>update_bn</c>: every module implementing <see cref="IBatchNormStats"/> resets its statistics and
    /// switches to a cumulative average (momentum None); the model runs in training mode on each batch's first
    /// tensor; momenta and the training flag are then restored. A model without such modules is left untouched
    /// and the loader is not read.
    /// </summary>
    public static void UpdateBn(IEnumerable<Tensor[]> loader, Module model) =>
        UpdateBnCore(loader?.Select(b => b is { Length: > 0 } ? b[0] : throw new ArgumentException("update_bn needs batches with at least one tensor")), model);

    /// <summary><see cref="UpdateBn(IEnumerable{Tensor[]}, Module)"/> for a loader yielding input tensors.</summary>
    public static void UpdateBn(IEnumerable<Tensor> loader, Module model) => UpdateBnCore(loader, model);

    private static void UpdateBnCore(IEnumerable<Tensor>? inputs, Module model)
    {
        ArgumentNullException.ThrowIfNull(inputs, "loader");
        ArgumentNullException.ThrowIfNull(model);
        var momenta = new List<(IBatchNormStats Module, double? Momentum)>();
        foreach (var (_, m) in model.NamedModules())
            if (m is IBatchNormStats bn)
            {
                bn.ResetRunningStats();
                momenta.Add((bn, bn.Momentum));
            }
        if (momenta.Count == 0) return;

        bool wasTraining = model.Training;
        model.Train();
        foreach (var (bn, _) in momenta) bn.Momentum = null;
        try
        {
            using (GradMode.Set(false))
                foreach (var input in inputs) model.Call(input);
        }
        finally
        {
            foreach (var (bn, momentum) in momenta) bn.Momentum = momentum;
            model.Train(wasTraining);
        }
    }
}
