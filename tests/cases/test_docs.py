"""The workflow document stays true to the machine."""

from __future__ import annotations

from pathlib import Path

from sigap.cases.workflow import TRANSITIONS
from sigap.tenants.permissions import ROLE_CAPABILITIES, roles_with

DOC = (Path(__file__).resolve().parents[2] / "docs" / "workflow.md").read_text()


def test_every_step_is_documented_with_its_states_and_roles() -> None:
    rows = {
        line.split("|")[1].strip().strip("`"): line for line in DOC.splitlines() if line.startswith("| `")
    }
    assert set(rows) == set(TRANSITIONS)
    for name, t in TRANSITIONS.items():
        cells = [c.strip() for c in rows[name].split("|")[1:-1]]
        assert set(cells[1].split(", ")) == {s.value for s in t.sources}
        assert cells[2] == t.target.value
        assert cells[3] == f"{t.capability.value} ({', '.join(r.value for r in roles_with(t.capability))})"


def test_role_table_is_documented() -> None:
    for role, caps in ROLE_CAPABILITIES.items():
        assert f"| {role.value} | {', '.join(sorted(c.value for c in caps))} |" in DOC
