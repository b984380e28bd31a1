"""The messages SIGAP itself writes into a mailbox, by code: each reader sees them in the language of
their page (a reporter in English, the officer in Indonesian), not in the language of whoever caused
them. The sealed body keeps the text as first written, in the report's language, for the record."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation
from django.utils.translation import gettext, ngettext

ACKNOWLEDGED = "acknowledged"
TRANSCRIPT_CONFIRMED = "transcript_confirmed"
EVIDENCE_ADDED = "evidence_added"
IDENTITY_DISCLOSED = "identity_disclosed"
REFERRAL_ACCEPTED = "referral_accepted"


def render(code: str, params: Mapping[str, object] | None = None) -> str | None:
    """The text of a system message in the active language; None for an unknown code."""
    p = dict(params or {})
    if code == ACKNOWLEDGED:
        return gettext(
            "Your report has been received with tracking number %(number)s. We will check it and "
            "tell you here how it goes on. We may ask you questions here: please come back to this "
            "mailbox from time to time."
        ) % {"number": p.get("number", "")}
    if code == TRANSCRIPT_CONFIRMED:
        return gettext("I confirm that the transcript is correct.")
    if code == EVIDENCE_ADDED:
        n = int(p.get("n", 0) or 0)  # type: ignore[call-overload]
        return ngettext("%(n)d file was added to the report.", "%(n)d files were added to the report.", n) % {
            "n": n
        }
    if code == IDENTITY_DISCLOSED:
        return gettext(
            "An officer of the agency was allowed to learn your identity to handle your report. "
            "It stays confidential inside the agency."
        )
    if code == REFERRAL_ACCEPTED:
        return gettext(
            "Your report was handed to %(agency)s, the agency competent to handle it, and that agency "
            "has accepted it. It follows the matter up from now on. This mailbox stays open: questions "
            "and answers still reach us here."
        ) % {"agency": p.get("agency", "")}
    return None


def render_in(language: str, code: str, params: Mapping[str, object] | None = None) -> str:
    """The text in one language (what the sealed body keeps)."""
    with translation.override(language or "id"):
        return render(code, params) or ""
