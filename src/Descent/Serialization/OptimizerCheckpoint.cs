using Descent.Optim;

namespace Descent.Serialization;

/// <summary>
/// Saves and loads an optimizer's state dict as a torch.save file, interchangeable with PyTorch's
/// <c>torch.save(opt.state_dict(), path)</c> / <c>opt.load_state_dict(torch.load(path))</c>.
/// </summary>
public static class OptimizerCheckpoint
{
    /// <summary>Writes <paramref name="optimizer"/>'s state dict to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        TorchFile.Save(OptimizerStateDicts.ToPy(optimizer.StateDict()), path);
    }

    /// <summary>Reads a state dict file without applying it.</summary>
    public static OptimizerStateDict Read(string path) => OptimizerStateDicts.FromPy(TorchFile.Load(path));

    /// <summary>
    /// Loads a state dict file into <paramref name="optimizer"/>. A bad file throws <see cref="InvalidDataException"/>,
    /// a state that does not fit the optimizer <see cref="ArgumentException"/> naming the parameter; either way the
    /// optimizer is unchanged.
    /// </summary>
    public static void Load(string path, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LoadStateDict(Read(path));
    }
}
