using Descent.NN;
using Descent.Serialization;

namespace Descent;

/// <summary>
/// <c>model.load_state_dict(torch.load(path))</c>: <see cref="Module.LoadStateDict"/> takes the read-only dictionary
/// interface, which C#'s implicit conversions cannot target, so this overload takes what <see cref="Torch.Load"/>
/// returns. (<see cref="Optim.Optimizer.LoadStateDict"/> takes a class, which <see cref="TorchObject"/> converts to.)
/// </summary>
public static class TorchObjectExtensions
{
    /// <summary>Loads the state dict a torch.save file holds into <paramref name="module"/>, as <see cref="Module.LoadStateDict"/>.</summary>
    public static IncompatibleKeys LoadStateDict(this Module module, TorchObject stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stateDict);
        return module.LoadStateDict((Dictionary<string, Tensors.Tensor>)stateDict, strict);
    }
}
