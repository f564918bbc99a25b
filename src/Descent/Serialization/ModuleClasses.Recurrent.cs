using Descent.Diagnostics;
using Descent.NN;
using Descent.Tensors;

namespace Descent.Serialization;

// The recurrent layers and cells, with the attributes PyTorch 1.13's __init__ sets, in its order. The loaded
// modules run on the saved parameters themselves.
public static partial class ModuleClasses
{
    private const string Recurrent = "torch.nn.modules.rnn.";

    private static void RegisterRecurrent()
    {
        RegisterWithOptions(Recurrent + "RNN", LoadRnn, m => RecurrentAttributes(m, m.Nonlinearity == "relu" ? "RNN_RELU" : "RNN_TANH"),
            m => [("nonlinearity", m.Nonlinearity)], runtimeParameterNames: true);
        RegisterWithOptions(Recurrent + "LSTM", s =>
        {
            var (a, weights) = RecurrentState(s, "LSTM", 4);
            return Quietly(() => new LSTM(a.Input, a.Hidden, weights, a.Layers, a.Bias, a.BatchFirst, a.Dropout, a.Bidirectional));
        }, m => RecurrentAttributes(m, "LSTM"), null, runtimeParameterNames: true);
        RegisterWithOptions(Recurrent + "GRU", s =>
        {
            var (a, weights) = RecurrentState(s, "GRU", 3);
            return Quietly(() => new GRU(a.Input, a.Hidden, weights, a.Layers, a.Bias, a.BatchFirst, a.Dropout, a.Bidirectional));
        }, m => RecurrentAttributes(m, "GRU"), null, runtimeParameterNames: true);
        Register(Recurrent + "RNNCell", s =>
        {
            var (input, hidden, bias, weights) = CellState(s, 1);
            return new RNNCell(input, hidden, weights, bias, s.GetString("nonlinearity"));
        }, m => [.. CellAttributes(m), ("nonlinearity", m.Nonlinearity)]);
        Register(Recurrent + "LSTMCell", s =>
        {
            var (input, hidden, bias, weights) = CellState(s, 4);
            return new LSTMCell(input, hidden, weights, bias);
        }, CellAttributes);
        Register(Recurrent + "GRUCell", s =>
        {
            var (input, hidden, bias, weights) = CellState(s, 3);
            return new GRUCell(input, hidden, weights, bias);
        }, CellAttributes);
    }

    private readonly record struct RecurrentSettings(int Input, int Hidden, int Layers, bool Bias, bool BatchFirst, double Dropout, bool Bidirectional);

    private static RNN LoadRnn(SavedModule s)
    {
        string nonlinearity = s.GetString("nonlinearity");
        var (a, weights) = RecurrentState(s, nonlinearity switch { "tanh" => "RNN_TANH", "relu" => "RNN_RELU", _ => throw s.Bad($"has the unknown nonlinearity '{nonlinearity}'") }, 1);
        return Quietly(() => new RNN(a.Input, a.Hidden, weights, a.Layers, nonlinearity, a.Bias, a.BatchFirst, a.Dropout, a.Bidirectional));
    }

    // A module that was saved with dropout on one layer warned when it was made, not when it is loaded.
    private static T Quietly<T>(Func<T> make)
    {
        using (Warnings.Capture()) return make();
    }

