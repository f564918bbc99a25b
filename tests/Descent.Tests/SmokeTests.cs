namespace Descent.Tests;

public class SmokeTests { [Xunit.Fact] public void AssemblyLoads() => Xunit.Assert.Equal("Descent.Core", typeof(Torch).Assembly.GetName().Name); }
