using Descent.Optim;

namespace Descent.Serialization;

/// <summary>Saving and loading an optimizer's state dict in PyTorch's file format.</summary>
public static class OptimizerCheckpointExtensions
{
    /// <summary>Saves the state dict as a torch.save file, atomically (see <see cref="OptimizerCheckpoint.Save"/>).</summary>
    public static void Save(this Optimizer optimizer, string path) => OptimizerCheckpoint.Save(path, optimizer);

    /// <summary>Loads a torch.save'd state dict (see <see cref="OptimizerCheckpoint.Load"/>); a failed load changes nothing.</summary>
    public static void Load(this Optimizer optimizer, string path) => OptimizerCheckpoint.Load(path, optimizer);
}
