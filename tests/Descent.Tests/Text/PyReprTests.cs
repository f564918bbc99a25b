using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;
using Descent.NN;
using Descent.Optim;
using Descent.Optim.Schedulers;
using Descent.Serialization;
using Descent.Tensors;
using Descent.Tests.Support;
using Descent.Text;
using Xunit;
using Check = CsCheck.Check;

namespace Descent.Tests.Text;

/// <summary>
/// The one Python formatter against CPython's own output (<c>repr(x)</c> in CPython 3, written down here), at the
/// boundaries where notation changes, and the places that print numbers all agreeing with it; and as properties over
/// any double: <c>repr</c> reads back as the same double in the shortest digits and Python's notation, and the format
/// specs <c>"{:.Nf}"</c> and <c>"{:.Ne}"</c> round the exact value half to even, ties included.
/// </summary>
public class PyReprTests
{
    // Any double's magnitude; few decimal digits at any exponent, mostly near the notation boundaries 1e-4 and 1e16,
    // and their neighbours (which need all 17 digits); dyadic fractions m/2^j, whose short expansions make ties.
    private static readonly Gen<double> Doubles = Gen.Select(
        Gen.OneOf(
            FloatGen.AnyFiniteDouble.Select(Math.Abs),
            Gen.Select(Gen.Long[1, 99_999], Gen.Frequency((1, Gen.Int[-328, 303]), (2, Gen.Int[-12, 18])), Gen.Int[-1, 1],
                (d, e, step) => Neighbour(double.Parse($"{d}e{e}", CultureInfo.InvariantCulture), step)),
            Gen.Select(Gen.Long[0, 1 << 24], Gen.Int[0, 40], (m, j) => Math.ScaleB(m, -j)),
            Gen.OneOf(0.0, double.Epsilon, double.MaxValue)),
        Gen.Bool, (a, negative) => negative ? -a : a);

    private static readonly Regex FixedForm = new(@"^-?(0|[1-9][0-9]*)\.(0|[0-9]*[1-9])$");
    private static readonly Regex ScientificForm = new(@"^-?[1-9](\.[0-9]*[1-9])?e[+-](0[1-9]|[1-9][0-9]{1,2})$");

