"""Who is acting: the Actor, resolved once per request or task from a user and an agency."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _

from sigap.core.errors import NotFound, PermissionDenied
from sigap.tenants.models import Instansi, Membership
from sigap.tenants.permissions import Cap, capabilities_of


@dataclass(frozen=True)
class Actor:
    """A person acting inside one agency, with the capabilities of their roles there."""

    user: AbstractBaseUser | None
    instansi: Instansi
    roles: frozenset[str]
    capabilities: frozenset[Cap] = field(default=frozenset())
    system: bool = False  # background tasks and intake adapters act as the system

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def label(self) -> str:
        if self.system:
            return "system"
        return self.user.get_username() if self.user is not None else "anonymous"

    def can(self, cap: Cap) -> bool:
        return self.system or cap in self.capabilities

    def require(self, cap: Cap) -> None:
        if not self.can(cap):
            raise PermissionDenied(_("Your role in this agency does not allow this."))


def actor_for(user: AbstractBaseUser | AnonymousUser, instansi: Instansi) -> Actor:
    """The user's actor in `instansi`; NotFound when they hold no role there."""
    if not user.is_authenticated:
        raise NotFound("not found")
    roles = frozenset(
        Membership.objects.filter(user_id=user.pk, instansi_id=instansi.pk, active=True).values_list(
            "role", flat=True
        )
    )
    if not roles:
        raise NotFound("not found")
    return Actor(user=user, instansi=instansi, roles=roles, capabilities=capabilities_of(roles))  # type: ignore[arg-type]


def system_actor(instansi: Instansi) -> Actor:
    return Actor(user=None, instansi=instansi, roles=frozenset(), system=True)


def instansi_of_user(user: AbstractBaseUser) -> list[Instansi]:
    """The agencies where the user holds an active role, by name."""
    return list(
        Instansi.objects.filter(memberships__user_id=user.pk, memberships__active=True, active=True)
        .distinct()
        .order_by("name")
    )


def access_instansi_by_slug(slug: str) -> Instansi:
    try:
        return Instansi.objects.get(slug=slug, active=True)
    except Instansi.DoesNotExist:
        raise NotFound("not found") from None
