using Descent.Optim;
using Descent.Tensors;
using Descent.Text;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>The base optimizer behaviours, run over every optimizer and configuration of <see cref="OptimizerCases"/>.</summary>
public class OptimizerBehaviourTests
{
    public static IEnumerable<object[]> All() => OptimizerCases.All();

    public static IEnumerable<object[]> Names() => OptimizerCases.Names.Select(n => new object[] { n });

    public static IEnumerable<object[]> ErrorIndices() => Enumerable.Range(0, OptimizerCases.Errors.Length).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(ErrorIndices))]
    public void InvalidArgumentsThrowPyTorchsMessage(int index)
    {
        var (name, options, error, message) = OptimizerCases.Errors[index];
        var e = Assert.ThrowsAny<ArgumentException>(() => OptimizerRegistry.Create(name, [new ParamGroup(OptimizerCases.Params())], options));
        Assert.IsType(error, e);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EmptyParameterListIsRefused(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create(name, [], new Dictionary<string, object?>()));
        Assert.Equal("optimizer got an empty parameter list", e.Message);
        e = Assert.Throws<ArgumentException>(() => OptimizerCases.Make(name, 0, new List<Tensor>()));
        Assert.Equal("optimizer got an empty parameter list", e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ParameterInTwoGroupsIsRefused(string name)
    {
        var ps = OptimizerCases.Params();
        var e = Assert.Throws<ArgumentException>(() => OptimizerCases.Make(name, 0, [new ParamGroup([ps[0], ps[1]]), new ParamGroup([ps[1]])]));
        // As in PyTorch, add_param_group's own check comes first (LBFGS's one-group rule is checked after it).
        Assert.Equal("some parameters appear in more than one parameter group", e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void NonLeafTensorIsRefused(string name)
    {
        var ps = OptimizerCases.Params();
        var e = Assert.Throws<ArgumentException>(() => OptimizerCases.Make(name, 0, [ps[0] * 2]));
        Assert.Equal("can't optimize a non-leaf Tensor", e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void UnorderedSetIsRefused(string name)
    {
        var set = new HashSet<Tensor>(OptimizerCases.Params());
        var e = Assert.Throws<ArgumentException>(() => OptimizerCases.Make(name, 0, set));
        Assert.StartsWith("optimizer parameters need to be organized in ordered collections", e.Message);
    }

    [Fact]
    public void LbfgsRefusesSeveralGroups()
    {
        var ps = OptimizerCases.Params();
        var e = Assert.Throws<ArgumentException>(() => new LBFGS([new ParamGroup([ps[0]]), new ParamGroup([ps[1]])]));
        Assert.Equal("LBFGS doesn't support per-parameter options (parameter groups)", e.Message);
        var opt = new LBFGS(ps.Take(2));
        Assert.Throws<ArgumentException>(() => opt.AddParamGroup(new ParamGroup([ps[2]])));
    }

    [Fact]
    public void MuonRefusesNonMatrices()
    {
        var e = Assert.Throws<ArgumentException>(() => new Muon([Tensor.Zeros(3).RequiresGrad_()]));
        Assert.Equal("Muon only supports 2D parameters whereas we found a parameter with size: torch.Size([3])", e.Message);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ZeroGradClearsOrZeroes(string name, int config)
    {
        var ps = OptimizerCases.Params();
        var opt = OptimizerCases.Make(name, config, ps);
        OptimizerCases.Loss(opt);
        opt.ZeroGrad(setToNone: false);
        foreach (var p in ps) Assert.All(p.Grad!.ToArray(), v => Assert.Equal(0f, v));
        OptimizerCases.Loss(opt);
        opt.ZeroGrad();
        foreach (var p in ps) Assert.Null(p.Grad);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void StepWithClosureReturnsTheLoss(string name, int config)
    {
        var ps = OptimizerCases.Params();
        var opt = OptimizerCases.Make(name, config, ps);
        var before = ps.Select(p => p.ToArray()).ToList();
        Tensor? seen = null;
        var loss = opt.Step(() => seen = OptimizerCases.Loss(opt));
        Assert.Same(seen is null ? null : loss, loss);
        Assert.NotNull(loss);
        Assert.True(ps.Zip(before).Any(x => !x.First.ToArray().SequenceEqual(x.Second)), "the step changed no parameter");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AddParamGroupFillsDefaults(string name)
    {
        if (name == "LBFGS") return; // one group only (LbfgsRefusesSeveralGroups)
        var ps = OptimizerCases.Params();
        var opt = OptimizerCases.Make(name, 0, [ps[0]]);
        var g = new ParamGroup([ps[1]]) { ["lr"] = 0.123 };
        opt.AddParamGroup(g);
        Assert.Equal(0.123, opt.ParamGroups[1].Lr);
        foreach (var (k, v) in opt.Defaults)
            if (k != "lr") Assert.Equal(v, opt.ParamGroups[1][k]);
        Assert.Equal(opt.Defaults.Keys.OrderBy(k => k), opt.ParamGroups[1].Options.Select(o => o.Key).OrderBy(k => k));
        OptimizerCases.StepOnce(opt);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void LrIsReadAtEveryStep(string name)
    {
        var ps = OptimizerCases.Params(1);
        var opt = OptimizerCases.Make(name, 0, ps);
        opt.ParamGroups[0].Lr = 0;
        var before = ps[0].ToArray();
        OptimizerCases.StepOnce(opt);
        if (name is not ("Rprop" or "Adafactor" or "ASGD"))
            Assert.Equal(before, ps[0].ToArray()); // lr 0: no move (Rprop's Δ, Adafactor's ρ and ASGD's η are state, not lr)
    }

    [Theory]
    [MemberData(nameof(All))]
    public void StateDictHasPyTorchsStructure(string name, int config)
    {
        var ps = OptimizerCases.Params(4);
        var groups = name == "LBFGS"
            ? new List<ParamGroup> { new(ps) }
            : [new ParamGroup([ps[0], ps[1]]), new ParamGroup([ps[2], ps[3]]) { ["lr"] = 0.01 }];
        var opt = OptimizerCases.Make(name, config, groups);
        ps[3].RequiresGrad = false; // never gets a gradient, so never gets state (except Adagrad's eager state)
        OptimizerCases.StepOnce(opt);
        var sd = opt.StateDict();
        Assert.Equal(groups.Count, sd.ParamGroups.Count);
        int next = 0;
        foreach (var (g, saved) in opt.ParamGroups.Zip(sd.ParamGroups))
        {
            Assert.Equal(Enumerable.Range(next, g.Params.Count), (int[])saved["params"]!);
            next += g.Params.Count;
            foreach (var (k, v) in g.Options) Assert.Equal(v, saved[k]);
            foreach (var k in opt.Defaults.Keys) Assert.True(saved.ContainsKey(k), $"group lacks option {k}");
        }
        // SGD without momentum keeps no state, so PyTorch's state dict has none.
        int[] expectedIds = (name, config) switch { ("LBFGS", _) => [0], ("Adagrad", _) => [0, 1, 2, 3], ("SGD", 0) => [], _ => [0, 1, 2] };
        Assert.Equal(expectedIds, sd.State.Keys);
        if (expectedIds.Length == 0) return;
        var keys = sd.State[0].Keys.ToHashSet();
        if (ExpectedStateKeys(name, config) is { } expectedKeys) Assert.Equal(expectedKeys.OrderBy(k => k), keys.OrderBy(k => k));
    }

    // PyTorch's state keys per optimizer and configuration; null for an optimizer not listed (its keys come from its schema).
    private static string[]? ExpectedStateKeys(string name, int config) => (name, config) switch
    {
        ("SGD", _) => ["momentum_buffer"],
        ("Adam" or "AdamW", 0) => ["step", "exp_avg", "exp_avg_sq"],
        ("Adam" or "AdamW", _) => ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
        ("Adadelta", _) => ["step", "square_avg", "acc_delta"],
        ("Adagrad", _) => ["step", "sum"],
        ("Adamax", _) => ["step", "exp_avg", "exp_inf"],
        ("ASGD", _) => ["step", "eta", "mu", "ax"],
        ("NAdam", _) => ["step", "mu_product", "exp_avg", "exp_avg_sq"],
        ("RAdam", _) => ["step", "exp_avg", "exp_avg_sq"],
        ("RMSprop", 0) => ["step", "square_avg"],
        ("RMSprop", _) => ["step", "square_avg", "momentum_buffer", "grad_avg"],
        ("Rprop", _) => ["step", "prev", "step_size"],
        ("LBFGS", _) => ["func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss", "al"],
        ("SparseAdam", _) => ["step", "exp_avg", "exp_avg_sq"],
        ("Adafactor", _) => ["step", "row_var", "col_var"],
        ("Muon", _) => ["momentum_buffer"],
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void LoadStateDictRefusesMismatchesAndChangesNothing(string name)
    {
        if (name == "LBFGS") return; // one group only: the group-count case cannot be built
        var ps = OptimizerCases.Params(3);
        var opt = OptimizerCases.Make(name, 0, [new ParamGroup([ps[0], ps[1]]), new ParamGroup([ps[2]])]);
        OptimizerCases.StepOnce(opt);
        var before = Snapshot(opt);

        var other = OptimizerCases.Make(name, 0, [new ParamGroup(OptimizerCases.Params(3, seed: 1))]);
        OptimizerCases.StepOnce(other);
        var e = Assert.Throws<ArgumentException>(() => opt.LoadStateDict(other.StateDict()));
        Assert.Equal("loaded state dict has a different number of parameter groups", e.Message);

        var q = OptimizerCases.Params(3, seed: 2);
        var misfit = OptimizerCases.Make(name, 0, [new ParamGroup([q[0]]), new ParamGroup([q[1], q[2]])]);
        OptimizerCases.StepOnce(misfit);
        var sd = misfit.StateDict();
        sd.ParamGroups[0]["lr"] = 99.0;
        e = Assert.Throws<ArgumentException>(() => opt.LoadStateDict(sd));
        Assert.Equal("loaded state dict contains a parameter group that doesn't match the size of optimizer's group", e.Message);
        Assert.Equal(before, Snapshot(opt));
    }

    private static string Snapshot(Optimizer opt)
    {
        var sd = opt.StateDict();
        var sb = new System.Text.StringBuilder();
        foreach (var g in sd.ParamGroups)
            foreach (var (k, v) in g.OrderBy(e => e.Key)) sb.Append(k).Append('=').Append(v is int[] a ? string.Join(",", a) : PyRepr.Str(v)).Append(';');
        foreach (var (id, s) in sd.State)
            foreach (var (k, v) in s.OrderBy(e => e.Key))
                sb.Append(id).Append(k).Append('=').Append(v is Tensor t ? string.Join(",", t.ToArray()) : v.ToString()).Append(';');
        return sb.ToString();
    }

    [Theory]
    [MemberData(nameof(All))]
    public void StateDictRoundTripContinuesBitForBit(string name, int config)
    {
        var ps = OptimizerCases.Params();
        var opt = OptimizerCases.Make(name, config, ps);
        for (int i = 0; i < 3; i++) OptimizerCases.StepOnce(opt);

        var clones = ps.Select(p => p.Detach().Clone().RequiresGrad_()).ToList();
        var fresh = OptimizerCases.Make(name, config, clones);
        fresh.LoadStateDict(opt.StateDict());

        for (int i = 0; i < 4; i++)
        {
            OptimizerCases.StepOnce(opt);
            OptimizerCases.StepOnce(fresh);
        }
        for (int i = 0; i < ps.Count; i++) Assert.Equal(ps[i].ToArray(), clones[i].ToArray());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StepHooksRunInOrderAndDisposeRemoves(string name)
    {
        var ps = OptimizerCases.Params();
        var opt = OptimizerCases.Make(name, 0, ps);
        var log = new List<string>();
        var pre = opt.RegisterStepPreHook(o => { Assert.Same(opt, o); log.Add("pre"); });
        var post = opt.RegisterStepPostHook(_ => log.Add("post"));
        var gpre = Optimizer.RegisterGlobalStepPreHook(o => { if (o == opt) log.Add("gpre"); });
        var gpost = Optimizer.RegisterGlobalStepPostHook(o => { if (o == opt) log.Add("gpost"); });
        OptimizerCases.StepOnce(opt);
        Assert.Equal(["gpre", "pre", "post", "gpost"], log);
        pre.Dispose(); post.Dispose(); gpre.Dispose(); gpost.Dispose();
        log.Clear();
        OptimizerCases.StepOnce(opt);
        Assert.Empty(log);
    }

    [Fact]
    public void StateDictHooksCanReplaceTheDict()
    {
        var ps = OptimizerCases.Params();
        var opt = new Adam(ps, lr: 0.1);
        OptimizerCases.StepOnce(opt);
        var log = new List<string>();
        using (opt.RegisterStateDictPreHook(_ => log.Add("sd-pre")))
        using (opt.RegisterStateDictPostHook((_, sd) => { log.Add("sd-post"); sd.ParamGroups[0]["note"] = "hooked"; return sd; }))
        {
            var sd = opt.StateDict();
            Assert.Equal("hooked", sd.ParamGroups[0]["note"]);
            sd.ParamGroups[0]["lr"] = 0.5;
            using (opt.RegisterLoadStateDictPreHook((_, d) => { log.Add("load-pre"); d.ParamGroups[0]["lr"] = 0.25; return d; }))
            using (opt.RegisterLoadStateDictPostHook(_ => log.Add("load-post")))
                opt.LoadStateDict(sd);
        }
        Assert.Equal(["sd-pre", "sd-post", "load-pre", "load-post"], log);
        Assert.Equal(0.25, opt.ParamGroups[0].Lr);
        log.Clear();
        opt.StateDict();
        Assert.Empty(log);
    }

    [Fact]
    public void AdamWIsAdamWithDecoupledDecay()
    {
        var a = OptimizerCases.Params();
        var b = a.Select(p => p.Detach().Clone().RequiresGrad_()).ToList();
        var adamw = new AdamW(a, lr: 0.1, weightDecay: 0.3);
        var adam = new Adam(b, lr: 0.1, weightDecay: 0.3, decoupledWeightDecay: true);
        Assert.Equal(true, adamw.ParamGroups[0]["decoupled_weight_decay"]);
        Assert.Equal(0.01, new AdamW(OptimizerCases.Params()).ParamGroups[0].GetDouble("weight_decay"));
        for (int i = 0; i < 5; i++) { OptimizerCases.StepOnce(adamw); OptimizerCases.StepOnce(adam); }
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i].ToArray(), b[i].ToArray());
    }

    [Fact]
    public void SparseAdamUpdatesOnlyPresentRows()
    {
        var p = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2).RequiresGrad_();
        var opt = new SparseAdam([p], lr: 0.1);
        p.Grad = Tensor.FromArray(new float[] { 0, 0, 1, -1, 0, 0 }, 3, 2);
        opt.Step();
        var v = p.ToArray();
        Assert.Equal([1f, 2f], v[..2]);
        Assert.Equal([5f, 6f], v[4..]);
        Assert.NotEqual(3f, v[2]);
        var s = (SparseAdamState)opt.State[p];
        Assert.Equal([0f, 0f, 0f, 0f], s.ExpAvg.ToArray()[..2].Concat(s.ExpAvg.ToArray()[4..]));
    }

    [Fact]
    public void LbfgsNeedsAClosure()
    {
        var opt = new LBFGS(OptimizerCases.Params());
        Assert.Throws<ArgumentException>(() => opt.Step());
    }
}
