"""The portal's forms: the guided 5W2H report and the mailbox forms. Plain HTML, no JavaScript needed."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from sigap.cases.content import ReportContent, ReportedPerson
from sigap.reporters.models import Anonymity
from sigap.tenants.models import Instansi
from sigap.triage.lib.normalize import answer_amount

WHO_ROWS = 3
TOKEN_SALT = "sigap.portal.form"
TOKEN_MAX_AGE = 14 * 24 * 3600  # a form may stay open on a phone for days

ANONYMITY_HELP: dict[str, Any] = {
    Anonymity.ANONYMOUS: _(
        "Nobody, not even the agency, learns who you are; you follow your report only with your receipt."
    ),
    Anonymity.CONFIDENTIAL: _(
        "You give your name, but it stays sealed: officers see it only if an identity "
        "custodian approves a reasoned request."
    ),
    Anonymity.IDENTIFIED: _(
        "You give your name and the officers handling your report may see it, so they can "
        "contact you directly."
    ),
}


def new_form_token() -> str:
    return signing.dumps(secrets.token_urlsafe(18), salt=TOKEN_SALT)


def check_form_token(value: str) -> str | None:
    """The token's random part, or None when it was not issued by us (or is very old)."""
    try:
        return str(signing.loads(value or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE))
    except signing.BadSignature:
        return None


class AccessibleForm(forms.Form):
    """Ties help texts and errors to their inputs with aria-describedby; marks wrong inputs."""

    def annotate(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_help")
            if self.is_bound and self.errors.get(name):
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)


