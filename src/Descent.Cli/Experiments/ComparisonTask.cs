using Descent.NN;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>
/// What a comparison trains: data made after seeding, a model factory (one model per optimizer, created in order),
/// a loss, and for classifiers the data accuracy is measured on.
/// </summary>
public sealed class ComparisonTask
{
    /// <summary>The dataset's name as given to <c>--dataset</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One line for tables and reports: data, network and loss.</summary>
    public required string Description { get; init; }

    /// <summary>Makes the training data; runs right after the seed is set, so it draws the same numbers each run.</summary>
    public required Func<(Tensor X, Tensor Y)> MakeData { get; init; }

    /// <summary>Makes one freshly initialised model.</summary>
    public required Func<Module> MakeModel { get; init; }

    /// <summary>The loss of a batch's output against its targets.</summary>
    public required Func<Tensor, Tensor, Tensor> Loss { get; init; }

    /// <summary>True for classifiers: the comparison then reports accuracy.</summary>
    public bool Classification { get; init; }

    /// <summary>Held-out data for accuracy; null measures it on the training data.</summary>
    public Func<(Tensor X, Tensor Y)>? MakeTestData { get; init; }

    /// <summary>Epochs when <c>--epochs</c> is not given.</summary>
    public int DefaultEpochs { get; init; } = 12;

    /// <summary>Batch size when <c>--batch-size</c> is not given.</summary>
    public int DefaultBatchSize { get; init; } = 32;
}
