"""Load run (a benchmark, not a test): concurrent clinicians through nginx on 2 app processes.

Brings the deployment up with deploy/up.py (nginx + TLS, N app processes started from the
systemd unit's ExecStart, PostgreSQL, the development OpenID provider), then drives S concurrent
browser sessions — real headless Chromium pages (one browser, one context per session, async
Playwright), each signed in through the provider (even sessions alice, team A; odd sessions bob,
team B) — for a bounded time. Each session stores its own case (ex-02 saved as a new case), then
until the deadline: edits a serum M-protein in the Labs grid so that the top suggestion flips
(V-PLD <-> Rd) and times commit -> updated top suggestion in the sidebar; every third edit saves
on the Case library page and records the acknowledged revision. At the end:

* p50/p95/max of edit -> updated top suggestion (target p95 <= 1 s),
* lost saves: acknowledged revisions missing from PostgreSQL or with other content (target 0),
* cases outside the team: case ids of the other team's sessions listed on a session's library
  page (target 0; counted, not enforced here — team scoping is the store's job).

Loopback only; bounded in sessions and time; stops by itself.

    .venv/bin/python bench/bench_load.py [--sessions 10] [--processes 2] [--duration 120]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

import up  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
USERS = (("alice", "alice-dev-pw", "A"), ("bob", "bob-dev-pw", "B"))
FLIPS = (("1.15", "V-PLD"), ("11.6", "Rd"))
LAB_ROW, VALUE_COLUMN = 7, 1  # one row per visit (the default lab grid): serum M of the 8th visit
MAX_SESSIONS, MAX_DURATION = 20, 900


@dataclass
class Session:
    index: int
    user: str
    team: str
    case_id: str | None = None
    latencies: list[float] = field(default_factory=list)
    acknowledged: dict[int, float] = field(default_factory=dict)
    listed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def idle(page) -> None:
    from playwright.async_api import expect

    await expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
    await expect(page.locator("[data-testid=stStatusWidget]")).to_have_count(0, timeout=60_000)


async def goto(page, title: str) -> None:
    from playwright.async_api import expect

    await page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title, exact=True).click()
    await expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=60_000)
    await idle(page)


async def load_example(page, case_id: str) -> None:
    from playwright.async_api import expect

    sidebar = page.locator("[data-testid=stSidebar]")
    select = sidebar.locator("[data-testid=stSelectbox]").first
    if not await select.is_visible():
        await sidebar.locator("[data-testid=stExpander] summary").filter(has_text="load, upload, download").click()
    await select.click()
    await page.get_by_role("option", name=case_id).first.click()
    await sidebar.get_by_role("button", name="Load example").click()
    await expect(sidebar.get_by_text(f"Loaded {case_id}.")).to_be_visible(timeout=60_000)
    await idle(page)


async def edit_cell(page, value: str) -> None:
    from playwright.async_api import expect

    grid = page.locator("[data-testid=stDataFrame]").first
    editor = page.locator("input.gdg-input, textarea.gdg-input").first
    await expect(grid).to_be_visible(timeout=60_000)
    for _ in range(5):
        await grid.click(position={"x": 60, "y": 35 + 35 * LAB_ROW + 17})
        for _ in range(VALUE_COLUMN):
            await page.keyboard.press("ArrowRight")
        await page.keyboard.press("Enter")
        try:
            await expect(editor).to_be_visible(timeout=3_000)
        except AssertionError:
            await page.keyboard.press("Escape")
            continue
        if "-" not in await editor.input_value():  # the value column, not the date (a lost key press)
            break
        await page.keyboard.press("Escape")
        await idle(page)
    else:
        raise RuntimeError("could not open the value cell's editor")
    await editor.fill(value)


async def save(page, session: Session) -> int:
    from playwright.async_api import expect

    await goto(page, "Case library")
    await page.get_by_role("button", name="Save to library").click()
    saved = page.get_by_text("Saved as revision")
    exists = page.get_by_text("A stored case already has the id")
    await expect(saved.or_(exists)).to_be_visible(timeout=60_000)
    if await exists.is_visible():
        await page.get_by_role("button", name="Save as a new case (new id)").click()
        await expect(saved).to_be_visible(timeout=60_000)
    text = await saved.inner_text()
    number = int(text.split("revision", 1)[1].strip().split()[0].strip("."))
    return number


async def run_session(browser, trial: up.Trial, session: Session, duration: float, password: str) -> None:
    from playwright.async_api import expect

    context = await browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 2200},
                                        locale="en-GB")
    page = await context.new_page()
    try:
        await page.goto(trial.url, timeout=120_000)
        await page.get_by_role("button", name="Sign in").click(timeout=120_000)
        await page.locator("#username").fill(session.user)
        await page.locator("#password").fill(password)
        await page.locator("#submit").click()
        await expect(page.get_by_text(f"Signed in as {session.user}@")).to_be_visible(timeout=120_000)
        await idle(page)
        await load_example(page, "ex-02")
        await save(page, session)  # ex-02 stored as this session's own case
        label = await page.locator("[data-testid=stText]").first.inner_text()
        session.case_id = label.rsplit("·", 1)[1].strip()
        edits = 0
        await goto(page, "Labs")
        deadline = time.monotonic() + duration  # each session edits for `duration` after its setup
        while time.monotonic() < deadline:
            value, top = FLIPS[edits % 2]
            await edit_cell(page, value)
            t0 = time.perf_counter()
            await page.keyboard.press("Enter")
            await page.wait_for_function(
                """want => { const li = document.querySelector('.st-key-side_summary li');
                             return li && li.innerText.trim().startsWith(want + ' '); }""",
                arg=top, polling="raf", timeout=60_000)
            session.latencies.append(time.perf_counter() - t0)
            await idle(page)
            edits += 1
            if edits % 3 == 0:
                session.acknowledged[await save(page, session)] = float(value)
                await goto(page, "Labs")
        await goto(page, "Case library")
        await page.get_by_role("combobox", name="Case", exact=True).click(timeout=60_000)
        session.listed = [o.split(" — ")[0].strip() for o in await page.get_by_role("option").all_inner_texts()]
    except Exception as error:  # noqa: BLE001 — a session's failure is a figure, not a crash
        session.errors.append(f"{type(error).__name__}: {' / '.join(str(error).splitlines()[:4])[:400]}")
        shots = ROOT / "artifacts" / "load"
        shots.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(shots / f"session-{session.index}-error.png"))
    finally:
        await context.close()


async def drive(trial: up.Trial, sessions: list[Session], duration: float) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        passwords = {u: pw for u, pw, _ in USERS}
        await asyncio.gather(*(run_session(browser, trial, s, duration, passwords[s.user]) for s in sessions))
        await browser.close()


def lost_saves(trial: up.Trial, sessions: list[Session]) -> list[str]:
    from casestore import CaseStore

    lost = []
    store = CaseStore.open(trial.database_url)
    try:
        for session in sessions:
            for number, value in session.acknowledged.items():
                try:
                    labs = store.load(session.case_id, revision=number).case_json["labs"]
                except Exception as error:  # noqa: BLE001
                    lost.append(f"{session.case_id} r{number}: {type(error).__name__}")
                    continue
                if value not in {lab["value"] for lab in labs}:
                    lost.append(f"{session.case_id} r{number}: value {value} missing")
    finally:
        store.close()
    return lost


def process_cpu(pid: int) -> float:
    """CPU seconds of a live process and its reaped children (/proc/PID/stat utime..cstime)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> float:
    """CPU seconds of a process and its live descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += process_cpu(pid)
        todo.extend(children.get(pid, []))
    return total


class ClientCpu:
    """CPU seconds of the browser side: every descendant of this process that is not a server
    process (the Playwright driver, Chromium and its renderers), sampled every second, the last
    reading of each process summed — renderers that end between samples are missed (a lower bound)."""

    def __init__(self, exclude: set[int]) -> None:
        self.exclude, self.seen, self._stop = exclude, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        todo = [pid for pid in children.get(os.getpid(), []) if pid not in self.exclude]
        while todo:
            pid = todo.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                self.seen[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except OSError:
                pass
            todo.extend(child for child in children.get(pid, []) if child not in self.exclude)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self._sample()

    def __enter__(self) -> ClientCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


def server_cpu(trial: up.Trial) -> dict[str, float]:
    nginx = next(w for w in trial.others if w.name == "nginx")
    return {**{app.name: tree_cpu(app.process.pid) for app in trial.apps}, "nginx": tree_cpu(nginx.process.pid)}


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--duration", type=float, default=120, help="seconds of editing per session")
    args = parser.parse_args()
    sessions_n = max(1, min(args.sessions, MAX_SESSIONS))
    duration = max(5.0, min(args.duration, MAX_DURATION))
    sessions = [Session(i, USERS[i % 2][0], USERS[i % 2][2]) for i in range(sessions_n)]
    with up.Trial(processes=args.processes) as trial:
        t0, times0, server0 = time.monotonic(), os.times(), server_cpu(trial)
        server_pids = {w.process.pid for w in [*trial.apps, *trial.others]}
        with ClientCpu(server_pids) as clients:
            asyncio.run(drive(trial, sessions, duration))
        wall, times1, server1 = time.monotonic() - t0, os.times(), server_cpu(trial)
        client_cpu = clients.seconds + (times1.user - times0.user) + (times1.system - times0.system)
        cpu = {name: server1[name] - server0[name] for name in server0}
        lost = lost_saves(trial, sessions)
        per_process = {app.name: 0 for app in trial.apps}
        log = (trial.run_dir / "nginx-access.log").read_text()
        for app in trial.apps:
            per_process[app.name] = log.count(f"upstream=127.0.0.1:{app.name.split('@')[1]} ")
    latencies = [x for s in sessions for x in s.latencies]
    team_of = {s.case_id: s.team for s in sessions if s.case_id}
    outside = sum(1 for s in sessions for case_id in s.listed if team_of.get(case_id, s.team) != s.team)
    saves = sum(len(s.acknowledged) for s in sessions)
    print(f"load: {sessions_n} Chromium sessions through nginx (TLS) on {args.processes} app processes, "
          f"{duration:.0f} s of editing each, wall {wall:.0f} s; requests per process {per_process}")
    if latencies:
        print(f"load: edit -> updated top suggestion  n={len(latencies)}  median {statistics.median(latencies) * 1000:.0f} ms"
              f"  p95 {pct(latencies, 0.95) * 1000:.0f} ms  max {max(latencies) * 1000:.0f} ms  (target p95 <= 1000 ms)")
    print(f"load: CPU seconds in {wall:.0f} s wall on {os.cpu_count()} cores: "
          + ", ".join(f"{name} {seconds:.0f}" for name, seconds in cpu.items())
          + f", Chromium + Playwright (the clients, at least) {client_cpu:.0f}; load average at the end {os.getloadavg()[0]:.1f}")
    print(f"load: acknowledged saves {saves}, lost {len(lost)} {lost[:5]}")
    print(f"load: cases of the other team listed on a session's library page: {outside} "
          f"(sessions that listed: {sum(1 for s in sessions if s.listed)}/{sessions_n})")
    for s in sessions:
        if s.errors:
            print(f"load: session {s.index} ({s.user}) error: {s.errors[0]}")


if __name__ == "__main__":
    main()