def _text(
    label: Any,
    *,
    required: bool = False,
    max_length: int = 300,
    help_text: Any = "",
    autocomplete: str = "off",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


def _area(label: Any, *, required: bool = False, rows: int = 4, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=20_000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _passphrase(label: Any, *, autocomplete: str, help_text: Any = "") -> forms.CharField:
    """A passphrase input: optional, never stripped (spaces are the reporter's), never sent back."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        help_text=help_text,
    )


# A word: three letters in a row, in any script (an emoji, a dot or a zero-width space is none).
_WORD_RE = re.compile(r"[^\W\d_]{3}")


class ReportForm(AccessibleForm):
    form_token = forms.CharField(widget=forms.HiddenInput)
    title = _text(
        _("In one line: what is your report about?"),
        max_length=200,
        help_text=_("For example: “Illegal levy for ID cards at Sukamaju village office”."),
    )
    what = _area(
        _("What happened?"),
        required=True,
        rows=7,
        help_text=_("Describe what you saw or know, in your own words: the more facts, the better."),
    )
    where = _text(_("Where did it happen?"), help_text=_("Office, address, project site, village."))
    region = forms.ChoiceField(label=_("Regency / city"), required=False)
    when = _text(
        _("When did it happen?"),
        max_length=200,
        help_text=_("A date or a period, for example “every Monday since March 2026”."),
    )
    occurred_from = forms.DateField(
        label=_("From (date, if you know it)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    occurred_to = forms.DateField(
        label=_("Until (date, if you know it)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    how = _area(
        _("How was it done, and why do you think it is wrong?"),
        help_text=_("The modus: for example cash asked at the counter, a marked-up price, a fake invoice."),
    )
    how_much = _text(
        _("How much money is involved?"),
        max_length=100,
        help_text=_("In rupiah, as you know it: “Rp 150.000”, “about 2 billion”."),
    )
    evidence_note = _area(
        _("Evidence you have but cannot upload"),
        rows=3,
        help_text=_("For example: receipts at home, a witness, a recording on another phone."),
    )
    keep_metadata = forms.BooleanField(
        label=_(
            "Keep my files exactly as they are (their hidden data, such as place and time of a photo, "
            "is evidence)"
        ),
        required=False,
        help_text=_(
            "Leave this off unless you are sure: hidden data in photos and documents can reveal who you are."
        ),
    )
    anonymity = forms.ChoiceField(
        label=_("Who may know who you are?"),
        choices=Anonymity.choices,
        initial=Anonymity.ANONYMOUS,
        widget=forms.RadioSelect,
    )
    name = _text(_("Your name"), max_length=200, autocomplete="name")
    phone = _text(_("Your phone number"), max_length=40, autocomplete="tel")
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        max_length=200,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    passphrase = _passphrase(
        _("Passphrase (optional)"),
        autocomplete="new-password",
        help_text=_(
            "If you set one, your mailbox opens only with the receipt and this passphrase. "
            "Nobody can recover it for you."
        ),
    )
    passphrase_again = _passphrase(_("Passphrase again"), autocomplete="new-password")

    def __init__(self, *args: Any, regions: list[tuple[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(WHO_ROWS):
            self.fields[f"who_{i}_name"] = _text(_("Name"), max_length=200)
            self.fields[f"who_{i}_position"] = _text(_("Position"), max_length=200)
            self.fields[f"who_{i}_institution"] = _text(_("Institution"), max_length=200)
        region: forms.ChoiceField = self.fields["region"]  # type: ignore[assignment]
        region.choices = [("", _("— choose, if you know it —")), *(regions or [])]

    def who_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (i + 1, [self[f"who_{i}_{part}"] for part in ("name", "position", "institution")])
            for i in range(WHO_ROWS)
        ]

    def clean_what(self) -> str:
        """Some words, not only dots, emoji or invisible characters: "pungli KTP" is enough."""
        what = self.cleaned_data.get("what") or ""
        if not _WORD_RE.search(what):
            raise forms.ValidationError(_("Tell in words what happened: a few words are enough."))
        return what

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("anonymity") in (Anonymity.CONFIDENTIAL, Anonymity.IDENTIFIED) and not data.get("name"):
            self.add_error("name", _("Give your name, or choose “anonymous”."))
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", _("The end date is before the start date."))
        passphrase = data.get("passphrase") or ""
        if passphrase:
            if len(passphrase.strip()) < 8:
                self.add_error("passphrase", _("Use at least 8 characters, or leave it empty."))
            elif passphrase != data.get("passphrase_again"):
                self.add_error("passphrase_again", _("The two passphrases differ."))
        return data

    # -- what the form becomes -----------------------------------------------------------------------

    def content(self) -> ReportContent:
        d = self.cleaned_data
        who = [
            ReportedPerson(
                name=d.get(f"who_{i}_name", ""),
                position=d.get(f"who_{i}_position", ""),
                institution=d.get(f"who_{i}_institution", ""),
            )
            for i in range(WHO_ROWS)
        ]
        return ReportContent(
            title=d.get("title", ""),
            what=d["what"],
            who=[p for p in who if p.name or p.position or p.institution],
            where=d.get("where", ""),
            when=d.get("when", ""),
            how=d.get("how", ""),
            how_much=d.get("how_much", ""),
            evidence=[d["evidence_note"]] if d.get("evidence_note") else [],
        )

    def amount(self) -> int | None:
        return answer_amount(self.cleaned_data.get("how_much") or "")

    def identity(self) -> dict[str, str] | None:
        """The identity to seal; None in anonymous mode, whatever was typed."""
        d = self.cleaned_data
        if d.get("anonymity") == Anonymity.ANONYMOUS:
            return None
        identity = {k: d.get(k, "") for k in ("name", "phone", "email")}
        return {k: v for k, v in identity.items() if v}


def region_choices(instansi: Instansi) -> list[tuple[str, Any]]:
    """The regencies and cities of the agency's province; all of them, by province, for the hub
    and for agencies without a region."""
    from sigap.regions.models import CURRENT_REGULATION, Region, RegionLevel

    province = (instansi.region_code or "").split(".")[0]
    regions = Region.objects.filter(regulation=CURRENT_REGULATION, level=RegionLevel.KABUPATEN_KOTA)
    if province:
        return [(r.code, r.name) for r in regions.filter(parent_code=province).order_by("name")]
    names = dict(
        Region.objects.filter(regulation=CURRENT_REGULATION, level=RegionLevel.PROVINSI).values_list(
            "code", "name"
        )
    )
    grouped: dict[str, list[tuple[str, str]]] = {}
    for r in regions.order_by("parent_code", "name"):
        grouped.setdefault(r.parent_code, []).append((r.code, r.name))
    return [(names.get(code, code), rows) for code, rows in grouped.items()]


class LoginForm(AccessibleForm):
    receipt = forms.CharField(
        label=_("Receipt (16 digits)"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Spaces do not matter."),
    )
    passphrase = _passphrase(_("Passphrase, if you set one"), autocomplete="current-password")
    pow_challenge = forms.CharField(widget=forms.HiddenInput)
    pow_nonce = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)


class WriteForm(AccessibleForm):
    body = forms.CharField(
        label=_("Your message"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TranscriptForm(AccessibleForm):
    transcript = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("confirm", "confirm"), ("correct", "correct")], widget=forms.HiddenInput
    )
    correction = forms.CharField(
        label=_("What should be corrected?"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PassphraseForm(AccessibleForm):
    receipt = forms.CharField(
        label=_("Your receipt (16 digits)"),
        max_length=40,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    current = _passphrase(_("The passphrase you use now, if any"), autocomplete="current-password")
    new = _passphrase(
        _("New passphrase"),
        autocomplete="new-password",
        help_text=_("At least 8 characters. Leave both empty to open the mailbox with the receipt alone."),
    )
    new_again = _passphrase(_("New passphrase again"), autocomplete="new-password")


class EvidenceForm(AccessibleForm):
    note = forms.CharField(
        label=_("What do these files show? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    keep_metadata = forms.BooleanField(
        label=_("Keep my files exactly as they are (hidden data is evidence)"), required=False
    )


class RetaliationForm(AccessibleForm):
    body = forms.CharField(
        label=_("What happened to you since you reported?"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For example: a transfer, a demotion, threats, being excluded, a lawsuit."),
    )
