"""Takes the README's screenshots (docs/screenshots/) from a fresh demo, with Debian's Chromium.

Run from the repository root:  .venv/bin/python tools/screenshots.py [--chromium /usr/bin/chromium]

It sets up the demo in a temporary folder (its own SQLite database), serves it on a free port of
127.0.0.1, logs in as the demo's verification officer of Pemerintah Provinsi Lampung and saves:
the case queue, a case whose triage found a likely duplicate, a referral from another agency waiting
for an answer, the form for a report taken on the phone, the hub monitor's overview of connected
agencies, the login page, the mailbox login and the reporter's form on a phone-sized screen.
Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SIGAP = [sys.executable, "-m", "sigap.cli"]
PASSWORD = "sigap-demo-2026"
OFFICER = "lampung.verifikator"
MONITOR = "kpk.monitor"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server on loopback
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo did not answer at {url}")


# The officer's agency case with the best open duplicate suggestion (one inside the agency first),
# among cases the verification officer handles now (the page then shows the steps they can take),
# else among all cases still open.
FIND_CASE = """
from sigap.triage.models import DuplicateSuggestion as D
from sigap.cases.workflow import OPEN_STATES
mine = D.objects.filter(instansi__slug="lampung", decision="open").order_by("-score")
now = mine.filter(report__case__status__in=["received", "verification", "needs_completion"])
still_open = mine.filter(report__case__status__in=[s.value for s in OPEN_STATES])
best = now.filter(other_instansi__slug="lampung").first() or now.first() or still_open.first() or mine.first()
print(best.report.case_id if best else "")
"""


def case_with_duplicate(env: dict[str, str]) -> str:
    found = subprocess.run([*SIGAP, "shell", "-c", FIND_CASE], env=env, cwd=ROOT, check=True,  # noqa: S603
                           capture_output=True, text=True).stdout.strip().splitlines()
    if not found or not found[-1].isdigit():
        raise SystemExit("no case with a likely duplicate in the demo data")
    return found[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--reports", type=int, default=3000, help="as many as `make demo` writes")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="sigap-screenshots-") as var:
        env = {**os.environ, "SIGAP_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "sigap.settings"}
        env.pop("DATABASE_URL", None)  # the demo's own SQLite database
        setup = [*SIGAP, "demo", "--setup-only", "--reports", str(args.reports)]
        subprocess.run(setup, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [*SIGAP, "demo", "--port", str(port)], env=env, cwd=ROOT, start_new_session=True, **quiet
        )
        try:
            wait_for(f"{base}/accounts/login/")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                desk = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
                page = desk.new_page()
                page.goto(f"{base}/accounts/login/")
                page.screenshot(path=OUT / "login.png")
                page.fill("input[name=username]", OFFICER)
                page.fill("input[name=password]", PASSWORD)
                with page.expect_navigation():
                    page.click("main form button[type=submit]")
                page.goto(f"{base}/kasus/")
                page.screenshot(path=OUT / "case-list.png")
                page.goto(f"{base}/kasus/{case_with_duplicate(env)}/")
                page.screenshot(path=OUT / "case-detail.png", full_page=True)
                page.goto(f"{base}/pelimpahan/")  # referrals from other agencies, waiting for an answer
                with page.expect_navigation():
                    page.click("main table tbody a")
                page.screenshot(path=OUT / "referral.png", full_page=True)
                page.goto(f"{base}/kasus/catat/")  # a report taken on the phone
                page.screenshot(path=OUT / "record-report.png")
                hub = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
                hub.goto(f"{base}/accounts/login/")
                hub.fill("input[name=username]", MONITOR)
                hub.fill("input[name=password]", PASSWORD)
                with hub.expect_navigation():
                    hub.click("main form button[type=submit]")
                hub.goto(f"{base}/pantau/")  # the hub's monitor: connected agencies' missed deadlines
                hub.screenshot(path=OUT / "hub-overview.png")
                phone = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844},
                                            device_scale_factor=1, is_mobile=True, has_touch=True)
                small = phone.new_page()
                small.goto(f"{base}/kotak-surat/")
                small.screenshot(path=OUT / "mailbox-login.png")
                small.goto(f"{base}/lampung/lapor/")
                small.screenshot(path=OUT / "portal-phone.png")  # the first screen, as a phone shows it
                browser.close()
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    print(f"saved to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
