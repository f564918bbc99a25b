using System.Runtime.CompilerServices;

namespace Descent.Serialization;

/// <summary>
/// Walks an unpickled object graph once, iteratively: refuses reference cycles (a list that contains itself),
/// nesting deeper than the limit, and leftovers that are not data (a bare global or storage, a module object
/// without its state, a set). Rebuilt modules are values here: their nesting was checked as they were built. Shared references
/// are fine and visited once, so a pickle of repeated references cannot make the walk exponential.
/// </summary>
internal static class ObjectGraphCheck
{
    public static void Check(object? root, int maxDepth)
    {
        var done = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var onPath = new HashSet<object>(ReferenceEqualityComparer.Instance);
        // Each frame: a container and an enumerator over its children.
        var path = new Stack<(object Node, IEnumerator<object?> Children)>();
        Visit(root);
        while (path.Count > 0)
        {
            var (node, children) = path.Peek();
            if (children.MoveNext()) Visit(children.Current);
            else
            {
                path.Pop();
                onPath.Remove(node);
                done.Add(node);
            }
        }

        void Visit(object? v)
        {
            switch (v)
            {
                case GlobalRef g:
                    throw new InvalidDataException($"pickle result holds the global '{g.FullName}' as a value, which is not supported");
                case LoadedStorage s:
                    throw new InvalidDataException($"pickle result holds the bare storage '{s.Key}', which is not supported (only tensors)");
                case ModuleObject m:
                    throw new InvalidDataException($"pickle result holds a {m.Registration.PythonName} object that was never given its state (or was used before it)");
                case PySet:
                    throw new InvalidDataException("sets are not supported in checkpoints (outside a module's non-persistent buffer names)");
                case PyTuple or List<object?> or PyDict:
                    if (done.Contains(v)) return;
                    if (!onPath.Add(v)) throw new InvalidDataException("pickle contains a reference cycle (a container inside itself)");
                    if (path.Count >= maxDepth) throw new InvalidDataException($"pickle nests containers deeper than {maxDepth}");
                    path.Push((v, Children(v)));
                    return;
            }
        }
    }

    private static IEnumerator<object?> Children(object container)
    {
        switch (container)
        {
            case PyTuple t:
                foreach (var x in t) yield return x;
                break;
            case List<object?> l:
                foreach (var x in l) yield return x;
                break;
            case PyDict d:
                foreach (var (k, v) in d)
                {
                    yield return k;
                    yield return v;
                }
                if (d.Attributes is not null) yield return d.Attributes;
                break;
        }
    }

    /// <summary>Reference identity, for the visited sets.</summary>
    internal static int Identity(object o) => RuntimeHelpers.GetHashCode(o);
}
