using Descent.Plotting;
using Xunit;

namespace Descent.Tests.Plotting;

public class MarchingSquaresTests
{
    private static readonly double[] Axis41 = Grid.Linspace(-2, 2, 41); // spacing 0.1, includes 0

    private static double[,] Field(Func<double, double, double> f, double[]? xs = null) =>
        Grid.Evaluate(xs ?? Axis41, xs ?? Axis41, f);

    [Fact]
    public void CircleIsolineIsOneClosedLoopNearTheTrueCircle()
    {
        double r = 1.55;
        double[,] z = Field((x, y) => (x * x) + (y * y));
        IReadOnlyList<ContourPath> lines = MarchingSquares.Isolines(Axis41, Axis41, z, r * r);

        ContourPath loop = Assert.Single(lines);
        Assert.True(loop.Closed);
        Assert.InRange(loop.Count, 40, 200);
        double cell = 0.1;
        for (int i = 0; i < loop.Count; i++)
        {
            double radius = Math.Sqrt((loop.X[i] * loop.X[i]) + (loop.Y[i] * loop.Y[i]));
            Assert.InRange(radius, r - cell, r + cell);

            // Every vertex lies on a grid line.
            bool onVertical = Math.Abs((loop.X[i] * 10) - Math.Round(loop.X[i] * 10)) < 1e-9;
            bool onHorizontal = Math.Abs((loop.Y[i] * 10) - Math.Round(loop.Y[i] * 10)) < 1e-9;
            Assert.True(onVertical || onHorizontal);
        }

        // On the row y = 0 the level is crossed between x = 1.5 and 1.6, by interpolation near 1.55.
        double crossing = Enumerable.Range(0, loop.Count).Where(i => loop.Y[i] == 0 && loop.X[i] > 0).Select(i => loop.X[i]).Single();
        Assert.InRange(crossing, 1.5, 1.6);
        Assert.Equal(r, crossing, 0.01);
    }

    [Fact]
    public void BumpRegionIsTheDiskCounterClockwise()
    {
        double r = 1.3;
        double[,] z = Field((x, y) => -((x * x) + (y * y)));
        ContourPath ring = Assert.Single(MarchingSquares.SuperlevelRegion(Axis41, Axis41, z, -r * r));
        Assert.True(ring.Closed);
        double area = ring.SignedArea();
        Assert.True(area > 0, "outer rings wind counter-clockwise");
        Assert.Equal(Math.PI * r * r, area, Math.PI * r * r * 0.01);
    }

    [Fact]
    public void BowlRegionIsTheSquareMinusAClockwiseHole()
    {
        double r = 1.3;
        double[,] z = Field((x, y) => (x * x) + (y * y));
        IReadOnlyList<ContourPath> rings = MarchingSquares.SuperlevelRegion(Axis41, Axis41, z, r * r);
        Assert.Equal(2, rings.Count);
        Assert.Contains(rings, ring => ring.SignedArea() < 0);
        double area = rings.Sum(ring => ring.SignedArea());
        Assert.Equal(16 - (Math.PI * r * r), area, 0.06);
    }

    [Fact]
    public void PlaneGivesStraightOpenLineAndExactRegion()
    {
        double[,] z = Field((x, _) => x);
        ContourPath line = Assert.Single(MarchingSquares.Isolines(Axis41, Axis41, z, 0.33));
        Assert.False(line.Closed);
        Assert.All(line.X, x => Assert.Equal(0.33, x, 1e-12));
        Assert.Equal(41, line.Count);
        Assert.Equal(-2, line.Y.Min(), 12);
        Assert.Equal(2, line.Y.Max(), 12);

        ContourPath region = Assert.Single(MarchingSquares.SuperlevelRegion(Axis41, Axis41, z, 0.33));
        Assert.Equal((2 - 0.33) * 4, region.SignedArea(), 1e-9);
    }

    [Fact]
    public void RegionAboveEverythingIsEmptyAndBelowEverythingIsTheGrid()
    {
        double[,] z = Field((x, y) => x + y);
        Assert.Empty(MarchingSquares.SuperlevelRegion(Axis41, Axis41, z, 100));
        Assert.Empty(MarchingSquares.Isolines(Axis41, Axis41, z, 100));
        ContourPath all = Assert.Single(MarchingSquares.SuperlevelRegion(Axis41, Axis41, z, -100));
        Assert.Equal(16, all.SignedArea(), 1e-12);
    }

    [Fact]
    public void SaddleCellsAreResolvedByTheCentreValue()
    {
        double[] axis = Grid.Linspace(-2, 2, 40); // no grid point at 0, so the middle cell is a saddle
        double[,] z = Field((x, y) => x * y, axis);

        // Level 0: the cell centre averages to 0, counts as high, and joins the two quadrants.
        ContourPath joined = Assert.Single(MarchingSquares.SuperlevelRegion(axis, axis, z, 0));
        Assert.Equal(8, joined.SignedArea(), 0.01);

        // Slightly above 0 the centre is low and the quadrants separate.
        IReadOnlyList<ContourPath> split = MarchingSquares.SuperlevelRegion(axis, axis, z, 1e-4);
        Assert.Equal(2, split.Count);
        Assert.All(split, ring => Assert.True(ring.SignedArea() > 0));

        // Area of x·y ≥ 0.05 inside [-2, 2]²: 2·(4 − 0.05·(1 + ln 80)).
        double expected = 2 * (4 - (0.05 * (1 + Math.Log(80))));
        Assert.Equal(expected, MarchingSquares.SuperlevelRegion(axis, axis, z, 0.05).Sum(r => r.SignedArea()), 0.05);
    }

    [Fact]
    public void NaNCountsAsLow()
    {
        double[,] z = Field((x, y) => 1.0);
        z[20, 20] = double.NaN;
        IReadOnlyList<ContourPath> lines = MarchingSquares.Isolines(Axis41, Axis41, z, 0.5);
        ContourPath hole = Assert.Single(lines);
        Assert.True(hole.Closed);
        Assert.All(hole.X, v => Assert.True(double.IsFinite(v)));
        Assert.All(hole.X, v => Assert.InRange(v, -0.1, 0.1));
    }

    [Fact]
    public void MismatchedGridThrows()
    {
        Assert.Throws<ArgumentException>(() => MarchingSquares.Isolines(Axis41, Axis41, new double[3, 41], 0));
        Assert.Throws<ArgumentException>(() => MarchingSquares.Isolines([0.0], [0.0], new double[1, 1], 0));
    }

    [Fact]
    public void AutomaticLevelsAreRound()
    {
        Assert.Equal([0.2, 0.4, 0.6, 0.8], ContourLevels.Linear(0, 1, 4));
        double[] log = ContourLevels.Log(1e-3, 2500, 12);
        Assert.Equal(0.003, log[0]);
        Assert.Equal(1000, log[^1]);
        Assert.InRange(log.Length, 10, 14);
        Assert.All(log, v => Assert.True(v > 1e-3 && v < 2500));
        Assert.Equal([10.0, 100.0, 1000.0], ContourLevels.Log(1, 10000, 3));
    }
}
