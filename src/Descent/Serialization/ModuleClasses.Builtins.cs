using Descent.NN;
using Descent.Tensors;

namespace Descent.Serialization;

// The torch.nn classes Descent has, under the names PyTorch pickles them with and the attributes their __init__ sets
// (PyTorch 1.13 and 2.x agree on both).
public static partial class ModuleClasses
{
    private const string Activation = "torch.nn.modules.activation.", Loss = "torch.nn.modules.loss.";

    private static void RegisterBuiltins()
    {
        Register("torch.nn.modules.container.Sequential", s => new Sequential(s.Children.Select(c =>
            (c.Name, c.Value ?? throw s.Bad($"submodule '{c.Name}' is None")))), _ => []);
        Register("torch.nn.modules.linear.Linear", LoadLinear, m => [("in_features", m.InFeatures), ("out_features", m.OutFeatures)]);
        Register("torch.nn.modules.linear.Identity", _ => new Identity(), _ => []);
        Register(Activation + "ReLU", s => new ReLU(s.GetBool("inplace")), m => [("inplace", m.Inplace)]);
        Register(Activation + "Tanh", _ => new Tanh(), _ => []);
        Register(Activation + "Sigmoid", _ => new Sigmoid(), _ => []);
        // Softmax's __setstate__ gives dim None to modules pickled before it had one.
        Register(Activation + "Softmax", s => new Softmax(s.Has("dim") ? s.GetOptionalInt("dim") : null), m => [("dim", m.Dim)]);
        Register(Activation + "LogSoftmax", s => new LogSoftmax(s.Has("dim") ? s.GetOptionalInt("dim") : null), m => [("dim", m.Dim)]);
        Register(Activation + "Softplus", s => new Softplus(s.GetDouble("beta"), s.GetDouble("threshold")),
            m => [Number("beta", m.Beta), Number("threshold", m.Threshold)]);
        Register("torch.nn.modules.dropout.Dropout", s => new Dropout(s.GetDouble("p"), s.GetBool("inplace")), m => [("p", m.P), ("inplace", m.Inplace)]);
        Register("torch.nn.modules.flatten.Flatten", s => new Flatten(s.GetInt("start_dim"), s.GetInt("end_dim")),
            m => [("start_dim", m.StartDim), ("end_dim", m.EndDim)]);
        Register(Loss + "MSELoss", s => new MSELoss(s.GetString("reduction")), m => [("reduction", m.Reduction)]);
        Register(Loss + "L1Loss", s => new L1Loss(s.GetString("reduction")), m => [("reduction", m.Reduction)]);
        Register(Loss + "NLLLoss", s => new NLLLoss(s.GetBuffer("weight"), s.GetLong("ignore_index"), s.GetString("reduction")),
            m => [("reduction", m.Reduction), ("ignore_index", m.IgnoreIndex)]);
        Register(Loss + "CrossEntropyLoss",
            s => new CrossEntropyLoss(s.GetBuffer("weight"), s.GetLong("ignore_index"), s.GetString("reduction"), s.GetDouble("label_smoothing")),
            m => [("reduction", m.Reduction), ("ignore_index", m.IgnoreIndex), ("label_smoothing", m.LabelSmoothing)]);
        Register(Loss + "BCELoss", s => new BCELoss(s.GetBuffer("weight"), s.GetString("reduction")), m => [("reduction", m.Reduction)]);
        Register(Loss + "BCEWithLogitsLoss", s => new BCEWithLogitsLoss(s.GetBuffer("weight"), s.GetString("reduction"), s.GetBuffer("pos_weight")),
            m => [("reduction", m.Reduction)]);
        RegisterLayers();
        RegisterActivations();
        RegisterNorm();
        RegisterRecurrent();
    }

    private static Linear LoadLinear(SavedModule s)
    {
        int inFeatures = s.GetInt("in_features"), outFeatures = s.GetInt("out_features");
        var weight = s.GetParameter("weight");
        var bias = s.GetOptionalParameter("bias");
        s.CheckShape(weight, "weight", outFeatures, inFeatures);
        s.CheckShape(bias, "bias", outFeatures);
        if (!weight.DType.IsFloatingPoint() || (bias is not null && bias.DType != weight.DType))
            throw s.Bad($"weight and bias are {weight.DType.TorchName()} and {bias?.DType.TorchName()}, not one floating-point dtype");
        return new Linear(weight, bias);
    }

    /// <summary>An attribute whose whole values are Python ints, as PyTorch 1.13's defaults for Softplus are (beta=1, threshold=20).</summary>
    private static (string Name, object? Value) Number(string name, double v)
    {
        if (v == Math.Floor(v) && Math.Abs(v) < 1e15) return (name, (long)v);
        return (name, v);
    }
}
