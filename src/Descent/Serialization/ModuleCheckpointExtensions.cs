using Descent.NN;

namespace Descent.Serialization;

/// <summary><c>torch.save(model.state_dict(), path)</c> and <c>model.load_state_dict(torch.load(path))</c> for Descent modules.</summary>
public static class ModuleCheckpointExtensions
{
    /// <summary>Saves the module's state dict (with PyTorch's <c>_metadata</c>) as a torch.save file, atomically.</summary>
    public static void Save(this Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        TorchFile.Save(ModuleStateDicts.ToPy(module.StateDict(), module), path);
    }

    /// <summary>
    /// Loads a torch.save'd state dict into the module. A bad file throws <see cref="InvalidDataException"/>, a
    /// mismatched one <see cref="ArgumentException"/> naming the key; either way the module is unchanged.
    /// </summary>
    public static void Load(this Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        module.LoadStateDict(ModuleStateDicts.FromPy(TorchFile.Load(path)), strict);
    }
}