    [Theory]
    // Scientific from 1e16 up: the largest double below it still prints in full.
    [InlineData(1e16, "1e+16")]
    [InlineData(9999999999999998.0, "9999999999999998.0")]
    [InlineData(1.0000000000000002e16, "1.0000000000000002e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    // Fixed down to 1e-4; below it scientific, with at least two exponent digits.
    [InlineData(1e-4, "0.0001")]
    [InlineData(0.00011, "0.00011")]
    [InlineData(9.999999999999999e-05, "9.999999999999999e-05")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(-1.5e-07, "-1.5e-07")]
    [InlineData(5e-324, "5e-324")]
    // Shortest round-trip digits, always a decimal point or an exponent.
    [InlineData(1.0, "1.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(12345.678, "12345.678")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void FloatIsPythonsRepr(double value, string python) => Assert.Equal(python, PyRepr.Float(value));

    [Fact]
    public void ValuesPrintAsPythonsReprAndStr()
    {
        Assert.Equal("None", PyRepr.Of(null));
        Assert.Equal("True", PyRepr.Of(true));
        Assert.Equal("'abc'", PyRepr.Of("abc"));
        Assert.Equal("abc", PyRepr.Str("abc"));
        Assert.Equal("(0.9, 0.999)", PyRepr.Str((0.9, 0.999)));
        Assert.Equal("(None, 0.001)", PyRepr.Str(((double?)null, 1e-3)));
        Assert.Equal("(1,)", PyRepr.Of(new PyTuple(1L)));
        Assert.Equal("[2, 5]", PyRepr.Of(new[] { 2, 5 }));
        Assert.Equal("[1e+16, 0.5]", PyRepr.Of(new List<object?> { 1e16, 0.5 }));
        Assert.Equal("1", PyRepr.Number(1.0));
        Assert.Equal("0.5", PyRepr.Number(0.5));
        Assert.Equal("1e+16", PyRepr.Number(1e16));
    }

    [Fact]
    public void OutputIsBoundedForHostileValues()
    {
        object? deep = 1L;
        for (int i = 0; i < 10_000; i++) deep = new PyTuple(deep);
        Assert.Equal("(((((...),),),),)", PyRepr.Of(deep)); // four levels shown, then elided
        Assert.Equal("list of 9", PyRepr.Of(Enumerable.Range(0, 9).ToList()));
        var wide = new PyTuple([.. Enumerable.Range(0, 5).Select(i => (object?)new string('x', 500))]);
        Assert.True(PyRepr.Of(wide).Length <= PyRepr.MaxLength + 1);
        // The pickle describer is the same formatter with dicts and tensors summarised.
        Assert.Equal("(1e+16, dict of 0, tensor [2] torch.float32)", PickleRepr.Of(new PyTuple(1e16, new PyDict(), Tensor.Zeros(2))));
    }

    [Fact]
    public void ReprIsWholeAndPrintsDictsInTheirOrder()
    {
        var list = Enumerable.Range(0, 12).ToList();
        Assert.Equal("list of 12", PyRepr.Of(list));
        Assert.Equal("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", PyRepr.Repr(list));
        var text = new string('x', 300);
        Assert.Equal("'" + text + "'", PyRepr.Repr(text));
        Assert.Equal(text, PyRepr.Display(text));
        Assert.Equal("(1, 'a')", PyRepr.Display((1, "a")));
        var dict = new OrderedDictionary<object, object?> { ["z"] = 1, [2] = new object?[] { null, "x" }, ["a"] = (0.5, true) };
        Assert.Equal("{'z': 1, 2: [None, 'x'], 'a': (0.5, True)}", PyRepr.Repr(dict));
        Assert.Equal("{}", PyRepr.Repr(new Dictionary<string, int>()));
        Assert.Equal("{'t': <2>}", PyRepr.Repr(new Dictionary<string, object> { ["t"] = Tensor.Zeros(2) }, v => v is Tensor t ? $"<{t.Numel}>" : null));
        Assert.Equal("dict of 9", PyRepr.Of(Enumerable.Range(0, 9).ToDictionary(i => i)));
    }

    [Fact]
    public void EveryPrinterAgreesAt1e16()
    {
        var p = Tensor.Zeros(2).RequiresGrad_();
        Assert.Contains("    lr: 1e+16\n", new SGD([p], lr: 1e16).ToString());
        Assert.Contains("    eps: 1e+16\n", new Adam([p], eps: 1e16).ToString());
        Assert.Equal("beta=1e+16, threshold=20", new Softplus(beta: 1e16).ExtraRepr());
        Assert.Equal("[1e+16, 0.5]", ((PerGroup)new[] { 1e16, 0.5 }).ToString());
        var e = Assert.ThrowsAny<ArgumentException>(() => new SGD([p], lr: -1e16));
        Assert.Equal("Invalid learning rate: -1e+16", e.Message);
    }

    [Fact]
    public void FloatReadsBackAsTheSameDouble() => Doubles.Sample(v =>
    {
        string s = PyRepr.Float(v);
        double back = double.Parse(s, CultureInfo.InvariantCulture);
        Assert.True(BitConverter.DoubleToInt64Bits(back) == BitConverter.DoubleToInt64Bits(v), $"{s} reads back as {back:R}");
    }, iter: Check.Iter * 10);

    /// <summary>
    /// repr's digits are the shortest that read back, as CPython's since 3.1: the significant digits of .NET's "R",
    /// and the nearest number with one digit fewer reads back as another double; fixed notation (with a ".0" at
    /// least) when the first digit's exponent is −4 to 15, else scientific with a two-digit exponent at least.
    /// </summary>
    [Fact]
    public void FloatHasTheShortestDigitsInPythonsNotation() => Doubles.Sample(v =>
    {
        string s = PyRepr.Float(v);
        if (v == 0)
        {
            Assert.Equal(double.IsNegative(v) ? "-0.0" : "0.0", s);
            return;
        }
        var (digits, exponent) = Significant(s);
        Assert.Equal(Significant(v.ToString("R", CultureInfo.InvariantCulture)), (digits, exponent));
        if (digits.Length > 1)
            Assert.NotEqual(v, double.Parse(v.ToString("E" + (digits.Length - 2), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
        Assert.Matches(exponent is >= -4 and < 16 ? FixedForm : ScientificForm, s);
    }, iter: Check.Iter * 10);

    /// <summary>
    /// <c>"{:.Nf}"</c> and <c>"{:.Ne}"</c> digit for digit at any precision, and at the precision where the exact
    /// value is a tie (a binary fraction's expansion ends in 5), which must go to the even digit.
    /// </summary>
    [Fact]
    public void FixedAndScientificRoundTheExactValueHalfToEven() => Gen.Select(Doubles, Gen.Int[0, 25]).Sample((v, decimals) =>
    {
        var exact = ExactDecimal.Of(v);
        Assert.Equal(exact.Fixed(decimals), PyRepr.Fixed(v, decimals));
        Assert.Equal(exact.Scientific(decimals), PyRepr.Scientific(v, decimals));
        if (exact.Scale > 0) Assert.Equal(exact.Fixed(exact.Scale - 1), PyRepr.Fixed(v, exact.Scale - 1));
        int significant = exact.Digits.ToString(CultureInfo.InvariantCulture).TrimEnd('0').Length;
        if (significant > 1) Assert.Equal(exact.Scientific(significant - 2), PyRepr.Scientific(v, significant - 2));
    }, iter: Check.Iter * 10);

    private static double Neighbour(double v, int step) => step < 0 ? Math.BitDecrement(v) : step > 0 ? Math.BitIncrement(v) : v;

    /// <summary>The significant digits of a number's text, and the decimal exponent of the first.</summary>
    private static (string Digits, int Exponent) Significant(string s)
    {
        s = s.TrimStart('-');
        int exponent = 0, e = s.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            exponent = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
            s = s[..e];
        }
        int dot = s.IndexOf('.');
        string whole = dot < 0 ? s : s[..dot], all = whole + (dot < 0 ? "" : s[(dot + 1)..]);
        int leadingZeros = all.Length - all.TrimStart('0').Length;
        return (all.Trim('0'), whole.Length - 1 - leadingZeros + exponent);
    }
}