    /// <summary>
    /// RNNBase's attributes and its parameters in <c>_flat_weights</c> order, checked: the mode, no projections
    /// (<c>proj_size</c>), every parameter of the attributes' shape and one floating-point dtype, and
    /// <c>_flat_weights</c> (what PyTorch's forward runs on) the parameters themselves.
    /// </summary>
    private static (RecurrentSettings Settings, Tensor[] Weights) RecurrentState(SavedModule s, string mode, int gates)
    {
        if (s.GetString("mode") != mode) throw s.Bad($"has mode '{s.GetString("mode")}', not '{mode}'");
        // Files from before PyTorch 1.8 have no proj_size, which its __setstate__ reads as 0.
        if (s.Has("proj_size") && s.GetLong("proj_size") != 0)
            throw s.Bad($"has proj_size={s.GetLong("proj_size")}: Descent's LSTM has no projections (proj_size > 0 is not supported)");
        var a = new RecurrentSettings(s.GetInt("input_size"), s.GetInt("hidden_size"), s.GetInt("num_layers"), s.GetBool("bias"),
            s.GetBool("batch_first"), s.GetDouble("dropout"), s.GetBool("bidirectional"));
        if (a.Input < 0 || a.Hidden <= 0 || a.Layers <= 0)
            throw s.Bad($"has input_size={a.Input}, hidden_size={a.Hidden}, num_layers={a.Layers}");
        int dirs = a.Bidirectional ? 2 : 1, perDirection = a.Bias ? 4 : 2;
        // Before building the names, so a hostile num_layers cannot make a long list.
        if (s.Parameters.Count != (long)a.Layers * dirs * perDirection)
            throw s.Bad($"has {s.Parameters.Count} parameters, but its attributes say {(long)a.Layers * dirs * perDirection}");
        var names = new List<string>();
        var weights = new List<Tensor>();
        int rows = checked(gates * a.Hidden);
        for (int layer = 0; layer < a.Layers; layer++)
        {
            for (int dir = 0; dir < dirs; dir++)
            {
                string suffix = $"_l{layer}{(dir == 1 ? "_reverse" : "")}";
                int layerInput = layer == 0 ? a.Input : checked(a.Hidden * dirs);
                (string Name, int[] Shape)[] parameters = [("weight_ih" + suffix, [rows, layerInput]), ("weight_hh" + suffix, [rows, a.Hidden]),
                    ("bias_ih" + suffix, [rows]), ("bias_hh" + suffix, [rows])];
                foreach (var (name, shape) in parameters.Take(perDirection))
                {
                    var w = s.GetParameter(name);
                    s.CheckShape(w, name, shape);
                    names.Add(name);
                    weights.Add(w);
                }
            }
        }
        if (!weights[0].DType.IsFloatingPoint() || weights.Any(w => w.DType != weights[0].DType))
            throw s.Bad($"parameters are {string.Join(", ", weights.Select(w => w.DType.TorchName()).Distinct())}, not one floating-point dtype");
        if (s.Has("_flat_weights_names") && !(s.Get("_flat_weights_names") is List<object?> saved && saved.Select(n => n as string).SequenceEqual(names)))
            throw s.Bad($"_flat_weights_names is {PickleRepr.Of(s.Get("_flat_weights_names"))}, not its parameters' names in order");
        if (s.Has("_flat_weights") && !(s.Get("_flat_weights") is List<object?> flat && flat.Count == weights.Count && flat.Select((w, i) => ReferenceEquals(w, weights[i])).All(x => x)))
            throw s.Bad("_flat_weights are not its parameters, in order (PyTorch's forward would run on other weights)");
        return (a, [.. weights]);
    }

    /// <summary>RNNBase's attributes, with <c>_flat_weights_names</c>, <c>_all_weights</c> (by direction) and <c>_flat_weights</c>.</summary>
    private static IEnumerable<(string Name, object? Value)> RecurrentAttributes(RNNBase m, string mode)
    {
        var names = m.OwnParameters.Select(p => (object?)p.Name).ToList();
        int perDirection = m.Bias ? 4 : 2;
        var byDirection = names.Chunk(perDirection).Select(c => (object?)c.ToList()).ToList();
        return [("mode", mode), ("input_size", (long)m.InputSize), ("hidden_size", (long)m.HiddenSize), ("num_layers", (long)m.NumLayers),
            ("bias", m.Bias), ("batch_first", m.BatchFirst), ("dropout", m.Dropout), ("bidirectional", m.Bidirectional), ("proj_size", 0L),
            ("_flat_weights_names", names), ("_all_weights", byDirection), ("_flat_weights", m.FlatWeights.Select(w => (object?)w).ToList())];
    }

    /// <summary>RNNCellBase's attributes and parameters (w_ih, w_hh, b_ih, b_hh), of the attributes' shapes and one floating-point dtype.</summary>
    private static (int Input, int Hidden, bool Bias, Tensor[] Weights) CellState(SavedModule s, int gates)
    {
        int input = s.GetInt("input_size"), hidden = s.GetInt("hidden_size");
        bool bias = s.GetBool("bias");
        if (input < 0 || hidden < 0) throw s.Bad($"has input_size={input}, hidden_size={hidden}");
        int rows = checked(gates * hidden);
        var weights = new List<Tensor> { s.GetParameter("weight_ih"), s.GetParameter("weight_hh") };
        s.CheckShape(weights[0], "weight_ih", rows, input);
        s.CheckShape(weights[1], "weight_hh", rows, hidden);
        if (bias)
        {
            weights.Add(s.GetParameter("bias_ih"));
            weights.Add(s.GetParameter("bias_hh"));
            s.CheckShape(weights[2], "bias_ih", rows);
            s.CheckShape(weights[3], "bias_hh", rows);
        }
        if (!weights[0].DType.IsFloatingPoint() || weights.Any(w => w.DType != weights[0].DType))
            throw s.Bad($"parameters are {string.Join(", ", weights.Select(w => w.DType.TorchName()).Distinct())}, not one floating-point dtype");
        return (input, hidden, bias, [.. weights]);
    }

    private static IEnumerable<(string Name, object? Value)> CellAttributes(RNNCellBase m) =>
        [("input_size", (long)m.InputSize), ("hidden_size", (long)m.HiddenSize), ("bias", m.Bias)];
}
