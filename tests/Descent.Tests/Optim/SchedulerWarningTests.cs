using Descent.Diagnostics;
using Descent.Optim;
using Descent.Optim.Schedulers;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>PyTorch's UserWarnings, reported through <see cref="Warnings"/> (captured per test).</summary>
public sealed class SchedulerWarningTests
{
    private const string StepOrder =
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the " +
        "opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the " +
        "first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

    [Fact]
    public void SchedulerStepBeforeOptimizerStepWarnsOnce()
    {
        using var capture = Warnings.Capture();
        var warnings = capture.Messages;
        var opt = SchedulerGolden.MakeOptimizer("sgd");
        var s = new StepLR(opt, 2);
        Assert.Empty(warnings);
        s.Step();
        Assert.Equal([StepOrder], warnings);
        s.Step();
        opt.Step();
        s.Step();
        Assert.Single(warnings);
    }

    [Fact]
    public void RightOrderDoesNotWarn()
    {
        using var capture = Warnings.Capture();
        var warnings = capture.Messages;
        var opt = SchedulerGolden.MakeOptimizer("adam");
        var s = new CosineAnnealingLR(opt, 10);
        for (int i = 0; i < 5; i++)
        {
            opt.Step();
            s.Step();
        }
        Assert.Empty(warnings);
    }

    [Fact]
    public void OptimizerStepsBeforeTheSchedulerExistedDoNotCount()
    {
        using var capture = Warnings.Capture();
        var warnings = capture.Messages;
        // As in PyTorch: only steps of the optimizer since a scheduler hooked it are seen.
        var opt = SchedulerGolden.MakeOptimizer("sgd");
        opt.Step();
        var s = new ExponentialLR(opt, 0.9);
        s.Step();
        Assert.Equal([StepOrder], warnings);
    }

    [Fact]
    public void EpochArgumentIsDeprecated()
    {
        using var capture = Warnings.Capture();
        var warnings = capture.Messages;
        var opt = SchedulerGolden.MakeOptimizer("sgd");
        var s = new ExponentialLR(opt, 0.5);
        opt.Step();
        s.Step(3);
        Assert.Equal([LRScheduler.EpochDeprecationWarning], warnings);
        Assert.Equal(0.1 * 0.125, opt.ParamGroups[0].Lr, 15);
        Assert.StartsWith("The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible.", warnings[0]);
    }

    [Fact]
    public void GetLrOutsideStepWarns()
    {
        using var capture = Warnings.Capture();
        var warnings = capture.Messages;
        var opt = SchedulerGolden.MakeOptimizer("sgd");
        var s = new StepLR(opt, 2);
        _ = s.GetLr();
        Assert.Equal(["To get the last learning rate computed by the scheduler, please use `get_last_lr()`."], warnings);
    }

    [Fact]
    public void WarmRestartsDoNotWarnAboutOrderOrEpochs()
    {
        using var capture = Warnings.Capture();
        var warnings = capture.Messages;
        var opt = SchedulerGolden.MakeOptimizer("sgd");
        var s = new CosineAnnealingWarmRestarts(opt, 3);
        s.Step();
        s.Step(2.5);
        Assert.Empty(warnings);
    }
}
