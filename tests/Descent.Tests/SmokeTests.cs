namespace Descent.Tests;

public class SmokeTests { [Xunit.Fact] public void AssemblyLoads() => Xunit.Assert.Equal("Descent", typeof(Torch).Assembly.GetName().Name); }
