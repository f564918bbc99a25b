using Xunit;
using static Descent.Tests.Cli.LabHarness;

namespace Descent.Tests.Cli;

/// <summary>Bad command lines: a non-zero exit and exactly one line on stderr, never a stack trace.</summary>
[Collection("Console")]
public class LabErrorTests
{
    [Theory]
    [InlineData("unknown optimizer 'adamm'", "compare", "--opt", "adamm:lr=0.1")]
    [InlineData("lr expects a number, got 'abc'", "compare", "--opt", "sgd:lr=abc")]
    [InlineData("betas expects 2 numbers separated by '/'", "compare", "--opt", "adam:betas=0.9")]
    [InlineData("SGD has no option 'foo'", "compare", "--opt", "sgd:foo=1")]
    [InlineData("Invalid learning rate: -0.1", "compare", "--opt", "sgd:lr=-0.1")]
    [InlineData("Invalid beta parameter at index 1: 1.5", "compare", "--opt", "adam:betas=0.9/1.5")]
    [InlineData("expected option=value", "compare", "--opt", "sgd:lr")]
    [InlineData("nesterov expects true or false", "compare", "--opt", "sgd:nesterov=maybe")]
    [InlineData("--opt needs a value", "compare", "--opt")]
    [InlineData("--opt needs a value", "compare", "--opt", "--epochs", "1")]
    [InlineData("unknown dataset 'mnist'", "compare", "--dataset", "mnist")]
    [InlineData("apt-get install dataset-fashion-mnist", "compare", "--dataset", "fashion-mnist", "--data", "/nonexistent/fashion")]
    [InlineData("--limit applies to --dataset fashion-mnist only", "compare", "--limit", "10")]
    [InlineData("--model applies to --dataset fashion-mnist only", "compare", "--model", "cnn")]
    [InlineData("unknown model 'resnet'; known: mlp, cnn, lstm", "compare", "--dataset", "fashion-mnist", "--model", "resnet")]
    [InlineData("--epochs must be at least 1", "compare", "--epochs", "0")]
    [InlineData("--epochs must be at most 10000, got 2147483647", "compare", "--epochs", "2147483647")]
    [InlineData("--steps must be at most 1000000, got 2147483647", "lr-sweep", "--steps", "2147483647")]
    [InlineData("--steps must be at most 1000000, got 2147483647", "momentum", "--steps", "2147483647")]
    [InlineData("--batch-size must be at most 1048576", "compare", "--batch-size", "2000000")]
    [InlineData("unknown option '--bogus'", "lr-sweep", "--bogus", "1")]
    [InlineData("--lrs expects comma-separated numbers, got 'a'", "lr-sweep", "--lrs", "0.1,a")]
    [InlineData("learning rates must not be negative", "lr-sweep", "--lrs", "-0.1")]
    [InlineData("--steps must be at least 1", "momentum", "--steps", "0")]
    [InlineData("momentum must not be negative", "momentum", "--momenta", "-0.5")]
    [InlineData("each β must be in [0, 1)", "ewa", "--betas", "0.9,1.5")]
    [InlineData("unknown function 'sphere'", "trajectories", "--functions", "rosenbrock,sphere")]
    [InlineData("Invalid learning rate: -1", "trajectories", "--opt", "adam:lr=-1")]
    [InlineData("--every must be at least 1", "fit", "--every", "0")]
    [InlineData("unknown optimizer 'nope'", "lr-find", "--opt", "nope")]
    [InlineData("--end-lr (1e-8) must be larger than --start-lr", "lr-find", "--end-lr", "1e-8")]
    [InlineData("--start-lr must be a positive number", "lr-find", "--start-lr", "0")]
    public void OneLineOnStderrAndNonZeroExit(string expected, params string[] args)
    {
        string dir = Path.Combine(TempDir("errors"), "out");
        var (code, _, err) = Run([.. args, "--out", dir]);
        Assert.NotEqual(0, code);
        var lines = err.TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("descent: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(dir), "a rejected command line left an output folder behind");
    }

    [Theory]
    [InlineData("compare", "--opt NAME:k=v")]
    [InlineData("lr-sweep", "--lrs")]
    [InlineData("trajectories", "--functions")]
    [InlineData("lr-find", "--start-lr")]
    [InlineData("replay", "--spec SPEC.json")]
    [InlineData("train", "--model mlp|cnn|lstm")]
    [InlineData("bench", "gemm|optim|tutorial")]
    public void VerbHelpPrintsTheOptions(string verb, string expected)
    {
        var (code, stdout, err) = Run(verb, "--help");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains(expected, stdout);
    }

    [Theory]
    [InlineData("--seconds must be a positive number, got -1", "bench", "optim", "--seconds", "-1")]
    [InlineData("--seconds must be a positive number, got Infinity", "bench", "optim", "--seconds", "Infinity")]
    [InlineData("--seconds must be at most 3600, got 86400", "bench", "gemm", "--seconds", "86400")]
    [InlineData("--epochs must be at most 10000, got 2147483647", "train", "fashion-mnist", "--epochs", "2147483647")]
    [InlineData("--threads must be at most 1024, got 100000", "train", "fashion-mnist", "--threads", "100000")]
    public void OutOfRangeValuesAreRefusedBeforeAnyWork(string expected, params string[] args)
    {
        var (code, stdout, err) = Run(args);
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        Assert.Equal($"descent: {expected}", err.TrimEnd());
    }

    [Fact]
    public void VersionPrintsThePackagesVersion()
    {
        var (code, stdout, err) = Run("--version");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        var version = typeof(Descent.Torch).Assembly.GetName().Version!;
        Assert.Equal($"descent {version.Major}.{version.Minor}.{version.Build}", stdout.Trim());
    }

    [Fact]
    public void TopLevelHelpListsEveryVerb()
    {
        var (code, stdout, _) = Run("--help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "compare", "replay", "lr-sweep", "momentum", "ewa", "trajectories", "fit", "lr-find", "train", "bench" })
            Assert.Contains($"  descent {verb} ", stdout);
    }

    [Fact]
    public void OutThatIsAFileIsRefused()
    {
        string file = Path.Combine(TempDir("out-file"), "taken");
        File.WriteAllText(file, "x");
        var (code, _, err) = Run("ewa", "--out", file);
        Assert.Equal(2, code);
        Assert.Contains("is a file", err);
    }
}
