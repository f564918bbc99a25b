using Xunit;

// Tests share process-wide state (the default generator, grad mode per thread, Console for CLI verbs), so the
// test classes run one after another; a run takes seconds either way on two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
