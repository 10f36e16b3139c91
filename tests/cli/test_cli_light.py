"""The light commands' formatters load alone: no report package, no matplotlib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_human_formats_in_a_fresh_process_without_the_report():
    """Regression: human_formats() loaded report/fmt.py, which moved to otr_theory/fmt.py; in a
    process that had not imported otr_theory.fmt yet it raised FileNotFoundError."""
    script = (
        "import sys\n"
        "from otr_theory.cli.common import human_formats\n"
        "f = human_formats()\n"
        "print(f.__name__, f.fmt_usd(1234.5), f.fmt_duration(90), 'matplotlib' in sys.modules, 'otr_theory.report' in sys.modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["otr_theory.fmt", "$1,234", "1", "min", "30", "s", "False", "False"]
