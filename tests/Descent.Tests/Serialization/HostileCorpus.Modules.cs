namespace Descent.Tests.Serialization;

// Whole-module pickles: classes outside the allow-list, allowed classes used in ways torch.save never writes (their
// constructor called, arguments to __new__, no state, state twice, a module inside itself, hooks), state of the wrong
// shape or type, module nesting past the depth limit, and floods of modules made from one memoised state.
internal static partial class HostileCorpus
{
    private const string Activation = "torch.nn.modules.activation", LinearModule = "torch.nn.modules.linear", Container = "torch.nn.modules.container";

    /// <summary>NEWOBJ on a class, leaving the empty object on the stack.</summary>
    private static void New(P p, string module, string name)
    {
        p.Global(module, name);
        p.Op(0x29); // EMPTY_TUPLE
        p.Op(0x81); // NEWOBJ
    }

    /// <summary>A state dict of string keys; each value is written by its action. Leaves the dict on the stack.</summary>
    private static void State(P p, params (string Key, Action<P> Value)[] items)
    {
        p.Op(0x7d);
        foreach (var (k, v) in items)
        {
            p.Unicode(k);
            v(p);
            p.Op(0x73); // SETITEM
        }
    }

    private static Action<P> OrderedDict(params (string Key, Action<P> Value)[] items) => p =>
    {
        p.Global("collections", "OrderedDict"); p.Op(0x29); p.Op(0x52);
        foreach (var (k, v) in items) { p.Unicode(k); v(p); p.Op(0x73); }
    };

    private static readonly Action<P> False = p => p.Op(0x89), None = p => p.Op(0x4e);

    private static Action<P> Int(long v) => p => p.Long(v);

    /// <summary>A whole ReLU: NEWOBJ, its state, BUILD.</summary>
    private static void Relu(P p)
    {
        New(p, Activation, "ReLU");
        State(p, ("inplace", False));
        p.Op(0x62);
    }

