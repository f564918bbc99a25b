using Xunit;

namespace Descent.Tests;

/// <summary>
/// Tests that seed or draw from the global generator (<c>Torch.ManualSeed</c>, default initialisation), as PyTorch's
/// code does: they run on their own, after the parallel tests, so that no other test draws numbers between a seed
/// and the values it must reproduce.
/// </summary>
[CollectionDefinition("GlobalGenerator", DisableParallelization = true)]
public sealed class GlobalGeneratorCollection;
