using System.Text;
using Descent.Cli.Experiments;
using Descent.Data;
using Descent.Optim;
using Descent.Serialization;
using Descent.Tensors;

namespace Descent.Fuzz;

/// <summary>What a reader did with one input, when it kept its contract.</summary>
public enum Outcome
{
    /// <summary>The input loaded.</summary>
    Accepted,

    /// <summary>The input was refused with the reader's documented exception.</summary>
    Refused,

    /// <summary>The input is not for this target (the legacy target skips zip archives).</summary>
    Skipped,
}

/// <summary>
/// A reader broke its contract on an input without throwing anything unexpected itself: it allocated far more than
/// the input warrants.
/// </summary>
public sealed class ContractViolationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One reader under test: its name, its contract in words, and the check of one input.</summary>
/// <param name="Name">The name <c>run.sh</c> and the harness take.</param>
/// <param name="Contract">What the reader promises, for <c>--list</c> and the docs.</param>
/// <param name="Check">
/// Runs the reader on an input. Returns when the reader kept its contract; any exception that escapes is a finding
/// (an exception the contract does not allow, or a <see cref="ContractViolationException"/>).
/// </param>
public sealed record Target(string Name, string Contract, Func<byte[], Outcome> Check);

/// <summary>
/// The fuzz targets, one per reader. Shared by the afl-fuzz harness and by the test that replays the committed
/// corpora, so both hold the readers to the same contract.
/// </summary>
public static class Targets
{
    /// <summary>
    /// The allocation every reader may make for an input of <paramref name="length"/> bytes (as tests/FuzzTests); a zip
    /// counts its compressed entries at the sizes they declare once inflated (TorchFile.ContentLength).
    /// </summary>
    public static long Budget(long length) => 64 * length + (4 << 20);

    /// <summary>Every target by name.</summary>
    public static IReadOnlyDictionary<string, Target> All { get; } = new Target[]
    {
        new("torch", "TorchFile.Load (zip or legacy) and the module/optimizer state-dict conversions throw only InvalidDataException "
            + "(Optimizer.LoadStateDict may also throw ArgumentException for a state that does not fit); allocation within 64 x input + 4 MiB, "
            + "compressed zip entries counted at their inflated size",
            Torch),
        new("pickle", "Unpickler.Load throws only InvalidDataException; allocation within 64 x input + 4 MiB",
            b => Bounded(b, () => Refusing(() => Unpickler.Load(b)))),
        new("legacy", "TorchFile.Load on legacy (pre-1.6) files, as the torch target (inputs that are zip archives are skipped)",
            b => b.Length > 0 && b[0] == 0x80 ? Torch(b) : Outcome.Skipped),
        new("safetensors", "SafeTensors.Load, as such and widening F16/BF16 to float32, throws only InvalidDataException; allocation within 64 x input + 4 MiB",
            b => Bounded(b, () => Refusing(() => SafeTensors.Load(new MemoryStream(b, writable: false), out _)) == Outcome.Accepted
                | Refusing(() => SafeTensors.Load(new MemoryStream(b, writable: false), out _, DType.Float32)) == Outcome.Accepted
                ? Outcome.Accepted : Outcome.Refused)),
        new("idx", "IdxReader.Read, ReadImages and ReadLabels(numClasses: 10), plain or gzip, throw only InvalidDataException; "
            + "a refusal allocates within 64 x input + 4 MiB, a load within that plus twice the tensor's bytes",
            Idx),
        new("replay-spec", "ReplaySpec.Parse (UTF-8 text) throws only InvalidDataException; allocation within 64 x input + 4 MiB",
            b => Bounded(b, () => Refusing(() => ReplaySpec.Parse(Encoding.UTF8.GetString(b))))),
    }.ToDictionary(t => t.Name);

    private static Outcome Torch(byte[] b) => Bounded(b, TorchFile.ContentLength(b), () =>
    {
        object? obj;
        try { obj = TorchFile.Load(new MemoryStream(b, writable: false)); }
        catch (InvalidDataException e) when (Refusal(e)) { return Outcome.Refused; }
        // The conversions are part of every loader's path too.
        try { ModuleStateDicts.FromPy(obj); }
        catch (InvalidDataException e) when (Refusal(e)) { }
        try
        {
            var sd = OptimizerStateDicts.FromPy(obj);
            new Adam(new TutorialNet().Parameters()).LoadStateDict(sd);
        }
        catch (InvalidDataException e) when (Refusal(e)) { }
        catch (ArgumentException) { } // a well-formed state that does not fit this optimizer
        return Outcome.Accepted;
    });

    private static Outcome Idx(byte[] b)
    {
        // Each reader separately, so that each is held to its own budget.
        var outcomes = new[]
        {
            BoundedIdx(b, () => IdxReader.Read(new MemoryStream(b, writable: false))),
            BoundedIdx(b, () => IdxReader.ReadImages(new MemoryStream(b, writable: false))),
            BoundedIdx(b, () => IdxReader.ReadLabels(new MemoryStream(b, writable: false), numClasses: 10)),
        };
        return outcomes.Contains(Outcome.Accepted) ? Outcome.Accepted : Outcome.Refused;
    }

    private static Outcome BoundedIdx(byte[] input, Func<Tensor> read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Tensor? t = null;
        try { t = read(); }
        catch (InvalidDataException e) when (Refusal(e)) { }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long budget = Budget(input.Length) + (t is null ? 0 : 2L * t.Numel * ElementSize(t.DType));
        if (allocated > budget)
            throw new ContractViolationException(
                $"{(t is null ? "refusing" : "loading")} a {input.Length}-byte input allocated {allocated} bytes (budget {budget})");
        return t is null ? Outcome.Refused : Outcome.Accepted;
    }

    private static int ElementSize(DType d) => d switch
    {
        DType.Float32 => 4,
        DType.Bool => 1,
        _ => 8,
    };

    /// <summary>
    /// A refusal the contract allows: an <see cref="InvalidDataException"/> the reader raised itself, not one the
    /// library's guard made from an exception a missed check let through (marked in its Data), which is a finding.
    /// </summary>
    private static bool Refusal(InvalidDataException e) =>
        !e.Data.Contains("Descent.UnexpectedException") ? true
            : throw new ContractViolationException($"a missed check: {e.Message}", e);

    private static Outcome Refusing(Action load)
    {
        try { load(); }
        catch (InvalidDataException e) when (Refusal(e)) { return Outcome.Refused; }
        return Outcome.Accepted;
    }

    private static Outcome Bounded(byte[] input, Func<Outcome> check) => Bounded(input, input.Length, check);

    private static Outcome Bounded(byte[] input, long contentLength, Func<Outcome> check)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var outcome = check();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > Budget(contentLength))
            throw new ContractViolationException(
                $"a {input.Length}-byte input ({contentLength} bytes of content; {outcome}) allocated {allocated} bytes (budget {Budget(contentLength)})");
        return outcome;
    }
}
