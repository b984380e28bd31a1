"""Two officers importing the same SP4N-LAPOR! export at the same moment, in real concurrent
transactions (PostgreSQL only; see tests/triage/test_decisions_at_once.py): no row is stored twice,
and the second import says the rows were imported before."""

from __future__ import annotations

import pytest

from sigap.cases.models import Report
from sigap.intake.lapor.actions import ImportResult, import_lapor
from sigap.intake.lapor.parse import read_xlsx
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.intake.lapor_workbook import row, write_export
from tests.triage.test_decisions_at_once import _first_holds_open, _postgres_only  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_export_imported_twice_at_once_is_stored_once(tmp_path, agency_a, actor_of) -> None:  # type: ignore[no-untyped-def]
    export = read_xlsx(
        str(
            write_export(
                tmp_path / "lapor.xlsx", [row("9800001"), row("9800002", **{"Status Laporan": "Selesai"})]
            )
        )
    )
    colleague = actor_of(agency_a, Role.VERIFIKATOR)

    first, second = _first_holds_open(
        lambda: import_lapor(actor=system_actor(agency_a), export=export),
        lambda: import_lapor(actor=colleague, export=export),
    )

    assert isinstance(first, ImportResult) and isinstance(second, ImportResult)
    assert first.imported == ["9800001", "9800002"] and second.imported == []
    assert second.already == ["9800001", "9800002"] and second.problems == []
    assert Report.objects.filter(instansi=agency_a).count() == 2
