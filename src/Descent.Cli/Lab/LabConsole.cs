using Spectre.Console;

namespace Descent.Cli.Lab;

/// <summary>
/// The terminal a lab verb writes to: a Spectre console over the current <see cref="Console.Out"/> (so tests that
/// redirect it see the output) with colours and live progress only on an interactive terminal. Logs stay plain
/// when output is redirected, when <c>CI</c> is set, or when <c>TERM=dumb</c>/<c>NO_COLOR</c> asks for it.
/// </summary>
internal sealed class LabConsole
{
    private LabConsole(IAnsiConsole console, bool interactive)
    {
        Out = console;
        Interactive = interactive;
    }

    /// <summary>The console to write tables and messages to.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Whether a live progress bar may be drawn.</summary>
    public bool Interactive { get; }

    /// <summary>Creates a console for the current process and <see cref="Console.Out"/>.</summary>
    public static LabConsole Create()
    {
        bool ci = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
        bool dumb = Environment.GetEnvironmentVariable("TERM") == "dumb";
        bool noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        bool interactive = !Console.IsOutputRedirected && !ci && !dumb;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = interactive && !noColor ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive && !noColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        // Redirected output has no width; a wide fixed one keeps tables on one line per row in logs.
        if (!interactive) console.Profile.Width = 132;
        return new LabConsole(console, interactive);
    }

    /// <summary>
    /// Runs <paramref name="work"/>, which reports progress in [0, <paramref name="total"/>] through its argument;
    /// draws a progress bar only on an interactive terminal, otherwise just runs it.
    /// </summary>
    public void WithProgress(string description, double total, Action<Action<double>> work)
    {
        if (!Interactive)
        {
            work(_ => { });
            return;
        }
        Out.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
                work(v => task.Value = v);
                task.Value = task.MaxValue;
            });
    }

    /// <summary>Writes a plain line (no markup interpretation).</summary>
    public void Line(string text) => Out.WriteLine(text);

    /// <summary>Writes a dimmed note line.</summary>
    public void Note(string text) => Out.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
}
