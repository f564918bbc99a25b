namespace Descent;

/// <summary>Library entry points.</summary>
public static partial class Torch
{
}
