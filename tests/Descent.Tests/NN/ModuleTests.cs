using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN;

/// <summary>Module traversal, modes, gradients, state dicts and printing, against PyTorch's behaviour and texts.</summary>
public class ModuleTests
{
    private static List<string> Names(Module m)
    {
        var r = new List<string>();
        foreach (var (n, _) in m.NamedParameters()) r.Add(n);
        return r;
    }

    [Fact]
    public void NamedParametersUseDottedNamesInRegistrationOrder()
    {
        var net = new Net();
        Assert.Equal(["hidden.weight", "hidden.bias", "predict.weight", "predict.bias"], Names(net));
        Assert.Equal([net.Hidden.Weight, net.Hidden.Bias!, net.Predict.Weight, net.Predict.Bias!], net.Parameters().ToList());
    }

    [Fact]
    public void NestedSequentialNamesByPosition()
    {
        var s = new Sequential(new Linear(1, 3), new ReLU(), new Sequential(new Linear(3, 2)));
        Assert.Equal(["0.weight", "0.bias", "2.0.weight", "2.0.bias"], Names(s));
        Assert.Equal(["", "0", "1", "2", "2.0"], s.NamedModules().Select(m => m.Name).ToList());
    }

    [Fact]
    public void SharedParametersAndModulesAreListedOnce()
    {
        var shared = new Linear(2, 2);
        var s = new Sequential(shared, new ReLU(), shared);
        Assert.Equal(["0.weight", "0.bias"], Names(s));
        Assert.Equal(2, s.Children().Count());
        // state_dict, like PyTorch's, saves a module under every name it has.
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], s.StateDict().Keys.ToList());
        // ... and forward runs it twice.
        Assert.Equal(3, s.Count);
    }

    [Fact]
    public void LinearWithoutBiasHasOneParameter()
    {
        var l = new Linear(3, 2, bias: false);
        Assert.Equal(["weight"], Names(l));
        Assert.Null(l.Bias);
        Assert.Equal("Linear(in_features=3, out_features=2, bias=False)", l.ToString());
    }

    [Fact]
    public void ChildrenAreDirectChildrenInOrder()
    {
        var net = new Net();
        Assert.Equal([net.Hidden, net.Predict], net.Children().ToList());
        Assert.Equal(["hidden", "predict"], net.NamedChildren().Select(c => c.Name).ToList());
        Assert.Equal(3, net.Modules().Count());
    }

    [Fact]
    public void TrainAndEvalReachEveryDescendant()
    {
        var inner = new Dropout();
        var s = new Sequential(new Linear(1, 2), new Sequential(inner));
        Assert.True(inner.Training);
        Assert.Same(s, s.Eval());
        Assert.All(s.Modules(), m => Assert.False(m.Training));
        s.Train();
        Assert.All(s.Modules(), m => Assert.True(m.Training));
        s.Train(false);
        Assert.False(inner.Training);
    }

    [Fact]
    public void ApplyVisitsChildrenBeforeParents()
    {
        var s = new Sequential(new Linear(1, 2), new Sequential(new ReLU()));
        var order = new List<string>();
        s.Apply(m => order.Add(m.GetType().Name));
        Assert.Equal(["Linear", "ReLU", "Sequential", "Sequential"], order);
    }

    [Fact]
    public void ZeroGradClearsOrZeroesEveryGradient()
    {
        var net = new Net(1, 4, 1);
        net.Forward(Tensor.Ones(3, 1)).Sum().Backward();
        Assert.All(net.Parameters(), p => Assert.NotNull(p.Grad));
        var g = net.Hidden.Weight.Grad!;
        net.ZeroGrad(setToNone: false);
        Assert.Same(g, net.Hidden.Weight.Grad);
        Assert.All(net.Parameters(), p => Assert.All(p.Grad!.ToArray(), v => Assert.Equal(0f, v)));
        net.ZeroGrad();
        Assert.All(net.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void StateDictSharesStorageAndHoldsPersistentBuffers()
    {
        var m = new Open();
        var w = m.Param("w", Parameter.Create(Tensor.Ones(2)))!;
        m.Buffer("running", Tensor.Zeros(2));
        m.Buffer("scratch", Tensor.Zeros(2), persistent: false);
        m.Child("loss", new CrossEntropyLoss(weight: Tensor.Ones(3)));
        var sd = m.StateDict();
        Assert.Equal(["w", "running", "loss.weight"], sd.Keys.ToList());
        Assert.False(sd["w"].RequiresGrad);
        sd["w"].Fill_(5);
        Assert.Equal([5f, 5f], w.ToArray());
        Assert.Equal(["running", "scratch", "loss.weight"], m.NamedBuffers().Select(b => b.Name).ToList());
    }

    [Fact]
    public void LoadStateDictCopiesValues()
    {
        var a = new Net();
        var b = new Net();
        var keys = b.LoadStateDict(a.StateDict());
        Assert.Empty(keys.MissingKeys);
        Assert.Equal("<All keys matched successfully>", keys.ToString());
        foreach (var ((_, pa), (_, pb)) in a.NamedParameters().Zip(b.NamedParameters()))
        {
            Assert.True(pa.Equal(pb));
            Assert.NotSame(pa.Storage, pb.Storage);
        }
        Assert.True(b.Hidden.Weight.IsLeaf && b.Hidden.Weight.RequiresGrad);
    }

    [Fact]
    public void StrictLoadReportsMissingAndUnexpectedKeysLikePyTorch()
    {
        var net = new Net();
        var sd = new Net().StateDict();
        sd.Remove("hidden.bias");
        sd["extra"] = Tensor.Zeros(1);
        sd["predict.extra"] = Tensor.Zeros(1);
        var before = net.Hidden.Weight.ToArray();
        var e = Assert.Throws<InvalidOperationException>(() => net.LoadStateDict(sd));
        Assert.Equal("Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: \"hidden.bias\". \n\t" +
                     "Unexpected key(s) in state_dict: \"extra\", \"predict.extra\". ", e.Message);
        // Nothing was copied, although hidden.weight matched.
        Assert.Equal(before, net.Hidden.Weight.ToArray());

        var keys = net.LoadStateDict(sd, strict: false);
        Assert.Equal(["hidden.bias"], keys.MissingKeys);
        Assert.Equal(["extra", "predict.extra"], keys.UnexpectedKeys);
        Assert.Equal("_IncompatibleKeys(missing_keys=['hidden.bias'], unexpected_keys=['extra', 'predict.extra'])", keys.ToString());
        Assert.True(net.Hidden.Weight.Equal(sd["hidden.weight"]));
    }

    [Fact]
    public void ShapeMismatchFailsEvenWhenNotStrict()
    {
        var net = new Net();
        var before = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var e = Assert.Throws<InvalidOperationException>(() => net.LoadStateDict(new Net(1, 10, 1).StateDict(), strict: false));
        Assert.Equal("Error(s) in loading state_dict for Net:\n" +
                     "\tsize mismatch for hidden.weight: copying a param with shape torch.Size([10, 1]) from checkpoint, the shape in current model is torch.Size([20, 1]).\n" +
                     "\tsize mismatch for hidden.bias: copying a param with shape torch.Size([10]) from checkpoint, the shape in current model is torch.Size([20]).\n" +
                     "\tsize mismatch for predict.weight: copying a param with shape torch.Size([1, 10]) from checkpoint, the shape in current model is torch.Size([1, 20]).",
                     e.Message);
        // predict.bias has the right shape, but a failed load changes nothing.
        foreach (var (k, v) in net.StateDict()) Assert.Equal(before[k], v.ToArray());
    }

    [Fact]
    public void MissingKeysComeBeforeSizeMismatches()
    {
        var sd = new Net(2, 20, 1).StateDict();
        sd.Remove("predict.bias");
        var e = Assert.Throws<InvalidOperationException>(() => new Net().LoadStateDict(sd));
        Assert.Equal("Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: \"predict.bias\". \n" +
                     "\tsize mismatch for hidden.weight: copying a param with shape torch.Size([20, 2]) from checkpoint, the shape in current model is torch.Size([20, 1]).",
                     e.Message);
    }

    [Fact]
    public void EmptyStateDictIntoSequential()
    {
        var s = new Sequential(new Linear(1, 3), new ReLU(), new Sequential(new Linear(3, 2)));
        var e = Assert.Throws<InvalidOperationException>(() => s.LoadStateDict(new Dictionary<string, Tensor>()));
        Assert.Equal("Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"0.weight\", \"0.bias\", \"2.0.weight\", \"2.0.bias\". ",
                     e.Message);
    }

    [Fact]
    public void RegistrationRulesAndMessagesArePyTorchs()
    {
        var m = new Open();
        m.Child("hidden", new ReLU());
        Assert.Equal("attribute 'hidden' already exists", Assert.Throws<ArgumentException>(() => m.Param("hidden", null)).Message);
        Assert.Equal("buffer name can't contain \".\"", Assert.Throws<ArgumentException>(() => m.Buffer("a.b", null)).Message);
        Assert.Equal("module name can't contain \".\", got: a.b", Assert.Throws<ArgumentException>(() => m.Child("a.b", new ReLU())).Message);
        Assert.Equal("module name can't be empty string \"\"", Assert.Throws<ArgumentException>(() => m.Child("", new ReLU())).Message);
        Assert.Equal("parameter name can't be empty string \"\"", Assert.Throws<ArgumentException>(() => m.Param("", null)).Message);
        var nonLeaf = Tensor.Ones(2).RequiresGrad_().Mul(2.0);
        Assert.StartsWith("Cannot assign non-leaf Tensor to parameter 'p'.", Assert.Throws<ArgumentException>(() => m.Param("p", nonLeaf)).Message);
        // Registering a parameter name again replaces it in place, as assigning in PyTorch does.
        var a = m.Param("w", Parameter.Create(Tensor.Zeros(1)))!;
        var b = m.Param("w", Parameter.Create(Tensor.Ones(1)))!;
        Assert.Equal([b], m.Parameters().ToList());
        Assert.NotSame(a, b);
    }

    [Fact]
    public void PrintsLikePyTorch()
    {
        var reprs = GoldenJson.Load("nn.json").GetProperty("reprs");
        Assert.Equal(reprs.GetProperty("Net").GetString(), new Net().ToString());
        Assert.Equal(reprs.GetProperty("Net(2, 10, 2)").GetString(), new Net(2, 10, 2).ToString());
        Assert.Equal(reprs.GetProperty("Sequential").GetString(), new Sequential(new Linear(1, 10), new ReLU(), new Linear(10, 1)).ToString());
        Assert.Equal(reprs.GetProperty("Sequential nested").GetString(), new Sequential(
            new Linear(1, 10), new Sequential(new ReLU(), new Flatten()), new Identity(), new Dropout(), new Softplus(),
            new Softmax(dim: 1), new LogSoftmax(dim: -1), new Linear(3, 2, bias: false), new Sigmoid(), new Tanh(),
            new ReLU(inplace: true)).ToString());
        Assert.Equal(reprs.GetProperty("Sequential empty").GetString(), new Sequential().ToString());
        Assert.Equal(reprs.GetProperty("Dropout(p=0.2, inplace=True)").GetString(), new Dropout(0.2, inplace: true).ToString());
        Assert.Equal(reprs.GetProperty("Softplus(beta=0.5, threshold=10)").GetString(), new Softplus(0.5, 10).ToString());
        Assert.Equal(reprs.GetProperty("Softmax()").GetString(), new Softmax().ToString());
        Assert.Equal(reprs.GetProperty("Flatten(0, 2)").GetString(), new Flatten(0, 2).ToString());
        Assert.Equal(reprs.GetProperty("MSELoss").GetString(), new MSELoss().ToString());
        Assert.Equal(reprs.GetProperty("CrossEntropyLoss").GetString(), new CrossEntropyLoss(weight: Tensor.Ones(3)).ToString());
        Assert.Equal(reprs.GetProperty("BCEWithLogitsLoss").GetString(), new BCEWithLogitsLoss().ToString());
    }

    private sealed class Multi : Module
    {
        public override Tensor Forward(Tensor input) => input;
        public override string ExtraRepr() => "a=1\nb=2";
    }

    [Fact]
    public void MultiLineExtraReprIsIndentedLikePyTorch()
    {
        Assert.Equal("Multi(\n  a=1\n  b=2\n)", new Multi().ToString());
        var s = new Sequential(new Multi());
        Assert.Equal("Sequential(\n  (0): Multi(\n    a=1\n    b=2\n  )\n)", s.ToString());
    }

    [Fact]
    public void SequentialIndexingAndNames()
    {
        var relu = new ReLU();
        var s = new Sequential(new Linear(1, 2), relu);
        Assert.Same(relu, s[-1]);
        Assert.Equal("index 2 is out of range", Assert.Throws<IndexOutOfRangeException>(() => s[2]).Message);
        var named = new Sequential([("fc", (Module)new Linear(2, 1)), ("act", new Sigmoid())]);
        Assert.Equal("Sequential(\n  (fc): Linear(in_features=2, out_features=1, bias=True)\n  (act): Sigmoid()\n)", named.ToString());
        Assert.Equal(["fc.weight", "fc.bias"], Names(named));
        Assert.Equal([1, 1], named.Forward(Tensor.Zeros(1, 2)).Shape);
    }
}
