using Descent.Serialization;

namespace Descent;

// torch.save / torch.load.
public static partial class Torch
{
    /// <summary>
    /// Saves <paramref name="obj"/> like <c>torch.save</c> (zip format, loadable by PyTorch 1.13+), atomically:
    /// a crash mid-save leaves the previous file. Accepts tensors, state dicts (module and optimizer), and nested
    /// dicts, lists, tuples, strings and numbers (see <see cref="Pickler"/>).
    /// </summary>
    public static void Save(object? obj, string path) => TorchFile.Save(obj, path);

    /// <summary>
    /// Loads a <c>torch.save</c> file (zip or legacy format) like <c>torch.load(path, map_location="cpu")</c>,
    /// through a restricted unpickler that only builds data. Bad or hostile files throw <see cref="InvalidDataException"/>.
    /// </summary>
    public static object? Load(string path) => TorchFile.Load(path);
}
