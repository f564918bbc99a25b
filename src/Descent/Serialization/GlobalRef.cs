namespace Descent.Serialization;

/// <summary>
/// An allow-listed Python global (class or function) named by a GLOBAL or STACK_GLOBAL opcode. It is only a
/// name: calling it builds data (a tensor, an OrderedDict); nothing from the file is ever executed.
/// </summary>
internal sealed record GlobalRef(string Module, string Name)
{
    public string FullName => Module + "." + Name;

    public override string ToString() => FullName;
}

/// <summary>
/// A storage resolved from a persistent id: its class and little-endian bytes, and the Descent storage made from
/// them. Bytes are null in the legacy format's first pass, which only learns each storage's type and size.
/// </summary>
internal sealed class LoadedStorage(StorageTypes.Info info, byte[]? bytes, string key, long numel)
{
    public StorageTypes.Info Info { get; } = info;

    public byte[]? Bytes { get; } = bytes;

    public string Key { get; } = key;

    public long Numel { get; } = numel;

    /// <summary>The Descent storage, made once so tensors that shared a storage in PyTorch share it here too.</summary>
    public Tensors.Storage? Descent { get; set; }
}
