using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// A training checkpoint in the layout of PyTorch's "saving a general checkpoint" recipe: one torch.save'd dict
/// with <c>model_state_dict</c>, <c>optimizer_state_dict</c>, <c>scheduler_state_dict</c>, <c>rng_state</c> (a
/// uint8 tensor, as <c>torch.get_rng_state()</c>) and <c>epoch</c>, written atomically and restored all-or-nothing.
/// </summary>
public static class Checkpoint
{
    /// <summary>What <see cref="Load"/> found besides the state it restored.</summary>
    /// <param name="Epoch">The saved epoch (or step count), or null.</param>
    /// <param name="SchedulerState">The saved scheduler state dict (values in the <see cref="PyDict"/> object model), or null.</param>
    /// <param name="Extra">The saved <c>extra</c> value, or null.</param>
    public sealed record Info(long? Epoch, IReadOnlyDictionary<string, object?>? SchedulerState, object? Extra);

    /// <summary>
    /// Saves model, optimizer, scheduler state, RNG state (of <paramref name="generator"/>, by default
    /// <see cref="Generator.Default"/>) and epoch to <paramref name="path"/> atomically.
    /// </summary>
    public static void Save(string path, Module model, Optimizer? optimizer = null, long? epoch = null,
        IReadOnlyDictionary<string, object?>? schedulerState = null, Generator? generator = null, object? extra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var d = new PyDict();
        if (epoch is not null) d["epoch"] = epoch.Value;
        d["model_state_dict"] = ModuleStateDicts.ToPy(model.StateDict(), model);
        if (optimizer is not null) d["optimizer_state_dict"] = OptimizerStateDicts.ToPy(optimizer.StateDict());
        if (schedulerState is not null)
        {
            var s = new PyDict();
            foreach (var (k, v) in schedulerState) s[k] = v;
            d["scheduler_state_dict"] = s;
        }
        d["rng_state"] = RawTensor.FromBytes((generator ?? Generator.Default).GetState());
        if (extra is not null) d["extra"] = extra;
        TorchFile.Save(d, path);
    }

    /// <summary>
    /// Restores a checkpoint into <paramref name="model"/>, <paramref name="optimizer"/> (when given and saved) and the
    /// generator (unless <paramref name="restoreRng"/> is false). Everything is read and checked before anything
    /// changes; if the optimizer state does not fit after the model was loaded, the model is put back. A bad
    /// file throws <see cref="InvalidDataException"/>; a model mismatch <see cref="InvalidOperationException"/> and an
    /// optimizer mismatch <see cref="ArgumentException"/> (PyTorch's RuntimeError and ValueError).
    /// </summary>
    public static Info Load(string path, Module model, Optimizer? optimizer = null, bool restoreRng = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (TorchFile.Load(path) is not PyDict d) throw new InvalidDataException("checkpoint is not a dict");
        var modelState = ModuleStateDicts.FromPy(Get(d, "model_state_dict") ?? throw new InvalidDataException("checkpoint has no model_state_dict"));
        OptimizerStateDict? optimizerState = null;
        if (optimizer is not null)
            optimizerState = OptimizerStateDicts.FromPy(Get(d, "optimizer_state_dict") ?? throw new InvalidDataException("checkpoint has no optimizer_state_dict"));
        byte[]? rng = null;
        if (restoreRng && Get(d, "rng_state") is { } rs)
        {
            rng = rs is RawTensor { StorageType: "ByteStorage" } r ? r.ToBytes() : throw new InvalidDataException("checkpoint rng_state is not a uint8 tensor");
            try { new Generator().SetState(rng); } // validate on a scratch generator first
            catch (ArgumentException e) { throw new InvalidDataException("checkpoint rng_state is invalid: " + e.Message, e); }
        }
        long? epoch = Get(d, "epoch") switch
        {
            null => null,
            long e => e,
            var e => throw new InvalidDataException($"checkpoint epoch is a {PickleRepr.TypeName(e)}, not an int"),
        };
        Dictionary<string, object?>? scheduler = null;
        if (Get(d, "scheduler_state_dict") is { } so)
        {
            if (so is not PyDict sd) throw new InvalidDataException("checkpoint scheduler_state_dict is not a dict");
            scheduler = [];
            foreach (var (k, v) in sd) scheduler[k as string ?? throw new InvalidDataException("scheduler state key is not a string")] = v;
        }

        // Apply: model (validated inside), then optimizer; undo the model if the optimizer refuses.
        var before = Snapshot(model);
        model.LoadStateDict(modelState);
        if (optimizer is not null)
        {
            try { optimizer.LoadStateDict(optimizerState!); }
            catch
            {
                model.LoadStateDict(before);
                throw;
            }
        }
        if (rng is not null) (generator ?? Generator.Default).SetState(rng);
        return new Info(epoch, scheduler, Get(d, "extra"));
    }

    private static object? Get(PyDict d, string key) => d.TryGetValue(key, out var v) ? v : null;

    private static Dictionary<string, Tensor> Snapshot(Module model)
    {
        var copy = new Dictionary<string, Tensor>();
        foreach (var (k, v) in model.StateDict()) copy[k] = v.Clone();
        return copy;
    }
}
