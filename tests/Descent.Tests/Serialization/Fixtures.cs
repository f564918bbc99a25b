using System.Text.Json;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Tests.Serialization;

/// <summary>Paths and JSON of the checkpoint fixtures (tests/golden/gen_checkpoints.py, check_descent_files.py).</summary>
internal static class Fixtures
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Golden", "checkpoints");

    public static string Path_(string name) => Path.Combine(Dir, name);

    public static JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllBytes(Path_(name))).RootElement;

    public static float[] Floats(JsonElement e)
    {
        var r = new float[e.GetArrayLength()];
        int i = 0;
        foreach (var v in e.EnumerateArray()) r[i++] = (float)v.GetDouble();
        return r;
    }

    public static int[] Ints(JsonElement e)
    {
        var r = new int[e.GetArrayLength()];
        int i = 0;
        foreach (var v in e.EnumerateArray()) r[i++] = v.GetInt32();
        return r;
    }

    /// <summary>The three parameters of the optimizer fixtures, with the given values.</summary>
    public static Tensor[] Params(JsonElement fixture)
    {
        var shapes = fixture.GetProperty("shapes").EnumerateArray().Select(Ints).ToArray();
        var values = fixture.GetProperty("params").EnumerateArray().Select(Floats).ToArray();
        return shapes.Select((s, i) => Tensor.FromArray(values[i], s).RequiresGrad_()).ToArray();
    }

    /// <summary>The optimizer of a fixture over two groups (params 0-1, param 2), built with Descent's constructor.</summary>
    public static Optimizer MakeOptimizer(string name, Tensor[] p)
    {
        var groups = new[] { new ParamGroup(p[..2]), new ParamGroup(p[2..]) };
        return name switch
        {
            "adam" => new Adam(groups, lr: 0.01, betas: (0.9, 0.99), weightDecay: 0.01, amsgrad: true),
            "sgd" => new SGD(groups, lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.001),
            "rmsprop" => new RMSprop(groups, lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true),
            _ => throw new ArgumentException(name),
        };
    }

    /// <summary>Sets each parameter's gradient from the fixture's step <paramref name="step"/>, steps, and returns nothing.</summary>
    public static void StepWith(Optimizer opt, Tensor[] p, JsonElement gradsOfStep)
    {
        int i = 0;
        foreach (var g in gradsOfStep.EnumerateArray())
        {
            p[i].Grad = Tensor.FromArray(Floats(g), p[i].Shape);
            i++;
        }
        opt.Step();
    }
}
