"""Speed of the pages (a benchmark, not a test): cold start and the Assessment rerun ratio.

1. Cold start: a fresh server process -> the first page rendered in headless Chromium (heading
   "Patient & history" visible), for ``streamlit run app.py``, for ``serve.py run app.py`` (the
   same with the app's modules imported while the server starts; run.sh and the systemd unit use
   it) and for a bare page (baseline), interleaved in the same run. Median and p95 of
   ``--starts`` starts each; target <= 5 s. Also the time a fresh interpreter takes to import what
   app.py imports.
2. Rerun: the Assessment page after a lab edit (a new value each time: the assessment really
   runs) against a bare page with the same sidebar widgets and one Plotly chart, alternating
   (AppTest, server side) so both see the same load. Median, p95, ratio of medians; target <= 2.

    .venv/bin/python bench/bench_pages.py [--starts 5] [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_app import BARE_PAGE, stats  # noqa: E402

IMPORTS = (
    "import streamlit as st; from ui.library_session import status_indicator; from ui import grids, sidebar, state; "
    "from ui.auth import require_access; from ui.contemporary_view import pack_caption")


def import_time(n: int = 5) -> list[float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", IMPORTS], cwd=ROOT, check=True)
        samples.append(time.perf_counter() - t0)
    return samples


BARE_COLD = BARE_PAGE.replace('st.title("Bare")', 'st.title("Bare page")')


def _start(command: list[str], port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **env})
    assert process.stdout is not None
    for line in process.stdout:  # until the server says it serves
        if f":{port}" in line:
            return process
    raise RuntimeError("server did not start")


def cold_starts(n: int) -> tuple[list[float], list[float], list[float]]:
    """Cold start of the app (``streamlit run app.py``; ``serve.py run app.py``, which imports
    the app's modules while the server starts) and, interleaved in the same run, of the bare page."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, free_port

    app, preloaded, bare = [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        bare_path = Path(tmp) / "bare.py"
        bare_path.write_text(BARE_COLD)
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for _ in range(n):
            for launcher, script, heading, samples in (
                    (["-m", "streamlit"], ROOT / "app.py", "Patient & history", app),
                    ([str(ROOT / "serve.py")], ROOT / "app.py", "Patient & history", preloaded),
                    (["-m", "streamlit"], bare_path, "Bare page", bare)):
                port = free_port()
                page = chromium.new_page(viewport={"width": 1400, "height": 1600})
                command = [sys.executable, *launcher, "run", str(script), "--server.port", str(port),
                           "--server.address", "127.0.0.1", "--server.headless", "true",
                           "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
                t0 = time.perf_counter()
                process = _start(command, port, {"MMNAV_DATA_DIR": tmp})
                try:
                    page.goto(f"http://127.0.0.1:{port}")
                    page.get_by_role("heading", name=heading, level=1).wait_for(timeout=60_000)
                    samples.append(time.perf_counter() - t0)
                finally:
                    page.close()
                    process.terminate()
                    process.wait(timeout=10)
        chromium.close()
    return app, preloaded, bare


def reruns_interleaved(runs: int) -> tuple[list[float], list[float]]:
    """Assessment rerun after a lab edit and the bare page's rerun, alternating, so that both see
    the same machine load (this machine is shared); server side, AppTest."""
    from streamlit.testing.v1 import AppTest

    from tests.app.helpers import start

    at = start("ex-02").switch_page("pages/assessment.py").run()
    with tempfile.TemporaryDirectory() as tmp:
        bare_path = Path(tmp) / "bare.py"
        bare_path.write_text(BARE_PAGE)
        bare = AppTest.from_file(str(bare_path), default_timeout=60).run()
        app_times, bare_times = [], []
        for i in range(runs):
            case = dict(at.session_state["case"])
            labs = [dict(lab) for lab in case["labs"]]
            labs[7]["value"] = 11.5 + 0.001 * (i + 1)  # a new value each time: a real assessment
            case["labs"] = labs
            at.session_state["case"] = case
            t0 = time.perf_counter()
            at.run()
            app_times.append(time.perf_counter() - t0)
            assert not at.exception
            t0 = time.perf_counter()
            bare.run()
            bare_times.append(time.perf_counter() - t0)
    return app_times, bare_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    im, ip = stats(import_time())
    print(f"imports of app.py (fresh interpreter)            median {im:5.2f} s  p95 {ip:5.2f} s  (n=5)")
    app, preloaded, bare = cold_starts(args.starts)
    (cm, cp), (pm, pp), (bm, bp) = stats(app), stats(preloaded), stats(bare)
    print(f"cold start: streamlit run app.py -> first render   median {cm:5.2f} s  p95 {cp:5.2f} s"
          f"  (n={args.starts}; target <= 5 s)")
    print(f"cold start: serve.py run app.py (preload)          median {pm:5.2f} s  p95 {pp:5.2f} s"
          f"  ({pm - cm:+.2f} s)")
    print(f"cold start of the bare page (same run, baseline)   median {bm:5.2f} s  p95 {bp:5.2f} s"
          f"  -> the app adds {cm - bm:+.2f} s (ratio {cm / bm:.2f})")
    app_times, bare_times = reruns_interleaved(args.runs)
    (am, ap), (bm, bp) = stats(app_times), stats(bare_times)
    print(f"rerun: Assessment page after a lab edit            median {am * 1000:6.1f} ms  p95 {ap * 1000:6.1f} ms"
          f"  (n={args.runs}, interleaved with the bare page)")
    print(f"rerun: bare page (same widgets, one chart)         median {bm * 1000:6.1f} ms  p95 {bp * 1000:6.1f} ms")
    print(f"rerun: ratio of medians {am / bm:.2f}  (target <= 2)")


if __name__ == "__main__":
    main()
