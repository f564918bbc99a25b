namespace Descent.Plotting;

/// <summary>A polyline or ring produced by <see cref="MarchingSquares"/>, in data coordinates.</summary>
/// <param name="X">Vertex x coordinates.</param>
/// <param name="Y">Vertex y coordinates.</param>
/// <param name="Closed">True for a ring (the last vertex connects back to the first, which is not repeated).</param>
public sealed record ContourPath(double[] X, double[] Y, bool Closed)
{
    /// <summary>Number of vertices.</summary>
    public int Count => X.Length;

    /// <summary>
    /// Signed area by the shoelace formula (closed rings only; 0 otherwise). Positive for counter-clockwise
    /// rings in a y-up coordinate system.
    /// </summary>
    public double SignedArea()
    {
        if (!Closed || X.Length < 3)
        {
            return 0;
        }

        double sum = 0;
        for (int i = 0, j = X.Length - 1; i < X.Length; j = i++)
        {
            sum += (X[j] * Y[i]) - (X[i] * Y[j]);
        }

        return sum / 2;
    }
}
