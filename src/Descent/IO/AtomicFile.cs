namespace Descent.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never a prefix: the bytes go
/// to a temporary file in the same directory, which is flushed to disk (fsync) and then renamed over the target.
/// A crash at any point leaves the previous file intact and at worst a stray temporary file
/// (<c>.NAME.HOST.PID.GUID.tmp</c>), which the next save to the same target removes once no process of that id
/// runs on this host.
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
        RemoveStaleTemporaries(dir, Path.GetFileName(full));
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Host}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
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

    // Temporary names carry the host so that a save never removes a file that a process on another machine
    // sharing the directory is still writing.
    internal static readonly string Host = SafeHostName();

    private static string SafeHostName()
    {
        string name;
        try { name = Environment.MachineName; }
        catch (InvalidOperationException) { name = "host"; }
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '-') chars[i] = '-';
        return chars.Length == 0 ? "host" : new string(chars);
    }

    /// <summary>
    /// Removes the temporary files earlier saves to <paramref name="fileName"/> left behind when their process died
    /// mid-save: those named for this host and a process id that no longer runs (and, from before host names were
    /// recorded, <c>.NAME.PID.GUID.tmp</c>). A file of a live process, or of another host, is never touched.
    /// </summary>
    internal static void RemoveStaleTemporaries(string dir, string fileName)
    {
        string prefix = "." + fileName + ".";
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(dir, prefix + "*.tmp"); }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        try
        {
            foreach (var path in candidates)
            {
                var rest = Path.GetFileName(path).AsSpan(prefix.Length);
                if (!rest.EndsWith(".tmp", StringComparison.Ordinal)) continue;
                rest = rest[..^4];
                int dot = rest.LastIndexOf('.');
                if (dot < 0 || rest.Length - dot - 1 != 32) continue; // the GUID
                rest = rest[..dot];
                dot = rest.LastIndexOf('.');
                var host = dot < 0 ? "" : rest[..dot].ToString();
                if (!int.TryParse(rest[(dot + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)) continue;
                if ((host.Length > 0 && host != Host) || pid == Environment.ProcessId || IsRunning(pid)) continue;
                try { File.Delete(path); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
        catch (System.ComponentModel.Win32Exception) { return true; } // exists, but cannot be inspected
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
