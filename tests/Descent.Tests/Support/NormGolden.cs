using System.Text.Json;
using Descent.Autograd;
using Descent.NN;
using Descent.Tensors;
using static Descent.Tests.Support.GoldenJson;

namespace Descent.Tests.Support;

/// <summary>Reading Golden/norm.json: cases by name, parameters, and a forward/backward check against a step.</summary>
internal static class NormGolden
{
    public static JsonElement Root => Load("norm.json");

    public static IEnumerable<object[]> Names(string table) =>
        Root.GetProperty(table).EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static JsonElement Case(string table, string name) =>
        Root.GetProperty(table).EnumerateArray().First(c => c.GetProperty("name").GetString() == name);

    /// <summary>Runs <paramref name="make"/> with the case's dtype as the default, as PyTorch's dtype= argument.</summary>
    public static T WithDtype<T>(JsonElement c, Func<T> make)
    {
        var old = Torch.GetDefaultDtype();
        Torch.SetDefaultDtype(c.GetProperty("dtype").GetString() == "float64" ? DType.Float64 : DType.Float32);
        try { return make(); }
        finally { Torch.SetDefaultDtype(old); }
    }

    public static void LoadParams(Module m, JsonElement c)
    {
        var mine = m.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        Xunit.Assert.Equal(c.GetProperty("params").EnumerateObject().Select(p => p.Name), mine.Keys);
        using (GradMode.Set(false))
            foreach (var p in c.GetProperty("params").EnumerateObject()) mine[p.Name].Copy_(Tensor(p.Value));
    }

    /// <summary>Forward of <paramref name="s"/>'s input, then backward through sum(out·upstream); compares all.</summary>
    public static void CheckForward(Module m, JsonElement s, string at, Tensor? weight, Tensor? bias, double tol = 1e-5)
    {
        var x = Tensor(s.GetProperty("input")).RequiresGrad_();
        var y = m.Forward(x);
        AssertClose(s.GetProperty("output"), y, tol, at + " output");
        y.Mul(Upstream(y)).Sum().Backward();
        AssertClose(s.GetProperty("grad_input"), x.Grad!, tol, at + " grad_input");
        CheckGrad(s, "grad_weight", weight, at, tol);
        CheckGrad(s, "grad_bias", bias, at, tol);
    }

    private static void CheckGrad(JsonElement s, string key, Tensor? p, string at, double tol)
    {
        if (!s.TryGetProperty(key, out var g) || g.ValueKind == JsonValueKind.Null)
        {
            if (p is not null && s.TryGetProperty(key, out _)) Xunit.Assert.Null(p.Grad);
            return;
        }
        AssertClose(g, p!.Grad!, tol, at + " " + key);
    }

    /// <summary>The generator's upstream: linspace(0.5, 1.5, n) in the output's shape and dtype.</summary>
    public static Tensor Upstream(Tensor like)
    {
        int n = like.Numel;
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = n == 1 ? 0.5 : 0.5 + i / (double)(n - 1);
        return global::Descent.Tensors.Tensor.FromArray(a).To(like.DType).Reshape(like.Shape.ToArray());
    }
}
