"""report.html in a real browser: headless Chromium loads it with no network, and a probe script
injected before the page's own reports console errors, broken images, figures that draw nothing
and table-of-contents links that do not lead to an element (or leave it hidden in a collapsed
section). Skipped when no Chromium is installed (Debian: ``apt-get install chromium``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "chrome")) if p),
    None,
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)")

_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--mute-audio", "--disable-extensions",
]  # fmt: skip

# Runs before anything of the page: collects errors, then on load checks images, figures and links.
_PROBE = """<script>
window.__otrErrors = [];
addEventListener("error", function (e) {
  var t = e.target;
  __otrErrors.push(t && t !== window && (t.src || t.href) ? "failed to load " + (t.src || t.href) : String(e.message || "error"));
}, true);
addEventListener("unhandledrejection", function (e) { __otrErrors.push("unhandled rejection: " + e.reason); });
(function () {
  var orig = console.error;
  console.error = function () { __otrErrors.push(Array.prototype.join.call(arguments, " ")); return orig.apply(console, arguments); };
})();
addEventListener("load", function () {
  var out = {errors: __otrErrors, images: [], figures: [], links: [], hidden_after_click: []};
  Array.prototype.forEach.call(document.images, function (img) {
    if (!img.complete || img.naturalWidth === 0) { out.images.push(img.getAttribute("src")); }
  });
  document.querySelectorAll("figure svg, .math svg").forEach(function (svg, i) {
    var r = svg.getBoundingClientRect();
    if (!(r.width > 10 && r.height > 5)) { out.figures.push(i); }
  });
  out.n_figures = document.querySelectorAll("figure svg").length;
  var toc = document.querySelectorAll("#toc a[href^='#']");
  out.n_toc = toc.length;
  toc.forEach(function (a) {
    var id = decodeURIComponent(a.getAttribute("href").slice(1));
    if (!document.getElementById(id)) { out.links.push(id); }
  });
  // collapse every section, then follow each contents link: its target must become visible
  var collapse = document.getElementById("collapse-all");
  toc.forEach(function (a) {
    if (collapse) { collapse.click(); }
    a.click();
    var t = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    if (t && t.getClientRects().length === 0) { out.hidden_after_click.push(a.getAttribute("href")); }
  });
  var expand = document.getElementById("expand-all");
  if (expand) { expand.click(); }
  out.open_sections = document.querySelectorAll("details.section[open]").length;
  out.sections = document.querySelectorAll("details.section").length;
  out.verdict = (document.querySelector(".verdict-badge") || {}).textContent || null;
  var badge = document.querySelector(".verdict-badge");
  out.badge_colour = badge ? getComputedStyle(badge).backgroundColor : null;
  var pre = document.createElement("pre");
  pre.id = "otr-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _chromium(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    profile = tempfile.mkdtemp(prefix="otr-chromium-")
    try:
        return subprocess.run(
            [CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            check=False, text=True, timeout=timeout, env={**os.environ, "HOME": profile},
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def probe(html_path: Path) -> tuple[dict, list[str]]:
    """Load ``html_path`` (with the probe injected) in headless Chromium; return the probe's findings
    and the console lines Chromium logged."""
    html = html_path.read_text(encoding="utf-8")
    probed = html_path.with_name(html_path.stem + ".probe.html")
    probed.write_text(re.sub(r"<head>", "<head>\n" + _PROBE, html, count=1), encoding="utf-8")
    run = _chromium(
        [
            "--virtual-time-budget=10000",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            probed.as_uri(),
        ]
    )
    m = re.search(r'<pre id="otr-probe">(.*?)</pre>', run.stdout, flags=re.DOTALL)
    assert m, f"the probe did not report (exit {run.returncode}): {run.stderr[-2000:]}"
    text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    console = [ln for ln in run.stderr.splitlines() if ":CONSOLE" in ln]
    return json.loads(text), console


def test_the_probe_catches_what_it_should(tmp_path):
    """Negative control: a broken image, a throwing script, a console error and a dead link are reported."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><nav id="toc"><a href="#nowhere">x</a></nav>'
        '<img src="missing.png"><script>console.error("boom"); undefinedFunction();</script></body></html>'
    )
    found, console = probe(page)
    assert found["images"] == ["missing.png"] and found["links"] == ["nowhere"]
    assert any("boom" in e for e in found["errors"]) and any("undefinedFunction" in e for e in found["errors"])
    assert any("missing.png" in e for e in found["errors"])
    assert any("undefinedFunction" in ln for ln in console)


def test_report_html_in_chromium(model, rendered_report, report_sections):
    from otr_theory.report.summary import verdict_record

    found, console = probe(rendered_report["dir"] / "report.html")
    assert found["errors"] == [], found["errors"]
    assert not [ln for ln in console if "Uncaught" in ln or "rror" in ln], console
    assert found["images"] == [] and found["figures"] == [], found
    assert found["n_figures"] == sum(len(s.figures) for s in report_sections) > 0
    assert found["n_toc"] >= len(report_sections) and found["links"] == []
    assert found["hidden_after_click"] == [], "a contents link left its target in a collapsed section"
    assert found["open_sections"] == found["sections"] == len(report_sections)
    # the default model is NOT secure over time (a compromised prover's best attack pays): the red badge
    assert verdict_record(model, report_sections)["secure"] is False
    assert "NOT secure" in found["verdict"] and found["badge_colour"] == "rgb(207, 34, 46)"  # --bad: #cf222e


def test_report_screenshot(rendered_report, tmp_path):
    """A screenshot of the first screen: written, the size asked for, and not blank."""
    from matplotlib.image import imread

    shot = tmp_path / "report.png"
    run = _chromium(
        [
            "--window-size=1400,1800",
            "--virtual-time-budget=5000",
            f"--screenshot={shot}",
            (rendered_report["dir"] / "report.html").as_uri(),
        ]
    )
    assert shot.exists(), run.stderr[-2000:]
    img = imread(shot)
    assert img.shape[:2] == (1800, 1400)
    assert img[..., :3].std() > 0.05  # text and tables, not an empty page
    keep = os.environ.get("OTR_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
