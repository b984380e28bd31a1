"""Shared fixtures: two agencies and the hub, an officer per role, and real actions to set up cases."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model

from sigap.cases.actions.submit import submit_report
from sigap.cases.content import ReportContent, ReportedPerson
from sigap.cases.models import Report
from sigap.core import crypto
from sigap.intake.incoming import IncomingReport
from sigap.tenants.access import Actor, actor_for
from sigap.tenants.models import Instansi, InstansiKind, Membership, Unit
from sigap.tenants.permissions import Role

PASSWORD = "kata-sandi-uji-123"


@pytest.fixture(autouse=True)
def _fresh_key_cache(settings) -> None:  # type: ignore[no-untyped-def]
    crypto.reset_caches()
    # Officer passwords are Argon2 in production; tests need not pay for it at every login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_evidence_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every test stores evidence in its own folder: no test sees another's files."""
    settings.SIGAP_EVIDENCE_DIR = tmp_path / "evidence"


def make_instansi(
    slug: str, kind: str = InstansiKind.PROVINSI, region: str = "18", tz: str = "WIB"
) -> Instansi:
    return Instansi.objects.create(
        kind=kind, name=f"Instansi {slug}", slug=slug, code=slug.upper()[:10], region_code=region, timezone=tz
    )


def make_user(instansi: Instansi, *roles: str, username: str | None = None):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(
        username=username or f"u-{uuid.uuid4().hex[:12]}", password=PASSWORD
    )
    for role in roles:
        Membership.objects.create(user=user, instansi=instansi, role=role)
    return user


@pytest.fixture
def agency_a(db: None) -> Instansi:
    inst = make_instansi("prov-a", region="18")
    Unit.objects.create(instansi=inst, name="Inspektorat Pembantu I")
    return inst


@pytest.fixture
def agency_b(db: None) -> Instansi:
    return make_instansi("kota-b", kind=InstansiKind.KABUPATEN_KOTA, region="18.71")


@pytest.fixture
def hub(db: None) -> Instansi:
    return make_instansi("hub", kind=InstansiKind.HUB, region="")


@pytest.fixture
def actor_of() -> Callable[..., Actor]:
    def build(instansi: Instansi, *roles: str) -> Actor:
        return actor_for(make_user(instansi, *roles), instansi)

    return build


@pytest.fixture
def boss_a(agency_a: Instansi, actor_of: Callable[..., Actor]) -> Actor:
    """An officer of agency A who holds every case-handling role."""
    return actor_of(agency_a, Role.VERIFIKATOR, Role.PENELAAH, Role.SUPERVISOR)


def incoming(**overrides: object) -> IncomingReport:
    content = ReportContent(
        title="Dugaan pungutan liar pembuatan KTP",
        what="Petugas kelurahan meminta uang Rp 150.000 untuk mempercepat pembuatan KTP elektronik.",
        who=[ReportedPerson(name="Budi", position="Lurah", institution="Kelurahan Sukamaju")],
        where="Kantor Kelurahan Sukamaju",
        when="Maret 2026",
        how="Diminta tunai di loket",
        evidence=["foto kuitansi"],
    )
    values: dict[str, object] = {
        "channel": "web",
        "content": content,
        "amount": 150_000,
        "region_code": "18.71",
    }
    values.update(overrides)
    return IncomingReport(**values)  # type: ignore[arg-type]


@pytest.fixture
def submit() -> Callable[..., Report]:
    def do(actor: Actor, **overrides: object) -> Report:
        return submit_report(actor=actor, incoming=incoming(**overrides))

    return do


@pytest.fixture
def cheap_portal(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Cheap Argon2 and proof of work for portal and mailbox tests (the production parameters are
    tested on their own), a per-test evidence folder; the receipt hasher's caches reset around."""
    from sigap.reporters import receipts

    settings.SIGAP_EVIDENCE_DIR = tmp_path / "evidence"
    settings.SIGAP_VAULT_KDF = "interactive"
    settings.SIGAP_RECEIPT_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    settings.SIGAP_POW_BITS = 6
    receipts.hasher.cache_clear()
    receipts._dummy_hash.cache_clear()
    yield settings
    receipts.hasher.cache_clear()
    receipts._dummy_hash.cache_clear()
