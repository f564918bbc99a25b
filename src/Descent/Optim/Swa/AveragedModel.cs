using Descent.Autograd;
using Descent.NN;
using Descent.Tensors;

namespace Descent.Optim.Swa;

/// <summary>
/// A running average of a model's weights for Stochastic Weight Averaging (Izmailov et al., 2018) or an
/// exponential moving average, like <c>torch.optim.swa_utils.AveragedModel</c>. It holds a copy of the model
/// (child <c>module</c>) and an int64 buffer <c>n_averaged</c>; <see cref="UpdateParameters"/> copies the model's
/// parameters on the first call and then folds them into the average with <c>avg_fn</c>, <c>multi_avg_fn</c> or,
/// by default, the equal-weight mean <c>avg + (p − avg)/(n + 1)</c>. With <c>useBuffers</c> buffers are averaged
/// too; otherwise they are copied from the model on every update.
/// <para>
/// C# cannot deep-copy an arbitrary module, so the caller passes a factory that builds a fresh module of the
/// same architecture; its parameters and buffers are then overwritten from the model's state dict.
/// The default generator's state is saved around the factory call, so building the copy draws no random numbers,
/// like Python's <c>deepcopy</c>. The averaging functions are not part of the state dict, as in PyTorch.
/// </para>
/// </summary>
public sealed class AveragedModel : Module
{
    private readonly Module module;
    private readonly Tensor nAveraged;

    /// <summary>Copies <paramref name="model"/> through <paramref name="factory"/>; give at most one of <paramref name="avgFn"/> and <paramref name="multiAvgFn"/>.</summary>
    public AveragedModel(Module model, Func<Module> factory, AvgFn? avgFn = null, MultiAvgFn? multiAvgFn = null, bool useBuffers = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(factory);
        if (avgFn is not null && multiAvgFn is not null)
            throw new ArgumentException("Only one of avg_fn and multi_avg_fn should be provided");
        module = RegisterModule("module", DeepCopy(model, factory));
        nAveraged = RegisterBuffer("n_averaged", Tensor.Zeros([], DType.Int64))!;
        AvgFn = avgFn;
        MultiAvgFn = multiAvgFn;
        UseBuffers = useBuffers;
    }

    private static Module DeepCopy(Module model, Func<Module> factory)
    {
        var rng = Generator.Default.GetState();
        Module copy;
        try { copy = factory(); }
        finally { Generator.Default.SetState(rng); }
        if (copy is null || ReferenceEquals(copy, model))
            throw new ArgumentException("the factory must return a new module of the same architecture as the model");
        copy.LoadStateDict(model.StateDict());
        copy.Train(model.Training);
        return copy;
    }

    /// <summary>The averaged copy of the model.</summary>
    public Module Module => module;

    /// <summary>How many models have been averaged (PyTorch's <c>n_averaged</c> buffer, int64).</summary>
    public Tensor NAveraged => nAveraged;

    /// <summary>The per-parameter averaging function, or null.</summary>
    public AvgFn? AvgFn { get; }

    /// <summary>The all-parameters averaging function, or null.</summary>
    public MultiAvgFn? MultiAvgFn { get; }

    /// <summary>Whether buffers are averaged along with the parameters.</summary>
    public bool UseBuffers { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => module.Call(input);

    private static IEnumerable<Tensor> Buffers(Module m) => m.NamedBuffers().Select(b => b.Buffer);

    /// <summary>Folds <paramref name="model"/>'s current parameters (and buffers with useBuffers) into the average.</summary>
    public void UpdateParameters(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var selfParams = (UseBuffers ? module.Parameters().Concat(Buffers(module)) : Parameters()).ToList();
        var modelParams = (UseBuffers ? model.Parameters().Concat(Buffers(model)) : model.Parameters()).ToList();
        int count = Math.Min(selfParams.Count, modelParams.Count);
        long n = (long)nAveraged.Item();
        var averaged = new List<Tensor>(count);
        var current = new List<Tensor>(count);
        using (GradMode.Set(false))
        {
            for (int i = 0; i < count; i++)
            {
                var pAvg = selfParams[i].Detach();
                var pModel = modelParams[i].Detach();
                averaged.Add(pAvg);
                current.Add(pModel);
                if (n == 0) pAvg.Copy_(pModel);
            }

            if (n > 0)
            {
                if (MultiAvgFn is not null || AvgFn is null)
                {
                    // PyTorch groups by device and dtype; on the CPU the default is the per-tensor running mean.
                    foreach (var group in Enumerable.Range(0, count).GroupBy(i => averaged[i].DType))
                    {
                        var a = group.Select(i => averaged[i]).ToList();
                        var c = group.Select(i => current[i]).ToList();
                        if (MultiAvgFn is not null) MultiAvgFn(a, c, nAveraged);
                        else
                        {
                            var swa = SwaUtils.GetSwaAvgFn();
                            for (int k = 0; k < a.Count; k++) a[k].Copy_(swa(a[k], c[k], nAveraged));
                        }
                    }
                }
                else
                {
                    for (int i = 0; i < count; i++) averaged[i].Copy_(AvgFn(averaged[i], current[i], nAveraged));
                }
            }

            if (!UseBuffers)
            {
                // Without buffer averaging the copy's buffers follow the model's.
                var own = Buffers(module).ToList();
                var theirs = Buffers(model).ToList();
                for (int i = 0; i < Math.Min(own.Count, theirs.Count); i++) own[i].Detach().Copy_(theirs[i].Detach());
            }
            nAveraged.AsSpan<long>()[0]++;
            nAveraged.BumpVersion();
        }
    }
}
