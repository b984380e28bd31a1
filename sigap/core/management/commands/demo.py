"""`sigap demo` (what `make demo` runs): migrate, load demo data once, print the logins, then serve
SIGAP on http://127.0.0.1:8000 with a task worker until Ctrl-C."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEMO_PASSWORD_ENV = "SIGAP_DEMO_PASSWORD"
DEFAULT_PASSWORD = "sigap-demo-2026"


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Set up the demo (migrate, demo data, logins) and serve it with a task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, default=3000, help="demo reports written on first run")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--setup-only", action="store_true", help="prepare everything, serve nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not options["setup_only"] and not _port_free(host, port):
            raise CommandError(f"Port {port} on {host} is in use: stop what runs there or pass --port.")
        self.stdout.write("Preparing the database ...")
        call_command("migrate", verbosity=0)
        call_command(
            "demo_data", reports=options["reports"], seed=2026, if_empty=True, no_logins=True, verbosity=1
        )
        from sigap.demo.referrals import hand_over_demo_referrals

        hand_over_demo_referrals()  # before triage, which reads the cases accepted from a referral
        # After an upgrade, as in production: re-sign signatures and re-read entities an older version made.
        call_command("triage", "index", verbosity=0, stdout=io.StringIO())
        call_command("triage", "run-pending", verbosity=0)
        password = os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_PASSWORD
        from sigap.demo.agencies import ensure_demo_users

        logins = ensure_demo_users(password)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo logins (password for all, and the vault passphrase: {password}; set when a user is "
                "created)"
            )
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<28} {login.role:<28} {login.instansi}")
        if options["setup_only"]:
            return
        self.stdout.write(self.style.SUCCESS(f"\nSIGAP runs at http://{host}:{port}/  (Ctrl-C stops it)\n"))
        self._serve(host, port)

    def _serve(self, host: str, port: int) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sigap.settings"}
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "sigap.cli",
                "db_worker",
                "--queue-name",
                "*",
                "--interval",
                "1",
                "--no-reload",
            ],
            env=env,
        )
        # No access log: reporters' IP addresses are never written anywhere.
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "gunicorn",
                "sigap.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=env,
        )

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while True:
                for proc, name in ((server, "web server"), (worker, "task worker")):
                    code = proc.poll()
                    if code is not None:
                        raise CommandError(f"The {name} stopped (exit {code}).")
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for proc in (server, worker):
                if proc.poll() is None:
                    proc.terminate()
            for proc in (server, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
