using Descent.Text;

namespace Descent.Optim.Schedulers;

/// <summary>
/// Cosine annealing with warm restarts (SGDR), like <c>torch.optim.lr_scheduler.CosineAnnealingWarmRestarts</c>:
/// <c>lr = eta_min + (base_lr − eta_min)(1 + cos(π·T_cur/T_i))/2</c>, where T_cur counts epochs since the last
/// restart and T_i, the current period, starts at T_0 and is multiplied by T_mult at each restart.
/// <see cref="Step(double)"/> accepts fractional epochs (e.g. <c>epoch + i / itersPerEpoch</c>) and may be
/// interleaved with <see cref="Step()"/>. Defaults: T_mult 1, eta_min 0.
/// </summary>
public sealed class CosineAnnealingWarmRestarts : LRScheduler
{
    private int t0, tMult, tI;
    private double etaMin, tCur;

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultEtaMin = 0.0;
    /// <summary>PyTorch's defaults of the integer options.</summary>
    public const int DefaultTMult = 1;

    /// <summary>Restarts after <paramref name="t0"/> epochs, then after periods multiplied by <paramref name="tMult"/>.</summary>
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult = DefaultTMult, double etaMin = DefaultEtaMin,
        int lastEpoch = DefaultLastEpoch)
        : base(optimizer)
    {
        if (t0 <= 0) throw new ArgumentException($"Expected positive integer T_0, but got {t0}");
        if (tMult < 1) throw new ArgumentException($"Expected integer T_mult >= 1, but got {tMult}");
        this.t0 = t0;
        tI = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        tCur = lastEpoch;
        Initialize(lastEpoch);
    }

    /// <summary>Epochs since the last restart (PyTorch's <c>T_cur</c>).</summary>
    public double TCur => tCur;

    /// <summary>The current period (PyTorch's <c>T_i</c>).</summary>
    public int TI => tI;

    /// <inheritdoc/>
    protected override double[] ComputeLr() =>
        BaseLrValues.Select(b => etaMin + (b - etaMin) * (1 + Math.Cos(Math.PI * tCur / tI)) / 2).ToArray();

    /// <summary>Advances one epoch; restarts when T_cur reaches T_i. No step-order warning, as in PyTorch.</summary>
    public override void Step()
    {
        if (LastEpoch < 0)
        {
            StepTo(0);
            return;
        }
        int epoch = LastEpoch + 1;
        tCur += 1;
        if (tCur >= tI)
        {
            tCur %= tI;
            tI *= tMult;
        }
        Finish(epoch);
    }

    /// <inheritdoc cref="Step(double)"/>
    public override void Step(int epoch) => Step((double)epoch);

    /// <summary>
    /// Sets the schedule to (possibly fractional) <paramref name="epoch"/>, like <c>step(epoch)</c>; no
    /// deprecation warning, since for this scheduler the epoch argument is the documented way.
    /// </summary>
    public void Step(double epoch) => StepTo(epoch);

    private void StepTo(double epoch)
    {
        if (epoch < 0) throw new ArgumentException($"Expected non-negative epoch, but got {PyRepr.Number(epoch)}");
        if (epoch >= t0)
        {
            if (tMult == 1) tCur = epoch % t0;
            else
            {
                int n = (int)(Math.Log(epoch / t0 * (tMult - 1) + 1) / Math.Log(tMult));
                long pow = (long)Math.Round(Math.Pow(tMult, n));
                tCur = epoch - (double)(t0 * (pow - 1)) / (tMult - 1);
                tI = checked((int)(t0 * pow));
            }
        }
        else
        {
            tI = t0;
            tCur = epoch;
        }
        Finish(Math.Floor(epoch));
    }

    private void Finish(double flooredEpoch)
    {
        LastEpoch = checked((int)flooredEpoch);
        ApplyLrs(WithinStep(ComputeLr));
    }

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<CosineAnnealingWarmRestarts> OwnAttributes = new SchedulerAttributes<CosineAnnealingWarmRestarts>()
        .Int("T_0", s => s.t0, (s, v) => s.t0 = v)
        .Int("T_i", s => s.tI, (s, v) => s.tI = v)
        .Int("T_mult", s => s.tMult, (s, v) => s.tMult = v)
        .Double("eta_min", s => s.etaMin, (s, v) => s.etaMin = v)
        .Double("T_cur", s => s.tCur, (s, v) => s.tCur = v)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
