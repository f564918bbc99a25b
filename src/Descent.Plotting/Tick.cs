namespace Descent.Plotting;

/// <summary>One axis tick.</summary>
/// <param name="Value">Position in data units.</param>
/// <param name="Label">Text to show; empty for an unlabelled minor tick. Very large or small values use "2e-5" notation.</param>
/// <param name="IsMajor">Major ticks get a full-length mark and a stronger grid line.</param>
public readonly record struct Tick(double Value, string Label, bool IsMajor);
