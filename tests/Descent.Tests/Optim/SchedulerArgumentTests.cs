using Descent.NN;
using Descent.Optim;
using Descent.Optim.Schedulers;
using Descent.Optim.Swa;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>Bad arguments fail with current PyTorch's messages; what PyTorch accepts is accepted.</summary>
public class SchedulerArgumentTests
{
    private static Optimizer Sgd() => SchedulerGolden.MakeOptimizer("sgd");

    private static void Fails(string message, Action build) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(build).Message);

    /// <summary>An optimizer with neither momentum nor betas.</summary>
    private sealed class NoMomentum : Optimizer
    {
        public NoMomentum() : base([Parameter.Create(Tensor.Zeros(1))], new Dictionary<string, object?> { ["lr"] = 0.1 }) { }
        protected override void StepGroup(ParamGroup group) { }
        protected override ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName) =>
            throw new NotSupportedException();
    }

    [Fact]
    public void WarmRestarts()
    {
        Fails("Expected positive integer T_0, but got 0", () => new CosineAnnealingWarmRestarts(Sgd(), 0));
        Fails("Expected positive integer T_0, but got -3", () => new CosineAnnealingWarmRestarts(Sgd(), -3));
        Fails("Expected integer T_mult >= 1, but got 0", () => new CosineAnnealingWarmRestarts(Sgd(), 5, tMult: 0));
        var s = new CosineAnnealingWarmRestarts(Sgd(), 5);
        Fails("Expected non-negative epoch, but got -1", () => s.Step(-1));
        Fails("Expected non-negative epoch, but got -0.5", () => s.Step(-0.5));
    }

    [Fact]
    public void OneCycle()
    {
        Fails("Expected positive integer total_steps, but got 0", () => new OneCycleLR(Sgd(), 0.1, totalSteps: 0));
        Fails("Expected positive integer total_steps, but got -5", () => new OneCycleLR(Sgd(), 0.1, totalSteps: -5));
        Fails("Expected positive integer epochs, but got 0", () => new OneCycleLR(Sgd(), 0.1, epochs: 0, stepsPerEpoch: 3));
        Fails("Expected positive integer steps_per_epoch, but got -1", () => new OneCycleLR(Sgd(), 0.1, epochs: 2, stepsPerEpoch: -1));
        Fails("You must define either total_steps OR (epochs AND steps_per_epoch)", () => new OneCycleLR(Sgd(), 0.1, epochs: 2));
        Fails("Expected float between 0 and 1 pct_start, but got 1.5", () => new OneCycleLR(Sgd(), 0.1, totalSteps: 10, pctStart: 1.5));
        Fails("anneal_strategy must be one of 'cos' or 'linear', instead got exp",
            () => new OneCycleLR(Sgd(), 0.1, totalSteps: 10, annealStrategy: "exp"));
        Fails("max_lr must have the same length as optimizer.param_groups. max_lr has 3 values, param_groups has 2.",
            () => new OneCycleLR(Sgd(), new[] { 0.1, 0.2, 0.3 }, totalSteps: 10));
        Fails("optimizer must support momentum or beta1 with `cycle_momentum` option enabled",
            () => new OneCycleLR(new NoMomentum(), 0.1, totalSteps: 10));
        _ = new OneCycleLR(new NoMomentum(), 0.1, totalSteps: 10, cycleMomentum: false);

        // Stepping past total_steps: step total_steps is still allowed, the one after fails.
        var opt = Sgd();
        var s = new OneCycleLR(opt, 0.1, totalSteps: 10);
        for (int i = 0; i < 10; i++)
        {
            opt.Step();
            s.Step();
        }
        var e = Assert.Throws<InvalidOperationException>(() => s.Step());
        Assert.Equal("Tried to step 11 times. The specified number of total steps is 10", e.Message);
    }

    [Fact]
    public void Plateau()
    {
        Fails("mode foo is unknown!", () => new ReduceLROnPlateau(Sgd(), mode: "foo"));
        Fails("threshold mode bar is unknown!", () => new ReduceLROnPlateau(Sgd(), thresholdMode: "bar"));
        Fails("Factor should be < 1.0.", () => new ReduceLROnPlateau(Sgd(), factor: 1.0));
        Fails("expected 2 min_lrs, got 3", () => new ReduceLROnPlateau(Sgd(), minLr: new[] { 0.1, 0.2, 0.3 }));
        var s = new ReduceLROnPlateau(Sgd());
        Assert.Throws<InvalidOperationException>(() => s.Step());
    }

    [Fact]
    public void Cyclic()
    {
        Fails("mode is invalid and scale_fn is None", () => new CyclicLR(Sgd(), 0.01, 0.1, mode: "sine"));
        _ = new CyclicLR(Sgd(), 0.01, 0.1, mode: "sine", scaleFn: _ => 1.0); // mode is ignored with a scale function
        Fails("optimizer must support momentum or beta1 with `cycle_momentum` option enabled",
            () => new CyclicLR(new NoMomentum(), 0.01, 0.1));
        Fails("base_lr must have the same length as optimizer.param_groups. base_lr has 1 values, param_groups has 2.",
            () => new CyclicLR(Sgd(), new[] { 0.01 }, 0.1));
        Fails("base_momentum must have the same length as optimizer.param_groups. base_momentum has 3 values, param_groups has 2.",
            () => new CyclicLR(Sgd(), 0.01, 0.1, baseMomentum: new[] { 0.8, 0.8, 0.8 }));
    }

    [Fact]
    public void FactorsAndLambdas()
    {
        Fails("Constant multiplicative factor expected to be between 0 and 1.", () => new ConstantLR(Sgd(), factor: 1.5));
        Fails("Constant multiplicative factor expected to be between 0 and 1.", () => new ConstantLR(Sgd(), factor: -0.1));
        Fails("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.", () => new LinearLR(Sgd(), startFactor: 0));
        Fails("Ending multiplicative factor expected to be between 0 and 1.", () => new LinearLR(Sgd(), endFactor: 1.5));
        Fails("Expected 2 lr_lambdas, but got 3", () => new LambdaLR(Sgd(), new Func<int, double>[] { e => 1, e => 1, e => 1 }));
        Fails("Expected 2 lr_lambdas, but got 1", () => new MultiplicativeLR(Sgd(), new Func<int, double>[] { e => 1 }));
    }

    [Fact]
    public void StepSizeAndMilestonesAreNotValidatedAsInPyTorch()
    {
        // PyTorch checks neither; a zero step size fails on the first step with a division by zero.
        var opt = Sgd();
        var zero = new StepLR(opt, stepSize: 0);
        Assert.Throws<DivideByZeroException>(() => zero.Step());
        // Negative step sizes and unsorted, repeated milestones run (see the goldens for their values).
        _ = new StepLR(Sgd(), stepSize: -2);
        var ms = new MultiStepLR(Sgd(), [30, 10, 10]);
        Assert.Equal(2, ms.Milestones[10]);
    }

    [Fact]
    public void Swalr()
    {
        Fails("anneal_strategy must by one of 'cos' or 'linear', instead got exp", () => new SWALR(Sgd(), 0.01, annealStrategy: "exp"));
        Fails("anneal_epochs must be equal or greater than 0, got -1", () => new SWALR(Sgd(), 0.01, annealEpochs: -1));
        Fails("swa_lr must have the same length as optimizer.param_groups. swa_lr has 3 values, param_groups has 2.",
            () => new SWALR(Sgd(), new[] { 0.1, 0.2, 0.3 }));
        var opt = Sgd();
        _ = new SWALR(opt, new[] { 0.01, 0.02 });
        Assert.Equal(0.02, opt.ParamGroups[1].GetDouble("swa_lr"));
    }

    [Fact]
    public void Composites()
    {
        var opt = Sgd();
        Fails("SequentialLR expects at least one scheduler, but got no scheduler.", () => new SequentialLR(opt, [], []));
        Fails("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.", () => new ChainedScheduler([]));
        var a = new ConstantLR(opt);
        var b = new ExponentialLR(opt, 0.9);
        Fails("Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, " +
              "but got number of schedulers 2 and the number of milestones to be equal to 2", () => new SequentialLR(opt, [a, b], [3, 5]));
        var plateau = new ReduceLROnPlateau(opt);
        Fails("SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when " +
              "calling `step`, but got one at index 1 in the given schedulers sequence.", () => new SequentialLR(opt, [a, plateau], [3]));
        Fails("ChainedScheduler does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when " +
              "calling `step`, but got one at index 0 in the given schedulers sequence.", () => new ChainedScheduler([plateau, a]));
        var other = Sgd();
        var foreign = new StepLR(other, 3);
        var e = Assert.Throws<ArgumentException>(() => new SequentialLR(opt, [a, foreign], [3]));
        Assert.StartsWith("SequentialLR expects all schedulers to belong to the same optimizer, but got scheduler StepLR at index 1 has SGD (", e.Message);
        Assert.EndsWith("which is different from SGD.", e.Message);
        Fails("Number of schedulers must match the number of parameter groups in the optimizer. Got 1 schedulers and 2 parameter groups.",
            () => new ParamwiseScheduler([a]));
        Fails("All schedulers must use the same optimizer instance.", () => new ParamwiseScheduler([a, foreign]));
        e = Assert.Throws<ArgumentException>(() => new ChainedScheduler([a, foreign]));
        Assert.StartsWith("ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler StepLR at index 1", e.Message);
    }

    [Fact]
    public void ClosedFormMatchesChainableForm()
    {
        var opt = Sgd();
        var s = new StepLR(opt, stepSize: 3, gamma: 0.5);
        for (int i = 0; i < 10; i++)
        {
            opt.Step();
            s.Step();
            Assert.Equal(s.GetLastLr(), s.GetClosedFormLr());
        }
        Assert.Null(new LambdaLR(Sgd(), e => 1).GetClosedFormLr());
    }
}
