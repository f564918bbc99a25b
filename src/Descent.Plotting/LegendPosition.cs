namespace Descent.Plotting;

/// <summary>Where the legend goes.</summary>
public enum LegendPosition
{
    /// <summary>The inside corner that hides the least data (ties prefer top-right, top-left, bottom-right, bottom-left).</summary>
    Auto,

    /// <summary>Inside the plot area, top right.</summary>
    TopRight,

    /// <summary>Inside the plot area, top left.</summary>
    TopLeft,

    /// <summary>Inside the plot area, bottom right.</summary>
    BottomRight,

    /// <summary>Inside the plot area, bottom left.</summary>
    BottomLeft,

    /// <summary>To the right of the plot area, never covering data.</summary>
    OutsideRight,

    /// <summary>No legend.</summary>
    None,
}