    private static IEnumerable<(string, string, byte[])> Modules()
    {
        const string C = "modules";
        yield return (C, "ok-relu", P.Proto(2).Then(Relu).Stop());
        // A buffer registered as None is legal (PyTorch's losses have one), even where the class has none.
        yield return (C, "ok-relu-with-none-buffer", P.Proto(2).Then(p =>
        {
            New(p, Activation, "ReLU"); State(p, ("inplace", False), ("_buffers", OrderedDict(("extra", None)))); p.Op(0x62);
        }).Stop());
        yield return (C, "ok-sequential-of-relus", P.Proto(2).Then(p =>
        {
            New(p, Container, "Sequential");
            State(p, ("training", False), ("_modules", OrderedDict(("0", Relu), ("1", Relu))));
            p.Op(0x62);
        }).Stop());
        // Classes outside the allow-list, with state that would run a command if a real unpickler got that far.
        foreach (var (module, name) in new[] { ("__main__", "Net"), ("torch.nn.modules.conv", "Conv2d"), ("torch.nn.modules.module", "Module"), ("mymodels", "Evil") })
            yield return (C, $"class-{module}.{name}", P.Proto(2).Then(p =>
            {
                New(p, module, name);
                State(p, ("cmd", q => { q.Global("os", "system"); q.Unicode("touch pwned"); q.Op(0x85); q.Op(0x52); }));
                p.Op(0x62);
            }).Stop());
        // Allowed classes used as torch.save never writes them.
        yield return (C, "constructor-called", P.Proto(2).Then(p => { p.Global(LinearModule, "Linear"); p.Long(3); p.Long(4); p.Op(0x86); p.Op(0x52); }).Stop());
        yield return (C, "new-with-arguments", P.Proto(2).Then(p => { p.Global(Activation, "ReLU"); p.Op(0x88); p.Op(0x85); p.Op(0x81); }).Stop());
        yield return (C, "never-built", P.Proto(2).Then(p => New(p, Activation, "ReLU")).Stop());
        yield return (C, "built-twice", P.Proto(2).Then(p => { Relu(p); State(p, ("inplace", False)); p.Op(0x62); }).Stop());
        yield return (C, "state-not-a-dict", P.Proto(2).Then(p => { New(p, Activation, "ReLU"); p.Op(0x5d); p.Op(0x62); }).Stop());
        yield return (C, "used-before-built", P.Proto(2).Then(p =>
        {
            p.Op(0x5d); New(p, Activation, "ReLU"); p.Op(0x71, 0); p.Op(0x61); // the empty object appended to a list
            p.Op(0x68, 0); State(p, ("inplace", False)); p.Op(0x62); p.Op(0x30);
        }).Stop());
        yield return (C, "contains-itself", P.Proto(2).Then(p =>
        {
            New(p, Container, "Sequential"); p.Op(0x71, 0);
            State(p, ("_modules", OrderedDict(("0", q => q.Op(0x68, 0)))));
            p.Op(0x62);
        }).Stop());
        yield return (C, "as-dict-key", P.Proto(2).Then(p => { p.Op(0x7d); Relu(p); p.Long(1); p.Op(0x73); }).Stop());
        yield return (C, "hooks-registered", P.Proto(2).Then(p =>
        {
            New(p, Activation, "ReLU"); State(p, ("inplace", False), ("_forward_hooks", OrderedDict(("1", Int(2))))); p.Op(0x62);
        }).Stop());
        // State of the wrong type or shape.
        (string Name, string Module, string Class, (string, Action<P>)[] State)[] bad =
        [
            ("training-not-bool", Activation, "ReLU", [("inplace", False), ("training", Int(1))]),
            ("parameters-a-list", LinearModule, "Linear", [("in_features", Int(2)), ("out_features", Int(2)), ("_parameters", p => p.Op(0x5d))]),
            ("parameter-a-string", LinearModule, "Linear", [("in_features", Int(2)), ("out_features", Int(2)), ("_parameters", OrderedDict(("weight", p => p.Unicode("w")), ("bias", None)))]),
            ("linear-without-weight", LinearModule, "Linear", [("in_features", Int(2)), ("out_features", Int(2))]),
            ("linear-weight-none", LinearModule, "Linear", [("in_features", Int(2)), ("out_features", Int(2)), ("_parameters", OrderedDict(("weight", None), ("bias", None)))]),
            ("linear-features-not-int", LinearModule, "Linear", [("in_features", p => p.Unicode("2")), ("out_features", Int(2))]),
            ("dropout-p-out-of-range", "torch.nn.modules.dropout", "Dropout", [("p", p => { p.Op(0x47); p.Raw([0x40, 0, 0, 0, 0, 0, 0, 0]); }), ("inplace", False)]),
            ("softmax-dim-huge", Activation, "Softmax", [("dim", Int(1L << 40))]),
            ("flatten-missing-dims", "torch.nn.modules.flatten", "Flatten", []),
            ("loss-reduction-unknown", "torch.nn.modules.loss", "MSELoss", [("reduction", p => p.Unicode("median"))]),
            ("sequential-child-none", Container, "Sequential", [("_modules", OrderedDict(("0", None)))]),
            ("sequential-child-an-int", Container, "Sequential", [("_modules", OrderedDict(("0", Int(5))))]),
            ("buffer-an-int", Activation, "ReLU", [("inplace", False), ("_buffers", OrderedDict(("extra", Int(5))))]),
            ("non-persistent-a-list", Activation, "ReLU", [("inplace", False), ("_non_persistent_buffers_set", p => p.Op(0x5d))]),
            ("set-of-ints", Activation, "ReLU", [("inplace", False), ("_non_persistent_buffers_set", p => { p.Global("__builtin__", "set"); p.Op(0x5d); p.Long(1); p.Op(0x61); p.Op(0x85); p.Op(0x52); })]),
        ];
        foreach (var (name, module, cls, state) in bad)
            yield return (C, name, P.Proto(2).Then(p => { New(p, module, cls); State(p, state); p.Op(0x62); }).Stop());
        yield return (C, "set-as-value", P.Proto(2).Then(p => { p.Global("builtins", "set"); p.Op(0x5d); p.Op(0x85); p.Op(0x52); }).Stop());
        yield return (C, "module-persistent-id-not-a-module", P.Proto(2).Then(p =>
        {
            p.Op(0x28); p.Unicode("module"); p.Global("torch", "FloatStorage"); p.Unicode("f.py"); p.Unicode("src"); p.Op(0x74); p.Op(0x51);
            p.Op(0x29); p.Op(0x81);
        }).Stop());
        // Sequentials nested in Sequentials: each level is three containers deep (module, state, _modules).
        foreach (int levels in new[] { 400, 5000 })
            yield return (C, $"nested-sequentials-{levels}", P.Proto(2).Then(p =>
            {
                for (int i = 0; i < levels; i++)
                {
                    New(p, Container, "Sequential");
                    p.Op(0x7d); p.Unicode("_modules"); p.Global("collections", "OrderedDict"); p.Op(0x29); p.Op(0x52); p.Unicode("0");
                }
                Relu(p);
                for (int i = 0; i < levels; i++) { p.Op(0x73); p.Op(0x73); p.Op(0x62); }
            }).Stop());
        // Many modules from one memoised state: 8 bytes of pickle per module.
        foreach (int n in new[] { 50_000, 300_000 })
            yield return (C, $"flood-of-modules-{n}", P.Proto(2).Then(p =>
            {
                p.Global(Activation, "ReLU"); p.Op(0x71, 0); p.Op(0x30);
                State(p, ("inplace", False)); p.Op(0x71, 1); p.Op(0x30);
                p.Op(0x5d); p.Op(0x28);
                for (int i = 0; i < n; i++) { p.Op(0x68, 0); p.Op(0x29); p.Op(0x81); p.Op(0x68, 1); p.Op(0x62); }
                p.Op(0x65);
            }).Stop());
    }
}
