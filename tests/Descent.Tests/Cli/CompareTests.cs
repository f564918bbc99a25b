using System.Text.Json;
using Descent.Cli.Experiments;
using Xunit;

namespace Descent.Tests.Cli;

/// <summary>The classic comparison against PyTorch 1.13's losses (tests/golden/gen_compare.py).</summary>
[Collection("Console")]
public class CompareTests
{
    private static readonly Lazy<ComparisonResult> Ours = new(() => Comparison.Run(Comparison.TutorialOptimizers()));

    private static (string Name, double[] Losses)[] Golden()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "compare.json")));
        return doc.RootElement.GetProperty("optimizers").EnumerateArray()
            .Select(o => (o.GetProperty("name").GetString()!, o.GetProperty("losses").EnumerateArray().Select(v => v.GetDouble()).ToArray()))
            .ToArray();
    }

    [Fact]
    public void EveryStepMatchesPyTorchWithin1e4()
    {
        var golden = Golden();
        var ours = Ours.Value;
        Assert.Equal(golden.Length, ours.Optimizers.Count);
        for (int i = 0; i < golden.Length; i++)
        {
            Assert.Equal(golden[i].Name, ours.Optimizers[i].Name);
            Assert.Equal(384, ours.Optimizers[i].Losses.Length);
            for (int t = 0; t < 384; t++)
            {
                double diff = Math.Abs(golden[i].Losses[t] - ours.Optimizers[i].Losses[t]);
                Assert.True(diff <= 1e-4, $"{golden[i].Name} step {t}: PyTorch {golden[i].Losses[t]}, Descent {ours.Optimizers[i].Losses[t]}");
            }
        }
    }

    [Theory]
    [InlineData("SGD", 0.07535)]
    [InlineData("Momentum", 0.01102)]
    [InlineData("RMSprop", 0.01255)]
    [InlineData("Adam", 0.01123)]
    public void LastEpochMeansArePyTorchs(string name, double expected)
    {
        var losses = Ours.Value.Optimizers.Single(o => o.Name == name).Losses;
        Assert.Equal(expected, losses[^32..].Average(), 5);
    }

    [Fact]
    public void JsonLastLineHasEveryStep()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int code;
        try { code = Descent.Cli.Cli.Main(["compare", "--json", "--epochs", "1"]); }
        finally { Console.SetOut(previous); }
        Assert.Equal(0, code);
        var last = output.ToString().TrimEnd().Split('\n')[^1];
        using var doc = JsonDocument.Parse(last);
        var opts = doc.RootElement.GetProperty("optimizers");
        Assert.Equal(["SGD", "Momentum", "RMSprop", "Adam"], opts.EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.All(opts.EnumerateArray(), o => Assert.Equal(32, o.GetProperty("losses").GetArrayLength()));
        Assert.True(doc.RootElement.GetProperty("train_ms").GetDouble() > 0);
    }

    [Theory]
    [InlineData("compare", "--epochs", "0")]
    [InlineData("compare", "--bogus")]
    [InlineData("frobnicate")]
    public void BadCommandLinesPrintOneLineAndFail(params string[] args)
    {
        var err = new StringWriter();
        var previous = Console.Error;
        Console.SetError(err);
        int code;
        try { code = Descent.Cli.Cli.Main(args); }
        finally { Console.SetError(previous); }
        Assert.NotEqual(0, code);
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
    }
}
