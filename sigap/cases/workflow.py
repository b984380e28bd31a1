"""THE case workflow: states, transitions, who may fire each, guards, required fields, deadlines.

After KPK's complaint handling (docs/workflow.md):

    received -> verification -> { needs_completion <-> verification | merged (duplicate)
                                 | referred (not our authority) | analysis (telaah) | archived }
    analysis -> { clarification -> analysis | recommendation }
    recommendation -> { referred (internal or external) | information_gathering
                        | system_improvement | archived | back to analysis }
    referred / information_gathering / system_improvement -> follow_up -> done -> closed
    referred -> referred (to another agency, once the last one declined the referral)
    referred -> analysis (taken back, once the referral was declined or withdrawn)
    archived -> verification (reopened on new evidence)

A referral to another agency hands the case over (sigap.coordination): the receiving agency
accepts it into its own queue or declines it with a reason.

No other module assigns `Case.status`: actions call `apply()` after `check()`. Agencies may give
states their own labels (Instansi.state_labels); they cannot add or remove transitions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sigap.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from sigap.tenants.permissions import Cap

if TYPE_CHECKING:
    from sigap.cases.models import Case
    from sigap.tenants.access import Actor


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFICATION = "verification", _("Verification")
    NEEDS_COMPLETION = "needs_completion", _("Waiting for the reporter to complete")
    MERGED = "merged", _("Merged (duplicate)")
    ANALYSIS = "analysis", _("Analysis (telaah)")
    CLARIFICATION = "clarification", _("Clarification")
    RECOMMENDATION = "recommendation", _("Recommendation")
    REFERRED = "referred", _("Referred (pelimpahan)")
    INFORMATION_GATHERING = "information_gathering", _("Collecting information (pulbaket)")
    SYSTEM_IMPROVEMENT = "system_improvement", _("System improvement (prevention)")
    FOLLOW_UP = "follow_up", _("Follow-up")
    DONE = "done", _("Done (feedback given)")
    ARCHIVED = "archived", _("Archived")
    CLOSED = "closed", _("Closed")


OPEN_STATES = frozenset(State) - {State.MERGED, State.CLOSED, State.ARCHIVED}
FINAL_STATES = frozenset({State.MERGED, State.CLOSED})


class Recommendation(models.TextChoices):
    REFER_INTERNAL = "refer_internal", _("Refer internally")
    REFER_EXTERNAL = "refer_external", _("Refer to another agency")
    GATHER_INFORMATION = "gather_information", _("Collect information")
    SYSTEM_IMPROVEMENT = "system_improvement", _("System improvement")
    ARCHIVE = "archive", _("Archive")


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY_SUBSTANTIATED = "partly_substantiated", _("Partly substantiated")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    REFERRED_ENFORCEMENT = "referred_enforcement", _("Referred to law enforcement")
    SYSTEM_IMPROVED = "system_improved", _("System improved")


class FieldKind:
    TEXT = "text"  # free text, sealed in a case note
    CASE = "case"  # another case of the same agency
    INSTANSI = "instansi"  # another agency
    UNIT = "unit"  # a unit of this agency
    CHOICE = "choice"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    label: Any
    choices: tuple[tuple[str, Any], ...] = ()


REASON = Field("reason", FieldKind.TEXT, _("Reason"))
NOTE = Field("note", FieldKind.TEXT, _("Note"))
QUESTIONS = Field("questions", FieldKind.TEXT, _("Questions to the reporter"))
FEEDBACK = Field("feedback", FieldKind.TEXT, _("Feedback to the reporter"))
TARGET_CASE = Field("target_case", FieldKind.CASE, _("The case this report duplicates"))
TARGET_INSTANSI = Field("target_instansi", FieldKind.INSTANSI, _("Receiving agency"))
UNIT = Field("unit", FieldKind.UNIT, _("Receiving unit"))
RECOMMENDATION = Field("recommendation", FieldKind.CHOICE, _("Recommendation"), tuple(Recommendation.choices))
OUTCOME = Field("outcome", FieldKind.CHOICE, _("Outcome"), tuple(Outcome.choices))
FIELDS: dict[str, Field] = {
    f.name: f
    for f in (REASON, NOTE, QUESTIONS, FEEDBACK, TARGET_CASE, TARGET_INSTANSI, UNIT, RECOMMENDATION, OUTCOME)
}


def field_label(name: str) -> str:
    """A step field's label in the page's language (a case note is stored under the field's name)."""
    found = FIELDS.get(name)
    return str(found.label) if found is not None else name


Guard = Callable[["Case", Mapping[str, Any], "Actor"], str | None]


def _not_same_case(case: Case, payload: Mapping[str, Any], actor: Actor) -> str | None:
    target = payload.get("target_case")
    if target is None:
        return None
    if target.pk == case.pk:
        return str(_("A case cannot be merged into itself."))
    if target.status == State.MERGED:
        return str(_("The target case was itself merged; merge into the case it was merged into."))
    return None


def _other_agency(case: Case, payload: Mapping[str, Any], actor: Actor) -> str | None:
    target = payload.get("target_instansi")
    if target is not None and target.pk == case.instansi_id:
        return str(_("Choose another agency: this case already belongs to this one."))
    return None


def _referral_of(case: Case, *, answered_too: bool) -> Any:
    """The case's referral to another agency that still waits for an answer (or, `answered_too`,
    that was accepted); None when there is none."""
    from sigap.coordination.models import Referral, ReferralStatus  # noqa: PLC0415

    live = [ReferralStatus.SENT, *([ReferralStatus.ACCEPTED] if answered_too else [])]
    return (
        Referral.objects.filter(from_instansi_id=case.instansi_id, from_case_id=case.pk, status__in=live)
        .select_related("instansi")
        .first()
    )


def _waiting(referral: Any) -> str:
    return str(
        _("This case waits for the answer of %(agency)s to its referral.")
        % {"agency": referral.instansi.name}
    )


def _no_live_referral(case: Case, payload: Mapping[str, Any], actor: Actor) -> str | None:
    """A case goes to one agency at a time: referred again only once the last referral was declined
    or withdrawn."""
    live = _referral_of(case, answered_too=True)
    if live is None:
        return None
    if live.status == "accepted":
        return str(
            _("%(agency)s has accepted this case; it cannot be referred again.")
            % {"agency": live.instansi.name}
        )
    return _waiting(live)


def _no_waiting_referral(case: Case, payload: Mapping[str, Any], actor: Actor) -> str | None:
    """A case whose referral waits for an answer is followed up only once it is answered."""
    waiting = _referral_of(case, answered_too=False)
    return _waiting(waiting) if waiting is not None else None


def _referral_came_back(case: Case, payload: Mapping[str, Any], actor: Actor) -> str | None:
    """Taken back only when its referral to another agency came back (declined, or withdrawn) and
    none is live: a case referred to a unit of the agency, or still with another agency, is not."""
    from sigap.coordination.models import CAME_BACK, last_referral_status  # noqa: PLC0415

    last = last_referral_status(case)
    if last is None:
        return str(_("Only a case whose referral came back is taken back."))
    return None if last in CAME_BACK else str(_("This case is with another agency."))


def _imported_from_lapor(case: Case, payload: Mapping[str, Any], actor: Actor) -> str | None:
    """Only a case made of reports imported from SP4N-LAPOR! is archived as its history there."""
    from sigap.cases.models import Channel, Report  # noqa: PLC0415

    reports = Report.objects.filter(instansi_id=case.instansi_id, case_id=case.pk)
    if reports.exists() and not reports.exclude(channel=Channel.LAPOR).exists():
        return None
    return str(_("Only a case imported from SP4N-LAPOR! is archived as finished there."))


def _target_not_referred(case: Case, payload: Mapping[str, Any], actor: Actor) -> str | None:
    """A report is not merged into a case handed to another agency: it would never reach that agency.
    Refer it there too; that agency's triage finds it is the same matter."""
    target = payload.get("target_case")
    if target is None:
        return None
    live = _referral_of(target, answered_too=True)
    if live is None:
        return None
    return str(
        _("Case %(number)s was referred to %(agency)s: refer this report there too instead of merging it.")
        % {"number": target.number, "agency": live.instansi.name}
    )


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    sources: frozenset[State]
    target: State
    capability: Cap
    fields: tuple[Field, ...] = ()
    guards: tuple[Guard, ...] = ()
    starts: tuple[str, ...] = ()  # DeadlineKind values started
    meets: tuple[str, ...] = ()  # DeadlineKind values met
    optional: tuple[Field, ...] = field(default=())


def _t(name: str, label: Any, sources: set[State], target: State, cap: Cap, **kw: Any) -> Transition:
    return Transition(name=name, label=label, sources=frozenset(sources), target=target, capability=cap, **kw)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t(
            "start_verification",
            _("Start verification"),
            {State.RECEIVED},
            State.VERIFICATION,
            Cap.CASE_VERIFY,
            starts=("verify",),
        ),
        _t(
            "archive_at_intake",
            _("Archive: not a complaint we handle"),
            {State.RECEIVED},
            State.ARCHIVED,
            Cap.CASE_VERIFY,
            fields=(REASON,),
        ),
        _t(
            "archive_lapor_history",
            _("Archive: finished in SP4N-LAPOR!"),
            {State.RECEIVED},
            State.ARCHIVED,
            Cap.CASE_VERIFY,
            fields=(REASON,),
            guards=(_imported_from_lapor,),
            meets=("feedback",),  # the answer was given there
        ),
        _t(
            "request_completion",
            _("Ask the reporter to complete"),
            {State.VERIFICATION},
            State.NEEDS_COMPLETION,
            Cap.CASE_VERIFY,
            fields=(QUESTIONS,),
        ),
        _t(
            "receive_completion",
            _("Completion received"),
            {State.NEEDS_COMPLETION},
            State.VERIFICATION,
            Cap.CASE_VERIFY,
            fields=(NOTE,),
        ),
        _t(
            "archive_incomplete",
            _("Archive: cannot yet be followed up"),
            {State.NEEDS_COMPLETION, State.VERIFICATION},
            State.ARCHIVED,
            Cap.CASE_VERIFY,
            fields=(REASON,),
            meets=("verify",),
        ),
        _t(
            "merge_duplicate",
            _("Merge into an existing case (duplicate)"),
            {State.VERIFICATION},
            State.MERGED,
            Cap.CASE_VERIFY,
            fields=(TARGET_CASE,),
            guards=(_not_same_case, _target_not_referred),
            meets=("verify", "feedback"),
        ),
        _t(
            "refer_not_authority",
            _("Not our authority: refer"),
            {State.VERIFICATION},
            State.REFERRED,
            Cap.CASE_VERIFY,
            fields=(TARGET_INSTANSI, REASON),
            guards=(_other_agency, _no_live_referral),
            meets=("verify",),
        ),
        _t(
            "to_analysis",
            _("Send to analysis (telaah)"),
            {State.VERIFICATION},
            State.ANALYSIS,
            Cap.CASE_VERIFY,
            meets=("verify",),
            optional=(NOTE,),
        ),
        _t(
            "request_clarification",
            _("Request clarification"),
            {State.ANALYSIS},
            State.CLARIFICATION,
            Cap.CASE_ANALYSE,
            fields=(NOTE,),
        ),
        _t(
            "clarification_done",
            _("Clarification done"),
            {State.CLARIFICATION},
            State.ANALYSIS,
            Cap.CASE_ANALYSE,
            fields=(NOTE,),
        ),
        _t(
            "recommend",
            _("Submit recommendation"),
            {State.ANALYSIS},
            State.RECOMMENDATION,
            Cap.CASE_ANALYSE,
            fields=(RECOMMENDATION, NOTE),
        ),
        _t(
            "return_to_analysis",
            _("Return to analysis"),
            {State.RECOMMENDATION},
            State.ANALYSIS,
            Cap.CASE_DECIDE,
            fields=(NOTE,),
        ),
        _t(
            "refer_internal",
            _("Refer internally"),
            {State.RECOMMENDATION},
            State.REFERRED,
            Cap.CASE_DECIDE,
            fields=(UNIT,),
            optional=(NOTE,),
        ),
        _t(
            "refer_external",
            _("Refer to another agency"),
            # from "referred" too: a case the other agency declined (or a unit found not ours) goes on
            {State.RECOMMENDATION, State.INFORMATION_GATHERING, State.REFERRED},
            State.REFERRED,
            Cap.CASE_DECIDE,
            fields=(TARGET_INSTANSI, REASON),
            guards=(_other_agency, _no_live_referral),
        ),
        _t(
            "take_back",
            _("Handle it here: send to analysis (telaah)"),
            {State.REFERRED},
            State.ANALYSIS,
            Cap.CASE_VERIFY,
            guards=(_referral_came_back,),
            optional=(NOTE,),
        ),
        _t(
            "gather_information",
            _("Collect information (pulbaket)"),
            {State.RECOMMENDATION},
            State.INFORMATION_GATHERING,
            Cap.CASE_DECIDE,
            optional=(NOTE,),
        ),
        _t(
            "recommend_system_improvement",
            _("System improvement (prevention)"),
            {State.RECOMMENDATION},
            State.SYSTEM_IMPROVEMENT,
            Cap.CASE_DECIDE,
            fields=(NOTE,),
        ),
        _t(
            "archive",
            _("Archive"),
            {State.RECOMMENDATION, State.INFORMATION_GATHERING},
            State.ARCHIVED,
            Cap.CASE_DECIDE,
            fields=(REASON,),
        ),
        _t(
            "record_follow_up",
            _("Record follow-up"),
            {State.REFERRED, State.INFORMATION_GATHERING, State.SYSTEM_IMPROVEMENT},
            State.FOLLOW_UP,
            Cap.CASE_FOLLOW_UP,
            fields=(NOTE,),
            guards=(_no_waiting_referral,),
        ),
        _t(
            "complete",
            _("Complete and give feedback"),
            {State.FOLLOW_UP},
            State.DONE,
            Cap.CASE_DECIDE,
            fields=(OUTCOME, FEEDBACK),
            meets=("feedback",),
        ),
        _t("close", _("Close"), {State.DONE}, State.CLOSED, Cap.CASE_DECIDE),
        _t(
            "reopen",
            _("Reopen on new evidence"),
            {State.ARCHIVED},
            State.VERIFICATION,
            Cap.CASE_DECIDE,
            fields=(REASON,),
            starts=("verify",),
        ),
    ]
}


