namespace Descent.Plotting;

/// <summary>The stylesheet and animation script embedded in every <see cref="HtmlReport"/> (no external resources).</summary>
internal static class ReportAssets
{
    /// <summary>Page styles: readable system fonts, responsive SVGs, right-aligned numeric table cells.</summary>
    public const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#222;background:#fff;line-height:1.5}
        h1{font-size:1.7rem;margin:0 0 1rem}
        h2{font-size:1.3rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:1px solid #e5e5e5}
        figure{margin:1.25rem 0}
        figcaption,caption{color:#555;font-size:.9rem}
        figcaption{margin-top:.35rem}
        svg{display:block;max-width:100%;height:auto}
        table{border-collapse:collapse;margin:1rem 0;font-size:.95rem;font-variant-numeric:tabular-nums}
        caption{caption-side:top;text-align:left;margin-bottom:.35rem}
        th,td{padding:.3rem .75rem;border-bottom:1px solid #e3e3e3;text-align:left}
        th{border-bottom:2px solid #bbb;font-weight:600}
        .num{text-align:right}
        .anim-controls{display:flex;align-items:center;gap:.6rem;margin-top:.4rem}
        .anim-controls button{min-width:4.5em;font:inherit}
        .anim-controls input{flex:1;max-width:420px}
        .anim-controls output{color:#555;min-width:7em;font-variant-numeric:tabular-nums}
        [hidden]{display:none!important}
        """;

    /// <summary>
    /// Plays every <c>.anim</c> figure: either toggles its <c>.frame</c> children, or reveals its
    /// <c>path.traj</c> elements one vertex per frame. The markup shows the final frame and hides the
    /// controls, so without scripts the reader still sees the finished picture. Wrapped in a commented
    /// CDATA section so the page is also well-formed XML.
    /// </summary>
    public const string Script = """
        //<![CDATA[
        (function () {
          'use strict';
          var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
          Array.prototype.forEach.call(document.querySelectorAll('.anim'), function (fig) {
            var n, show;
            if (fig.getAttribute('data-kind') === 'frames') {
              var frames = fig.querySelectorAll('.frame');
              n = frames.length;
              show = function (k) { for (var j = 0; j < n; j++) { frames[j].hidden = j !== k; } };
            } else {
              var paths = Array.prototype.map.call(fig.querySelectorAll('path.traj'), function (p) {
                return { el: p, segs: p.getAttribute('d').match(/[ML][^ML]*/g) || [] };
              });
              n = 1;
              paths.forEach(function (t) { n = Math.max(n, t.segs.length); });
              show = function (k) { paths.forEach(function (t) { t.el.setAttribute('d', t.segs.slice(0, k + 1).join('')); }); };
            }
            var controls = fig.querySelector('.anim-controls');
            var button = controls.querySelector('button');
            var slider = controls.querySelector('input');
            var label = controls.querySelector('output');
            var ms = Number(fig.getAttribute('data-ms')) || 100;
            var holdFrames = Math.ceil(1500 / ms);
            var k = n - 1, timer = null, hold = 0;
            function render() { show(k); slider.value = String(k); label.textContent = (k + 1) + ' / ' + n; }
            function step() {
              if (k === n - 1) {
                if (++hold < holdFrames) { return; }
                hold = 0;
                k = 0;
              } else {
                k++;
              }
              render();
            }
            function play() { if (!timer) { timer = setInterval(step, ms); button.textContent = 'Pause'; } }
            function pause() { clearInterval(timer); timer = null; button.textContent = 'Play'; }
            slider.max = String(n - 1);
            controls.hidden = false;
            button.addEventListener('click', function () { if (timer) { pause(); } else { play(); } });
            slider.addEventListener('input', function () { pause(); k = Number(slider.value); render(); });
            if (reduce || n < 2) { pause(); render(); } else { k = 0; render(); play(); }
          });
        })();
        //]]>
        """;
}
