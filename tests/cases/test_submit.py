"""What any channel hands to intake is checked before anything is stored: a bad value is a clear,
translated refusal, never a database error, and stores nothing."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from sigap.cases.actions import submit
from sigap.cases.models import Case, Report
from sigap.core.errors import ValidationFailed
from sigap.reporters.models import Reporter
from sigap.tenants.access import system_actor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("external_ref", "wamid." + "x" * 80),
        ("language", "indonesian"),
        ("region_code", "18.71.01.1003.99"),
        ("amount", 10**17),
        ("amount", -1),
        ("evidence_count", -2),
        ("evidence_count", 2**31),
        ("channel", "pigeon"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_stored(agency_a, submit, field, value) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused, transaction.atomic():
        submit(system_actor(agency_a), **{field: value})
    assert field in refused.value.fields
    assert not Report.objects.exists() and not Case.objects.exists() and not Reporter.objects.exists()


def test_the_refusal_speaks_the_users_language(agency_a, submit) -> None:  # type: ignore[no-untyped-def]
    from sigap.cases.content import ReportContent

    with translation.override("id"), pytest.raises(ValidationFailed) as refused:
        submit(system_actor(agency_a), content=ReportContent(title="", what="  "))
    assert refused.value.message == "Laporan belum lengkap."
    assert refused.value.fields["what"] == "Ceritakan apa yang terjadi."


def test_the_limits_are_the_columns_lengths() -> None:
    for name, limit in submit._LIMITS.items():
        assert Report._meta.get_field(name).max_length == limit, name  # type: ignore[union-attr]


def test_a_delivery_sent_again_is_one_report(agency_a, agency_b, submit) -> None:  # type: ignore[no-untyped-def]
    first = submit(system_actor(agency_a), channel="whatsapp", external_ref="wamid.HBgM1")
    again = submit(system_actor(agency_a), channel="whatsapp", external_ref="wamid.HBgM1")
    assert again.pk == first.pk and Report.objects.count() == 1 and Case.objects.count() == 1
    # the same id from another channel or at another agency is another message
    submit(system_actor(agency_a), channel="sms", external_ref="wamid.HBgM1")
    submit(system_actor(agency_b), channel="whatsapp", external_ref="wamid.HBgM1")
    submit(system_actor(agency_a), channel="whatsapp")  # no id: never matched
    submit(system_actor(agency_a), channel="whatsapp")
    assert Report.objects.count() == 5
