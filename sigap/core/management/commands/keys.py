"""`sigap keys`: the deployment key and the agencies' data keys (docs/security/keys.md).

sigap keys status                     which deployment key wraps each data key; versions in use
sigap keys rotate                     new deployment key; every data key re-wrapped under it
sigap keys rotate --new-key-file F    the same with a key you made (raw 32 bytes or base64)
sigap keys rotate --data-keys         a new data key version per agency for new writes
sigap keys rotate --reencrypt         re-encrypt rows still sealed under older data key versions
                                      (in batches; safe to interrupt and run again)
sigap keys retire-old                 forget older deployment keys once nothing needs them
"""

from __future__ import annotations

import base64
import os
import secrets
from collections import Counter
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Max

from sigap.audit.chain import append
from sigap.core import crypto
from sigap.core.models import DataKey

# Sealed fields of apps that do not register themselves (crypto.register_sealed_field).
KNOWN_SEALED_FIELDS: list[tuple[str, str, str]] = [
    ("cases.Report", "content_sealed", "report.content"),
    ("cases.Case", "summary_sealed", "case.summary"),
    ("cases.CaseNote", "text_sealed", "case.note"),
    ("triage.TriageResult", "features_sealed", "triage.features"),
    ("triage.DuplicateSuggestion", "evidence_sealed", "triage.duplicate_evidence"),
    ("reporters.Message", "body_sealed", "mailbox.message"),
    ("coordination.Referral", "dossier_sealed", "referral.dossier"),
]
LABEL = "cli:keys"


def _audit(action: str, data: dict[str, Any], instansi_id: int | None = None) -> None:
    append(
        instansi_id=instansi_id,
        actor_user_id=None,
        actor_label=LABEL,
        action=action,
        object_type="core.datakey",
        data=data,
    )


