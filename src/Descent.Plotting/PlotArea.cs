namespace Descent.Plotting;

/// <summary>The data rectangle of a chart, in pixels.</summary>
internal readonly record struct PlotArea(double Left, double Top, double Width, double Height)
{
    public double Right => Left + Width;

    public double Bottom => Top + Height;
}
