"""The demo agencies, their units and the demo users (one per role in two agencies, plus the hub).

Everything here is idempotent: re-running reuses the rows that exist (matched by slug, unit name
and username) and adds only what is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sigap.tenants.models import Instansi


@dataclass(frozen=True)
class AgencySpec:
    slug: str
    kind: str
    name: str
    short_name: str
    code: str
    region_code: str
    #: what kind of institution texts to write for it (see textgen.DOMAIN_SECTORS)
    domain: str
    #: region codes (province or kabupaten/kota) where its reports take place
    region_roots: tuple[str, ...]
    #: share of the generated reports it receives
    weight: float
    units: tuple[str, ...]
    parent_slug: str = ""
    timezone: str = "WIB"
    headcount: int | None = None
    agreement_number: str = ""
    agreement_from: dt.date | None = None
    connected_to_hub: bool = True


_NATIONAL = ("18", "16", "15", "12", "31", "32", "35")

AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "kpk",
        "hub",
        "Komisi Pemberantasan Korupsi (Hub WBS Terintegrasi)",
        "KPK",
        "KPK",
        "",
        "hub",
        _NATIONAL,
        0.22,
        ("Direktorat Pelayanan Laporan dan Pengaduan Masyarakat", "Direktorat Koordinasi dan Supervisi"),
        headcount=1650,
    ),
    AgencySpec(
        "itjen-kemenag",
        "kementerian",
        "Inspektorat Jenderal Kementerian Agama",
        "Itjen Kemenag",
        "IJKMA",
        "",
        "kemenag",
        _NATIONAL,
        0.07,
        ("Inspektorat Wilayah I", "Inspektorat Investigasi"),
        headcount=230000,
        agreement_number="PKS-01/ITJEN.KEMENAG/2021",
        agreement_from=dt.date(2021, 3, 15),
    ),
    AgencySpec(
        "itjen-kemenkeu",
        "kementerian",
        "Inspektorat Jenderal Kementerian Keuangan",
        "Itjen Kemenkeu",
        "IJKMK",
        "",
        "kemenkeu",
        _NATIONAL,
        0.07,
        ("Inspektorat I", "Inspektorat Investigasi"),
        headcount=80000,
        agreement_number="PKS-07/IJ/2021",
        agreement_from=dt.date(2021, 5, 20),
    ),
    AgencySpec(
        "itjen-pu",
        "kementerian",
        "Inspektorat Jenderal Kementerian Pekerjaan Umum",
        "Itjen PU",
        "IJPU",
        "",
        "pu",
        _NATIONAL,
        0.06,
        ("Inspektorat Wilayah II", "Inspektorat Khusus"),
        headcount=22000,
        agreement_number="PKS-12/IJ-PU/2021",
        agreement_from=dt.date(2021, 8, 2),
    ),
    AgencySpec(
        "lampung",
        "provinsi",
        "Pemerintah Provinsi Lampung",
        "Pemprov Lampung",
        "LPG",
        "18",
        "pemda",
        ("18",),
        0.13,
        ("Inspektorat Daerah Provinsi Lampung", "Biro Hukum Setda Provinsi Lampung"),
        headcount=21000,
        agreement_number="180/045/HK/2020",
        agreement_from=dt.date(2020, 11, 10),
    ),
    AgencySpec(
        "sumsel",
        "provinsi",
        "Pemerintah Provinsi Sumatera Selatan",
        "Pemprov Sumsel",
        "SMS",
        "16",
        "pemda",
        ("16",),
        0.11,
        ("Inspektorat Daerah Provinsi Sumatera Selatan", "Biro Organisasi Setda Sumsel"),
        headcount=24000,
        agreement_number="119/PKS/INSP/2020",
        agreement_from=dt.date(2020, 6, 24),
    ),
    AgencySpec(
        "bandar-lampung",
        "kabupaten_kota",
        "Pemerintah Kota Bandar Lampung",
        "Pemkot Bandar Lampung",
        "BDL",
        "18.71",
        "pemda",
        ("18.71",),
        0.10,
        ("Inspektorat Kota Bandar Lampung", "Bagian Hukum Setda Kota Bandar Lampung"),
        parent_slug="lampung",
        headcount=9800,
        agreement_number="700/112/IV.02/2021",
        agreement_from=dt.date(2021, 9, 1),
    ),
    AgencySpec(
        "lampung-selatan",
        "kabupaten_kota",
        "Pemerintah Kabupaten Lampung Selatan",
        "Pemkab Lampung Selatan",
        "LSL",
        "18.01",
        "pemda",
        ("18.01",),
        0.08,
        ("Inspektorat Kabupaten Lampung Selatan", "Bagian Organisasi Setda Lampung Selatan"),
        parent_slug="lampung",
        headcount=8700,
        agreement_number="700/083/III.01/2022",
        agreement_from=dt.date(2022, 2, 14),
    ),
    AgencySpec(
        "palembang",
        "kabupaten_kota",
        "Pemerintah Kota Palembang",
        "Pemkot Palembang",
        "PLG",
        "16.71",
        "pemda",
        ("16.71",),
        0.10,
        ("Inspektorat Kota Palembang", "Bagian Hukum Setda Kota Palembang"),
        parent_slug="sumsel",
        headcount=14500,
        agreement_number="700/219/INSP/2021",
        agreement_from=dt.date(2021, 4, 5),
    ),
    AgencySpec(
        "ptpn3",
        "bumn",
        "PT Perkebunan Nusantara III (Persero)",
        "PTPN III",
        "PTPN3",
        "12",
        "bumn",
        ("12", "14"),
        0.06,
        ("Satuan Pengawasan Intern", "Bagian Hukum dan Kepatuhan"),
        headcount=9500,
        agreement_number="3.00/SPJ/01/2021",
        agreement_from=dt.date(2021, 1, 28),
    ),
)

SPEC_BY_SLUG: dict[str, AgencySpec] = {a.slug: a for a in AGENCIES}

#: Agencies with one demo user per role, and the hub's users.
STAFFED_AGENCIES = ("lampung", "bandar-lampung")
STAFF_ROLES = ("admin", "verifikator", "penelaah", "supervisor", "custodian", "analyst")
HUB_USERS = (
    ("kpk.monitor", "hub_monitor"),
    ("kpk.verifikator", "verifikator"),
    ("kpk.supervisor", "supervisor"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    instansi: str
    role: str


def ensure_demo_agencies() -> dict[str, Instansi]:
    """Creates the demo agencies and their units when missing; returns them by slug."""
    from django.db import transaction

    from sigap.tenants.models import Instansi, Unit

    result: dict[str, Instansi] = {}
    with transaction.atomic():
        for spec in AGENCIES:  # parents come before their children in AGENCIES
            agreement_until = (
                spec.agreement_from.replace(year=spec.agreement_from.year + 5)
                if spec.agreement_from
                else None
            )
            instansi, _ = Instansi.objects.get_or_create(
                slug=spec.slug,
                defaults={
                    "kind": spec.kind,
                    "name": spec.name,
                    "short_name": spec.short_name,
                    "code": spec.code,
                    "region_code": spec.region_code,
                    "parent": result.get(spec.parent_slug),
                    "timezone": spec.timezone,
                    "connected_to_hub": spec.connected_to_hub,
                    "agreement_number": spec.agreement_number,
                    "agreement_valid_from": spec.agreement_from,
                    "agreement_valid_until": agreement_until,
                    "headcount": spec.headcount,
                },
            )
            for i, unit_name in enumerate(spec.units, start=1):
                Unit.objects.get_or_create(
                    instansi=instansi, name=unit_name, defaults={"code": f"{spec.code}-U{i}"}
                )
            result[spec.slug] = instansi
    return result


KEYED_ROLES = frozenset({"custodian", "verifikator", "penelaah", "supervisor"})


def ensure_demo_users(password: str) -> list[DemoLogin]:
    """Creates the demo users and their memberships when missing (a user's password is set only
    when the user is created); returns the logins to print."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from sigap.tenants.models import Membership
    from sigap.tenants.permissions import Role

    user_model = get_user_model()
    agencies = ensure_demo_agencies()
    wanted: list[tuple[str, str, str]] = []
    for slug in STAFFED_AGENCIES:
        wanted += [(f"{slug}.{role}", slug, role) for role in STAFF_ROLES]
    wanted += [(username, "kpk", role) for username, role in HUB_USERS]

    logins: list[DemoLogin] = []
    keyed: list[Any] = []
    with transaction.atomic():
        admin, created = user_model.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "first_name": "Admin", "last_name": "SIGAP"},
        )
        if created:
            admin.set_password(password)
            admin.save()
        logins.append(DemoLogin("admin", "(every agency, Django admin)", "superuser"))
        for username, slug, role in wanted:
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": role.replace("_", " ").title(),
                    "last_name": SPEC_BY_SLUG[slug].short_name,
                },
            )
            if created:
                user.set_password(password)
                user.save()
            Membership.objects.get_or_create(user=user, instansi=agencies[slug], role=role)
            logins.append(DemoLogin(username, agencies[slug].name, str(Role(role).label)))
            if role in KEYED_ROLES:
                keyed.append(user)
    # Custodians (and the officers who may be shown an identity) hold key pairs locked by their own
    # passphrase; in the demo it is the demo password. Done once: later runs find the keys.
    from sigap.vault.actions import ensure_personal_key
    from sigap.vault.models import PersonalKey

    for user in keyed:
        if not PersonalKey.objects.filter(user_id=user.pk).exists():
            with transaction.atomic():
                ensure_personal_key(user=user, passphrase=password)
    return logins