def state_label(state: str, labels: Mapping[str, object] | None = None) -> str:
    """The agency's own label for a state, or the standard one. An own label is one text (shown in
    every language) or one per language, ``{"id": "Penelaahan Inspektorat", "en": "Inspectorate
    analysis"}``: the page's language, else Indonesian, else the standard label."""
    own = (labels or {}).get(state)
    if isinstance(own, Mapping):
        language = (get_language() or "id").split("-")[0]
        own = own.get(language) or own.get("id")
    if isinstance(own, str) and own:
        return own
    return str(State(state).label)


def available(case: Case, actor: Actor) -> list[Transition]:
    """The transitions the actor may fire on the case now: those whose guards already refuse, before
    any field is filled in (a case waiting for another agency's answer to its referral), are left out."""
    return [
        t
        for t in TRANSITIONS.values()
        if case.status in t.sources
        and actor.can(t.capability)
        and not any(guard(case, {}, actor) for guard in t.guards)
    ]


def check(case: Case, actor: Actor, name: str, payload: Mapping[str, Any]) -> Transition:
    """Validates a transition; raises InvalidTransition, PermissionDenied or ValidationFailed."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise InvalidTransition(str(_("Unknown step.")))
    if case.status not in transition.sources:
        raise InvalidTransition(
            str(
                _("This step is not possible while the case is in the state “%(state)s”.")
                % {"state": state_label(case.status)}
            )
        )
    if not actor.can(transition.capability):
        raise PermissionDenied(str(_("Your role in this agency does not allow this step.")))
    missing = {
        f.name: str(_("This field is required."))
        for f in transition.fields
        if payload.get(f.name) in (None, "")
    }
    if missing:
        raise ValidationFailed(str(_("Fill in the required fields.")), missing)
    for f in transition.fields + transition.optional:
        value = payload.get(f.name)
        if f.kind == FieldKind.CHOICE and value not in (None, "") and value not in dict(f.choices):
            raise ValidationFailed(
                str(_("Choose one of the offered values.")), {f.name: str(_("Invalid choice."))}
            )
    for guard in transition.guards:
        problem = guard(case, payload, actor)
        if problem:
            raise InvalidTransition(problem)
    return transition


def apply(case: Case, transition: Transition) -> None:
    """Sets the new state. Only actions call this, after `check`."""
    case.status = transition.target
