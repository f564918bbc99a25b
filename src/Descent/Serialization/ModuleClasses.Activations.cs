using Descent.NN;

namespace Descent.Serialization;

// The further activations and losses, with the attributes PyTorch 1.13's __init__ sets, in its order.
public static partial class ModuleClasses
{
    private static void RegisterActivations()
    {
        Register(Activation + "GELU", s => new GELU(s.GetString("approximate")), m => [("approximate", m.Approximate)]);
        Register(Activation + "SiLU", _ => new SiLU(), _ => [("inplace", false)]);
        Register(Activation + "Mish", _ => new Mish(), _ => [("inplace", false)]);
        Register(Activation + "Hardswish", _ => new Hardswish(), _ => [("inplace", false)]);
        Register(Activation + "LeakyReLU", s => new LeakyReLU(s.GetDouble("negative_slope")), m => [("negative_slope", m.NegativeSlope), ("inplace", false)]);
        Register(Activation + "ELU", s => new ELU(s.GetDouble("alpha")), m => [("alpha", m.Alpha), ("inplace", false)]);
        Register(Activation + "Hardtanh", s => new Hardtanh(s.GetDouble("min_val"), s.GetDouble("max_val")),
            m => [("min_val", m.MinVal), ("max_val", m.MaxVal), ("inplace", false)]);
        Register(Activation + "PReLU", s => new PReLU(s.GetInt("num_parameters"), s.Has("init") ? s.GetDouble("init") : 0.25),
            m => [("num_parameters", (long)m.NumParameters), ("init", m.Init)]);
        Register(Loss + "SmoothL1Loss", s => new SmoothL1Loss(s.GetString("reduction"), s.GetDouble("beta")), m => [("reduction", m.Reduction), ("beta", m.Beta)]);
        Register(Loss + "HuberLoss", s => new HuberLoss(s.GetString("reduction"), s.GetDouble("delta")), m => [("reduction", m.Reduction), ("delta", m.Delta)]);
        Register(Loss + "KLDivLoss", s => new KLDivLoss(s.GetString("reduction"), s.GetBool("log_target")),
            m => [("reduction", m.KlReduction), ("log_target", m.LogTarget)]);
    }
}
