"""The form an officer fills in for a report received by phone, at the desk, by letter, e-mail or
a chat or text message: the portal's 5W2H form, with the channel and the time it arrived, and
worded for the officer ("the reporter's name")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.cases.models import Channel
from sigap.core import clock
from sigap.intake.portal.forms import ReportForm

# Channels an officer types a report in from. The portal, partner systems, SP4N-LAPOR! and referrals
# arrive by themselves.
TAKEN_CHANNELS = (
    Channel.PHONE,
    Channel.WALK_IN,
    Channel.LETTER,
    Channel.EMAIL,
    Channel.WHATSAPP,
    Channel.SMS,
)
# Told by voice: the typed text is the officer's transcript, which the reporter should confirm.
ORAL_CHANNELS = frozenset({Channel.PHONE, Channel.WALK_IN})
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CLOCK_SLACK = dt.timedelta(minutes=5)  # an officer's watch runs a little ahead


class TakenReportForm(ReportForm):
    channel = forms.ChoiceField(
        label=_("How did the report arrive?"),
        choices=[(c.value, c.label) for c in TAKEN_CHANNELS],
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        help_text=_("Date and time in your agency's time zone; deadlines run from here."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    send_transcript = forms.BooleanField(
        label=_("Send what I typed to the reporter's mailbox to confirm (phone call or visit)"),
        required=False,
        initial=True,
        help_text=_("The reporter reads your transcript with the receipt and confirms or corrects it."),
    )

    def __init__(self, *args: Any, zone_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = clock.zone(zone_name)
        for name in ("passphrase", "passphrase_again"):  # the reporter's secret, never typed by an officer
            del self.fields[name]
        relabel = {
            "title": _("In one line: what is the report about?"),
            "what": _("What happened, as the reporter tells it"),
            "where": _("Where did it happen?"),
            "how": _("How was it done, and why does the reporter think it is wrong?"),
            "evidence_note": _("Evidence the reporter has that is not attached"),
            "anonymity": _("Who may know who the reporter is?"),
            "name": _("Reporter's name"),
            "phone": _("Reporter's phone number"),
            "email": _("Reporter's e-mail address"),
            "keep_metadata": _("Keep the files exactly as they are (their hidden data is evidence)"),
        }
        for name, label in relabel.items():
            self.fields[name].label = label
        self.fields["what"].help_text = _("Write down what the reporter says or writes, in their words.")
        self.fields["keep_metadata"].help_text = _(
            "Leave this off unless the reporter asks: hidden data in photos and documents can reveal who "
            "they are."
        )
        for name in ("name", "phone", "email"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        if not self.is_bound:
            now = timezone.localtime(clock.now(), self.zone).replace(second=0, microsecond=0, tzinfo=None)
            self.initial.setdefault("received_at", now)
            self.initial.setdefault("channel", Channel.PHONE)

    def clean_received_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["received_at"]
        # Typed in the agency's zone: Django read it in the current zone, so set the zone it was meant in.
        local = timezone.make_naive(value) if timezone.is_aware(value) else value
        received = local.replace(tzinfo=self.zone)
        if received > clock.now() + CLOCK_SLACK:
            raise forms.ValidationError(_("This time has not come yet."))
        if received < EARLIEST:
            raise forms.ValidationError(_("Give a date from the year 2000 on."))
        return received

    def transcript_wanted(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("send_transcript")) and data["channel"] in ORAL_CHANNELS
