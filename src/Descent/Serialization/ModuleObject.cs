namespace Descent.Serialization;

/// <summary>
/// A <c>torch.nn</c> module while it is being unpickled: NEWOBJ on an allow-listed class makes this empty object
/// (Python's <c>cls.__new__(cls)</c>, which runs nothing), and the BUILD that follows hands it its state, from which
/// <see cref="ModuleRebuild"/> makes the Descent module. The unpickler then puts the module wherever this object
/// was (the stack, the memo), so one left in the result was never given its state, or was used before it.
/// </summary>
internal sealed class ModuleObject(ModuleClasses.Registration registration)
{
    public ModuleClasses.Registration Registration { get; } = registration;

    /// <summary>The memo keys this object was stored under, to replace with the rebuilt module.</summary>
    public List<long> MemoKeys { get; } = [];

    /// <summary>Whether BUILD has been applied (a second BUILD is refused).</summary>
    public bool Built { get; set; }
}
