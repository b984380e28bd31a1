"""Roles and what each may do: the one role -> capability table.

Every check in SIGAP asks for a capability (`actor.can(Cap.CASE_VERIFY)`), never for a role name,
so that this table is the only place where a role's powers are decided.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Agency administrator")
    VERIFIKATOR = "verifikator", _("Verification officer")
    PENELAAH = "penelaah", _("Analysis officer (penelaah)")
    SUPERVISOR = "supervisor", _("Supervisor")
    CUSTODIAN = "custodian", _("Identity custodian")
    ANALYST = "analyst", _("Statistics analyst")
    HUB_MONITOR = "hub_monitor", _("Hub monitor")


class Cap(StrEnum):
    CASE_LIST = "case.list"  # see the queue: numbers, states, deadlines
    CASE_READ = "case.read"  # read report contents
    CASE_ASSIGN = "case.assign"
    CASE_VERIFY = "case.verify"  # verification steps
    CASE_ANALYSE = "case.analyse"  # telaah steps
    CASE_DECIDE = "case.decide"  # approve a recommendation, refer, archive, reopen, close
    CASE_FOLLOW_UP = "case.follow_up"
    IDENTITY_REQUEST = "identity.request"
    IDENTITY_APPROVE = "identity.approve"
    STATS_VIEW = "stats.view"
    INSTANSI_MANAGE = "instansi.manage"
    MEMBERS_MANAGE = "members.manage"
    AUDIT_VIEW = "audit.view"
    HUB_MONITOR = "hub.monitor"  # deadlines and states of connected agencies, never contents


ROLE_CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.ADMIN: frozenset(
        {Cap.CASE_LIST, Cap.INSTANSI_MANAGE, Cap.MEMBERS_MANAGE, Cap.AUDIT_VIEW, Cap.STATS_VIEW}
    ),
    Role.VERIFIKATOR: frozenset({Cap.CASE_LIST, Cap.CASE_READ, Cap.CASE_VERIFY, Cap.IDENTITY_REQUEST}),
    Role.PENELAAH: frozenset(
        {Cap.CASE_LIST, Cap.CASE_READ, Cap.CASE_ANALYSE, Cap.CASE_FOLLOW_UP, Cap.IDENTITY_REQUEST}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Cap.CASE_LIST,
            Cap.CASE_READ,
            Cap.CASE_ASSIGN,
            Cap.CASE_VERIFY,
            Cap.CASE_ANALYSE,
            Cap.CASE_DECIDE,
            Cap.CASE_FOLLOW_UP,
            Cap.IDENTITY_REQUEST,
            Cap.STATS_VIEW,
            Cap.AUDIT_VIEW,
        }
    ),
    Role.CUSTODIAN: frozenset({Cap.CASE_LIST, Cap.IDENTITY_APPROVE}),
    Role.ANALYST: frozenset({Cap.STATS_VIEW}),
    Role.HUB_MONITOR: frozenset({Cap.CASE_LIST, Cap.STATS_VIEW, Cap.HUB_MONITOR}),
}


def capabilities_of(roles: set[str] | frozenset[str]) -> frozenset[Cap]:
    caps: set[Cap] = set()
    for role in roles:
        caps |= ROLE_CAPABILITIES.get(Role(role), frozenset())
    return frozenset(caps)


def roles_with(cap: Cap) -> list[Role]:
    return [role for role, caps in ROLE_CAPABILITIES.items() if cap in caps]
