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
    /// Loads a <c>torch.save</c> file (zip or legacy format, PyTorch 1.x or 2.x) like
    /// <c>torch.load(path, map_location="cpu")</c>, through a restricted unpickler that only builds data (whole
    /// <c>torch.nn</c> modules from an allow-list of classes, <see cref="ModuleClasses"/>). The result converts to
    /// what it is used as: <c>net.LoadStateDict(Torch.Load(path))</c>, <c>opt.LoadStateDict(Torch.Load(path))</c>,
    /// <c>Module model = Torch.Load(path)</c> (see <see cref="TorchObject"/>). Bad or hostile files throw
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    public static TorchObject Load(string path) => new(TorchFile.Load(path));
}
