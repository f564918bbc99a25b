using Xunit;

// Many tests draw from the process-wide default generator (every Linear does, as in PyTorch), and the
// seed-dependent ones (Seeded*Tests) need Torch.ManualSeed followed by exactly PyTorch's draws. Test classes
// running in parallel would interleave their draws, so the assembly's tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
