"""Benchmark of the reporter portal on PostgreSQL behind gunicorn, with the real Argon2 settings.

Run from the repository root: ``.venv/bin/python bench/bench_portal.py``. It creates a fresh
database (sigap_bench_portal), runs SIGAP under gunicorn on a free loopback port, then measures:

(a) portal submissions per second (form GET + POST + receipt page), target >= 20/s on 2 cores;
(b) p95 time of the report form (GET) and of the mailbox page after login, target < 50 ms;
(c) 32 concurrent submitters for 60 s (one in ten sends its form twice): zero errors, every report
    stored exactly once, tracking numbers and receipts unique (checked in the database).

The mailbox login's proof of work is solved like a browser would, at a lowered difficulty
(SIGAP_POW_BITS, printed). Skips with a message when PostgreSQL is unreachable.
Environment: BENCH_PG (default postgres://postgres@127.0.0.1:5432), BENCH_SECONDS (default 60).
"""

from __future__ import annotations

import hashlib
import html
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "sigap_bench_portal"
POW_BITS = 12
CONCURRENT = 32
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
VENV_BIN = REPO / ".venv" / "bin"


def pg_connect(dbname: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(f"{PG}/{dbname}", autocommit=True, connect_timeout=3)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- a tiny browser ----------------------------------------------------------------------------------


class Browser:
    """One reporter: its own cookies, one keep-alive connection to the loopback server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, dict]:
        headers = {"Host": "127.0.0.1", "Accept-Language": "id"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, text, dict(response.getheaders())


def hidden(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{re.escape(name)}"', page
    )
    if not match:
        raise RuntimeError(f"no {name} in page")
    return html.unescape(match.group(1))


def receipt_of(page: str) -> str | None:
    match = re.search(r'class="receipt"[^>]*>(.*?)</p>', page, re.S)
    if not match:
        return None
    digits = re.sub(r"\D", "", re.sub(r"<[^>]+>", "", match.group(1)))
    return digits if len(digits) == 16 else None


def tracking_of(page: str) -> str | None:
    match = re.search(r"BENCH-\d{4}-\d{6}", page)
    return match.group(0) if match else None


@dataclass
class Submission:
    ok: bool
    seconds: float
    receipt: str | None = None
    tracking: str | None = None
    error: str = ""
    resent: bool = False


def submit_one(browser: Browser, *, resend: bool = False) -> Submission:
    start = time.perf_counter()
    status, page, _ = browser.request("GET", "/bench/lapor/")
    if status != 200:
        return Submission(False, time.perf_counter() - start, error=f"form GET {status}")
    data = {
        "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
        "form_token": hidden(page, "form_token"),
        "what": f"Pungutan liar di loket pelayanan {secrets.token_hex(4)}: petugas meminta uang tunai.",
        "who_0_name": "Budi",
        "who_0_position": "Kepala Seksi",
        "where": "Kantor Dinas",
        "how_much": "Rp 150.000",
        "anonymity": "anonymous",
    }
    status, page, headers = browser.request("POST", "/bench/lapor/", data)
    if status != 302:
        return Submission(False, time.perf_counter() - start, error=f"POST {status}")
    if resend:  # the same form again (double click): must not store a second report
        status2, _, _ = browser.request("POST", "/bench/lapor/", data)
        if status2 != 302:
            return Submission(False, time.perf_counter() - start, error=f"re-POST {status2}")
    status, page, _ = browser.request("GET", urllib.parse.urlparse(headers.get("Location", "")).path)
    receipt = receipt_of(page)
    if status != 200 or receipt is None:
        return Submission(False, time.perf_counter() - start, error=f"receipt page {status}")
    return Submission(
        True, time.perf_counter() - start, receipt=receipt, tracking=tracking_of(page), resent=resend
    )


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte:
            return count + 8 - byte.bit_length()
        count += 8
    return count


def solve_pow(challenge: str, bits: int) -> str:
    """What pow.js does in the browser."""
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        nonce += 1
    return str(nonce)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


# -- the phases --------------------------------------------------------------------------------------


@dataclass
class Load:
    results: list[Submission] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def run_load(port: int, *, threads: int, seconds: float, resend_every: int = 0) -> tuple[Load, float]:
    load = Load()
    deadline = time.perf_counter() + seconds

    def worker(index: int) -> None:
        browser = Browser(port)
        n = 0
        while time.perf_counter() < deadline and n < 100_000:
            n += 1
            resend = bool(resend_every) and (n + index) % resend_every == 0
            try:
                result = submit_one(browser, resend=resend)
            except Exception as exc:  # noqa: BLE001 - counted as an error
                result = Submission(False, 0.0, error=repr(exc)[:120])
            with load.lock:
                load.results.append(result)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=seconds + 120)
    return load, time.perf_counter() - started


def page_times(port: int) -> tuple[list[float], list[float]]:
    browser = Browser(port)
    first = submit_one(browser)
    assert first.ok and first.receipt, first.error
    form_times = []
    for _ in range(200):
        t = time.perf_counter()
        status, _, _ = browser.request("GET", "/bench/lapor/")
        form_times.append(time.perf_counter() - t)
        assert status == 200
    reporter = Browser(port)
    status, page, _ = reporter.request("GET", "/kotak-surat/")
    challenge = hidden(page, "pow_challenge")
    status, _, _ = reporter.request(
        "POST",
        "/kotak-surat/masuk/",
        {
            "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
            "receipt": first.receipt,
            "pow_challenge": challenge,
            "pow_nonce": solve_pow(challenge, POW_BITS),
        },
    )
    assert status == 302, f"mailbox login answered {status}"
    mailbox_times = []
    for _ in range(200):
        t = time.perf_counter()
        status, page, _ = reporter.request("GET", "/kotak-surat/")
        mailbox_times.append(time.perf_counter() - t)
        assert status == 200 and 'id="status-title"' in page
    return form_times, mailbox_times


def main() -> int:
    try:
        admin = pg_connect("postgres")
    except Exception as exc:  # noqa: BLE001
        print(f"SKIP: PostgreSQL is unreachable at {PG} ({exc.__class__.__name__}).")
        return 0
    admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    var_dir = tempfile.mkdtemp(prefix="sigap-bench-portal-")
    cores = os.cpu_count() or 1
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "SIGAP_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "sigap.settings",
        "SIGAP_POW_BITS": str(POW_BITS),
        "SIGAP_MAILBOX_LOGINS_PER_MINUTE": "100000",
        "SIGAP_LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        print(f"migrating {DB_NAME} ...", flush=True)
        subprocess.run([str(VENV_BIN / "sigap"), "migrate", "-v", "0"], env=env, cwd=REPO, check=True)
        subprocess.run(
            [
                str(VENV_BIN / "python"),
                "-c",
                (
                    "import django; django.setup();"
                    "from sigap.tenants.models import Instansi;"
                    "Instansi.objects.create(kind='provinsi', name='Pemerintah Provinsi Bench', slug='bench',"
                    " code='BENCH', region_code='18')"
                ),
            ],
            env=env,
            cwd=REPO,
            check=True,
        )
        port = free_port()
        workers, threads = 2 * cores, 4
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "sigap.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=REPO,
        )
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
        import django

        django.setup()
        from django.conf import settings

        from sigap.reporters.receipts import hasher

        params = settings.SIGAP_RECEIPT_ARGON2
        hasher().hash("1234567890123456")
        t = time.perf_counter()
        for _ in range(5):
            hasher().hash("1234567890123456")
        argon_ms = (time.perf_counter() - t) * 1000 / 5
        print(
            f"cores={cores} gunicorn workers={workers} threads={threads} | Argon2id (libsodium) "
            f"t={params['time_cost']} m={params['memory_cost']} p=1: "
            f"{argon_ms:.0f} ms per hash here, so at most {cores / (argon_ms / 1000):.1f} submissions/s on "
            f"{cores} cores | PoW bits for the bench: {POW_BITS} (default 18) | load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        run_load(port, threads=4, seconds=3)  # warm-up

        load, took = run_load(port, threads=2 * cores, seconds=20)
        ok = [r for r in load.results if r.ok]
        rate = len(ok) / took
        print(
            f"(a) submissions: {len(ok)} in {took:.1f} s = {rate:.1f}/s with {2 * cores} clients "
            f"(target >= 20/s); p50 {statistics.median([r.seconds for r in ok] or [0]) * 1000:.0f} ms; "
            f"errors {len(load.results) - len(ok)}"
        )

        form_times, mailbox_times = page_times(port)
        print(
            f"(b) p95 form GET {p95(form_times) * 1000:.1f} ms "
            f"(median {statistics.median(form_times) * 1000:.1f}); "
            f"p95 mailbox page {p95(mailbox_times) * 1000:.1f} ms "
            f"(median {statistics.median(mailbox_times) * 1000:.1f}); target < 50 ms"
        )

        before = pg_connect(DB_NAME).execute("SELECT count(*) FROM cases_report").fetchone()[0]
        load, took = run_load(port, threads=CONCURRENT, seconds=SECONDS, resend_every=10)
        ok = [r for r in load.results if r.ok]
        errors = [r.error for r in load.results if not r.ok]
        db = pg_connect(DB_NAME)
        after = db.execute("SELECT count(*) FROM cases_report").fetchone()[0]
        dup_tracking = db.execute(
            "SELECT count(*) FROM (SELECT instansi_id, tracking_number FROM cases_report "
            "GROUP BY 1, 2 HAVING count(*) > 1) d"
        ).fetchone()[0]
        dup_lookup = db.execute(
            "SELECT count(*) FROM (SELECT receipt_lookup FROM reporters_reporter "
            "WHERE receipt_lookup <> '' GROUP BY 1 HAVING count(*) > 1) d"
        ).fetchone()[0]
        dup_tokens = db.execute(
            "SELECT count(*) FROM (SELECT report_id FROM reporters_submissiontoken "
            "GROUP BY 1 HAVING count(*) > 1) d"
        ).fetchone()[0]
        receipts_seen = [r.receipt for r in ok]
        tracking_seen = [r.tracking for r in ok]
        stored = after - before
        print(
            f"(c) {CONCURRENT} submitters x {took:.0f} s: {len(ok)} submissions ({len(ok) / took:.1f}/s), "
            f"{sum(r.resent for r in ok)} sent twice; errors {len(errors)}"
            + (f" e.g. {errors[:3]}" if errors else "")
        )
        print(
            f"    reports stored {stored} (expected {len(ok)}): {'OK' if stored == len(ok) else 'MISMATCH'}; "
            f"duplicate tracking numbers {dup_tracking}; duplicate receipt lookups {dup_lookup}; "
            f"reports with two tokens {dup_tokens}; receipts unique "
            f"{len(set(receipts_seen)) == len(receipts_seen)}; tracking numbers unique "
            f"{len(set(tracking_seen)) == len(tracking_seen)}"
        )
        good = (
            not errors
            and stored == len(ok)
            and not (dup_tracking or dup_lookup or dup_tokens)
            and len(set(receipts_seen)) == len(receipts_seen)
        )
        return 0 if good else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        try:
            pg_connect("postgres").execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        except Exception as exc:  # noqa: BLE001
            print(f"could not drop {DB_NAME}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
