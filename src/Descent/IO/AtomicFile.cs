namespace Descent.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a prefix: the bytes go
/// to a temporary file in the same directory, which is flushed to disk (fsync) and then renamed over the target.
/// A crash at any point leaves the previous file intact (and at worst a stray <c>*.tmp</c> file).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> to a temporary file, then atomically replaces <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
            FlushDirectory(dir);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    private static readonly System.Text.UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="content"/> as UTF-8 (no BOM) atomically; used for plots, reports and data files.</summary>
    public static void WriteAllText(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var bytes = Utf8NoBom.GetBytes(content);
        Write(path, s => s.Write(bytes));
    }

    // The rename itself is durable only once the directory entry is on disk; on Unix a directory can be opened
    // and fsynced. Where that is not possible (Windows), the rename is still atomic, just not yet durable.
    private static void FlushDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            using var handle = File.OpenHandle(dir, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
            RandomAccess.FlushToDisk(handle);
        }
        catch (UnauthorizedAccessException) { }
        catch (IOException) { }
    }
}
