namespace Descent.Serialization;

/// <summary>Parses torch.save's persistent ids: <c>('storage', torch.XStorage, key, location, numel[, view_metadata])</c>.</summary>
internal static class StorageIds
{
    /// <summary>
    /// The legacy format's id of a module class, <c>('module', cls, source_file, source)</c>: the class (allow-listed
    /// when its GLOBAL was read) is what the id stands for; its source text is only PyTorch's change check.
    /// </summary>
    public static GlobalRef? ModuleClass(object? pid)
    {
        if (pid is not PyTuple { Count: 4 } t || t[0] is not "module") return null;
        if (t[1] is not GlobalRef g || ModuleClasses.Find(g.FullName) is null)
            throw new InvalidDataException($"module persistent id names {PickleRepr.Of(t[1])}, not an allow-listed torch.nn class");
        if (t[2] is not (string or null) || t[3] is not (string or null)) throw new InvalidDataException("module persistent id's source is not a str");
        return g;
    }

    public static (StorageTypes.Info Info, string Key, long Numel) Parse(object? pid, bool legacy)
    {
        if (pid is not PyTuple t || t.Count != (legacy ? 6 : 5) || t[0] is not "storage")
            throw new InvalidDataException($"persistent id {PickleRepr.Of(pid)} is not a torch storage reference");
        if (t[1] is not GlobalRef { Module: "torch" } type || StorageTypes.Find(type.Name) is not { } info)
            throw new InvalidDataException($"persistent id names {PickleRepr.Of(t[1])}, not a torch storage type");
        if (t[2] is not string key || key.Length == 0 || key.Length > 64)
            throw new InvalidDataException($"storage key {PickleRepr.Of(t[2])} is not a short string");
        if (t[3] is not string) throw new InvalidDataException($"storage location {PickleRepr.Of(t[3])} is not a string");
        // Any location (cpu, cuda:0, mps) loads onto the CPU, like torch.load(map_location='cpu').
        if (t[4] is not long numel || numel < 0) throw new InvalidDataException($"storage size {PickleRepr.Of(t[4])} is not a non-negative int");
        if (legacy && t[5] is not null) throw new InvalidDataException("legacy storage views (view_metadata) are not supported");
        return (info, key, numel);
    }
}