def _write_secret(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp-{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class Command(BaseCommand):
    help = "Deployment key and data keys: status, rotation, re-encryption."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="which keys are in use")
        rotate = sub.add_parser("rotate", help="rotate the deployment key, or the data keys with --data-keys")
        rotate.add_argument(
            "--new-key-file", type=Path, help="the new deployment key (raw 32 bytes or base64)"
        )
        rotate.add_argument("--data-keys", action="store_true", help="new data key version per agency")
        rotate.add_argument(
            "--reencrypt", action="store_true", help="re-encrypt rows sealed under older data key versions"
        )
        rotate.add_argument("--batch-size", type=int, default=500)
        sub.add_parser("retire-old", help="drop older deployment keys from the keyring file once unused")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "status":
            self.status()
        elif action == "retire-old":
            self.retire_old()
        elif options["data_keys"] or options["reencrypt"]:
            if options["new_key_file"]:
                raise CommandError("Rotate the deployment key and the data keys in two separate runs.")
            if options["data_keys"]:
                self.rotate_data_keys()
            if options["reencrypt"]:
                self.reencrypt(batch=max(1, options["batch_size"]))
        else:
            self.rotate_master(options["new_key_file"])

    # --- status -----------------------------------------------------------------------------------------

    def status(self) -> None:
        ring = crypto.master_keyring()
        current = crypto.master_key_id()
        self.stdout.write(
            f"deployment key in use: {current}; older keys known: "
            f"{', '.join(i for i in ring if i != current) or 'none'}"
        )
        by_master = Counter(DataKey.objects.values_list("master_key_id", flat=True))
        for key_id, n in sorted(by_master.items()):
            note = (
                "current" if key_id == current else ("known" if key_id in ring else "UNKNOWN: cannot unwrap")
            )
            self.stdout.write(f"  data keys wrapped by {key_id}: {n} ({note})")
        versions = DataKey.objects.values("instansi_id").annotate(latest=Max("version"))
        self.stdout.write(
            f"agencies with data keys: {len(versions)}; "
            f"with more than one version: {sum(1 for v in versions if v['latest'] > 1)}"
        )

    # --- deployment key ---------------------------------------------------------------------------------

    def rotate_master(self, new_key_file: Path | None) -> None:
        env_mode = bool(os.environ.get("SIGAP_MASTER_KEY"))
        if new_key_file is not None:
            try:
                new = crypto.parse_key_text(new_key_file.read_bytes(), source=str(new_key_file))
            except OSError as exc:
                raise CommandError(f"Cannot read {new_key_file}: {exc.strerror}.") from exc
        elif env_mode:
            new = crypto.master_key()  # finish a rotation: wrap everything under the configured key
        else:
            new = secrets.token_bytes(32)
        new_id = crypto.master_key_id(new)
        old = crypto.master_key()
        if env_mode:
            if new_id not in crypto.master_keyring():
                raise CommandError(
                    "Every process must know the new key before data keys are wrapped under it: add it to "
                    "SIGAP_MASTER_KEY_OLD (or the keyring file) everywhere, restart, then run this again."
                )
        elif new != old:
            # Key-file deployment: the old key goes to the keyring file first, then the new key becomes
            # the key file. Running processes re-read both when they meet a key they do not know.
            ring_path = crypto.keyring_file()
            existing = ring_path.read_bytes() if ring_path.exists() else b""
            _write_secret(ring_path, existing + base64.b64encode(old) + b"\n")
            _write_secret(Path(settings.SIGAP_MASTER_KEY_FILE), new)
            crypto.reset_caches()
            self.stdout.write(
                f"New deployment key {new_id} written to {settings.SIGAP_MASTER_KEY_FILE}; "
                f"the previous one ({crypto.master_key_id(old)}) kept in {ring_path}."
            )
        rewrapped = self._rewrap_all(new, new_id)
        _audit("keys.master_rotated", {"to": new_id, "rewrapped": rewrapped})
        self.stdout.write(self.style.SUCCESS(f"{rewrapped} data keys re-wrapped under {new_id}."))
        if env_mode and new_id != crypto.master_key_id():
            self.stdout.write(
                "Now set SIGAP_MASTER_KEY to the new key (keep the old one in SIGAP_MASTER_KEY_OLD "
                "until every process restarted)."
            )

    def _rewrap_all(self, new: bytes, new_id: str) -> int:
        done = 0
        ids = list(DataKey.objects.exclude(master_key_id=new_id).values_list("pk", flat=True))
        for pk in ids:
            with transaction.atomic():
                row = DataKey.objects.select_for_update().get(pk=pk)
                if row.master_key_id == new_id:
                    continue
                key = crypto.unwrap_key(bytes(row.wrapped), master_id=row.master_key_id)
                wrapped = crypto.wrap_key(key, master=new)
                if crypto.unwrap_key(wrapped, master=new) != key:
                    raise CommandError("Re-wrapping failed its check: nothing was changed for this key.")
                DataKey.objects.filter(pk=pk).update(wrapped=wrapped, master_key_id=new_id)
                done += 1
        return done

    def retire_old(self) -> None:
        current = crypto.master_key_id()
        left = DataKey.objects.exclude(master_key_id=current).count()
        if left:
            raise CommandError(
                f"{left} data keys are still wrapped by an older deployment key: "
                "run `sigap keys rotate` first."
            )
        path = crypto.keyring_file()
        if path.exists():
            path.unlink()
            self.stdout.write(
                f"Removed {path}. Keep a copy offline while backups older than the rotation exist."
            )
        if os.environ.get("SIGAP_MASTER_KEY_OLD"):
            self.stdout.write("Remove SIGAP_MASTER_KEY_OLD from every process's environment.")
        _audit("keys.old_master_retired", {"current": current})

    # --- data keys -------------------------------------------------------------------------------------

    def rotate_data_keys(self) -> None:
        agencies = list(DataKey.objects.values_list("instansi_id", flat=True).distinct())
        for instansi_id in agencies:
            with transaction.atomic():
                rows = list(DataKey.objects.select_for_update().filter(instansi_id=instansi_id))
                version = max(r.version for r in rows) + 1
                DataKey.objects.filter(instansi_id=instansi_id, active=True).update(active=False)
                DataKey.objects.create(
                    instansi_id=instansi_id,
                    version=version,
                    active=True,
                    wrapped=crypto.wrap_key(secrets.token_bytes(32)),
                    master_key_id=crypto.master_key_id(),
                )
                _audit("keys.data_key_rotated", {"version": version}, instansi_id=instansi_id)
        crypto.reset_caches()
        self.stdout.write(
            self.style.SUCCESS(
                f"New data key versions for {len(agencies)} agencies. Running processes use them for "
                f"new writes within {int(crypto.ACTIVE_VERSION_TTL)} seconds; older versions stay readable."
            )
        )

    def _fields(self) -> list[crypto.SealedField]:
        fields = list(crypto.SEALED_FIELDS)
        for model, field, purpose in KNOWN_SEALED_FIELDS:
            crypto.register_sealed_field(model, field, purpose)
        fields = list(crypto.SEALED_FIELDS)
        return [f for f in fields if self._model(f.model) is not None]

    @staticmethod
    def _model(label: str) -> Any:
        try:
            return apps.get_model(label)
        except (LookupError, ValueError):
            return None

    def reencrypt(self, *, batch: int) -> None:
        per_agency: Counter[int] = Counter()
        for spec in self._fields():
            model = self._model(spec.model)
            last_pk: Any = 0
            changed = 0
            while True:
                with transaction.atomic():
                    rows = list(
                        model.objects.select_for_update().filter(pk__gt=last_pk).order_by("pk")[:batch]
                    )
                    for row in rows:
                        blob = getattr(row, spec.field)
                        if not blob:
                            continue
                        new = crypto.reseal(row.instansi_id, bytes(blob), purpose=spec.purpose(row))
                        if new is not None:
                            model.objects.filter(pk=row.pk).update(**{spec.field: new})
                            changed += 1
                            per_agency[row.instansi_id] += 1
                if not rows:
                    break
                last_pk = rows[-1].pk
            self.stdout.write(f"{spec.model}.{spec.field}: {changed} re-encrypted")
        for instansi_id, n in per_agency.items():
            _audit("keys.reencrypted", {"rows": n}, instansi_id=instansi_id)
        self.stdout.write(self.style.SUCCESS(f"Re-encryption finished: {sum(per_agency.values())} values."))
