namespace Descent.Cli.Experiments;

/// <summary>Finds the IDX files MNIST and Fashion-MNIST ship (plain or gzipped); <see cref="Descent.Data.IdxReader"/> reads them.</summary>
internal static class IdxFile
{
    /// <summary>Finds <paramref name="baseName"/> in <paramref name="directory"/>, plain or with <c>.gz</c>; null when absent.</summary>
    public static string? Find(string directory, string baseName)
    {
        foreach (var name in new[] { baseName, baseName + ".gz" })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
