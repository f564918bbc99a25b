namespace Descent.Serialization;

/// <summary>
/// Shared boxes for the values pickles repeat most (bools and small ints, like CPython's small-int cache), so a
/// long list of them costs a reference each rather than a new object each.
/// </summary>
internal static class Boxes
{
    public static readonly object True = true;
    public static readonly object False = false;
    private static readonly object[] Small = MakeSmall();

    private static object[] MakeSmall()
    {
        var boxes = new object[262];
        for (int i = 0; i < boxes.Length; i++) boxes[i] = (long)(i - 5);
        return boxes;
    }

    /// <summary>A boxed <see cref="long"/>, shared for −5 … 256.</summary>
    public static object Long(long v) => v is >= -5 and <= 256 ? Small[v + 5] : v;
}
