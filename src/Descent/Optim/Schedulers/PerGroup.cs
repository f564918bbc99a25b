using System.Globalization;
using Descent.Text;

namespace Descent.Optim.Schedulers;

/// <summary>
/// A value given either once for all parameter groups or once per group, like the arguments PyTorch's
/// schedulers pass through <c>_format_param</c> (<c>max_lr</c>, <c>base_momentum</c>, <c>swa_lr</c>, …).
/// Converts implicitly from a <see cref="double"/> and from a <see cref="double"/> array.
/// </summary>
public readonly struct PerGroup
{
    private readonly double scalar;
    private readonly double[]? values;

    private PerGroup(double scalar, double[]? values)
    {
        this.scalar = scalar;
        this.values = values;
    }

    /// <summary>One value for every group.</summary>
    public static implicit operator PerGroup(double value) => new(value, null);

    /// <summary>One value per group, in group order.</summary>
    public static implicit operator PerGroup(double[] values) => new(0, values ?? throw new ArgumentNullException(nameof(values)));

    /// <summary>One value per group, in group order.</summary>
    public static PerGroup Of(IEnumerable<double> values) => new(0, values.ToArray());

    /// <summary>Whether a value was given per group.</summary>
    public bool IsList => values is not null;

    /// <summary>
    /// The value of each of <paramref name="optimizer"/>'s groups, refusing a list of the wrong length with
    /// PyTorch's message naming <paramref name="name"/>.
    /// </summary>
    public double[] Expand(string name, Optimizer optimizer)
    {
        int n = optimizer.ParamGroups.Count;
        if (values is null) return Enumerable.Repeat(scalar, n).ToArray();
        if (values.Length != n)
            throw new ArgumentException(
                $"{name} must have the same length as optimizer.param_groups. {name} has {values.Length} values, param_groups has {n}.");
        return (double[])values.Clone();
    }

    /// <inheritdoc/>
    public override string ToString() => values is null ? PyRepr.Float(scalar) : PyRepr.Of(values);
}
