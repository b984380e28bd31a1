"""`sigap vault init-custodian --user NAME [--passphrase-file PATH]`: a person's key pair.

The passphrase is asked twice at the terminal (not echoed) or read from the first line of a file
(for provisioning; delete the file afterwards). It is never stored.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from sigap.core.errors import SigapError
from sigap.tenants.models import Membership
from sigap.tenants.permissions import Cap, roles_with
from sigap.vault import actions
from sigap.vault.models import PersonalKey


class Command(BaseCommand):
    help = "Identity vault: set up the personal key of a custodian (or officer)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser(
            "init-custodian", help="create a custodian's key pair, locked by their passphrase"
        )
        init.add_argument("--user", required=True)
        init.add_argument("--passphrase-file", type=Path)
        officer = sub.add_parser(
            "init-officer", help="create an officer's key pair, locked by their passphrase"
        )
        officer.add_argument("--user", required=True)
        officer.add_argument("--passphrase-file", type=Path)
        sub.add_parser("status", help="who holds a personal key")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):  # the command speaks English; so do the errors it passes on
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        if options["action"] == "status":
            for key in PersonalKey.objects.select_related("user").order_by("user__username"):
                self.stdout.write(f"{key.user.get_username():<30} {key.fingerprint}")
            return
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}: create the user first.")
        if (
            options["action"] == "init-custodian"
            and not Membership.objects.filter(
                user=user, active=True, role__in=[r.value for r in roles_with(Cap.IDENTITY_APPROVE)]
            ).exists()
        ):
            raise CommandError(
                f"{user.get_username()} is not a custodian of any agency: give them that role first."
            )
        passphrase = self._passphrase(options["passphrase_file"])
        try:
            key = actions.ensure_personal_key(user=user, passphrase=passphrase)
        except SigapError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"{user.get_username()}: personal key {key.fingerprint}"))

    def _passphrase(self, path: Path | None) -> str:
        if path is not None:
            try:
                return path.read_text(encoding="utf-8").splitlines()[0]
            except (OSError, IndexError) as exc:
                raise CommandError(
                    f"Cannot read a passphrase from {path}: put it on the first line."
                ) from exc
        first = getpass.getpass("Passphrase (at least 12 characters): ")
        if getpass.getpass("Repeat it: ") != first:
            raise CommandError("The two passphrases differ.")
        return first
