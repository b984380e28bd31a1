"""Retraining an agency's category model from the labels its officers confirmed."""

from __future__ import annotations

from django.db import transaction

from sigap.audit.chain import append
from sigap.cases.content import open_content
from sigap.cases.models import Case, Report
from sigap.tenants.models import Instansi
from sigap.triage.lib.classify import evaluate, train
from sigap.triage.models import ClassifierModel


def confirmed_examples(instansi: Instansi) -> tuple[list[str], list[str]]:
    """Texts and labels of reports whose case category an officer confirmed."""
    texts: list[str] = []
    labels: list[str] = []
    cases = dict(
        Case.objects.filter(instansi=instansi, category_confirmed=True)
        .exclude(category="")
        .values_list("pk", "category")
    )
    for report in (
        Report.objects.filter(instansi=instansi, case_id__in=list(cases))
        .only("content_sealed", "case_id", "instansi_id")
        .iterator(chunk_size=500)
    ):
        texts.append(open_content(instansi.pk, bytes(report.content_sealed)).full_text)
        labels.append(cases[report.case_id])
    return texts, labels


def train_instansi(*, slug: str, min_labels: int = 30) -> str:
    instansi = Instansi.objects.filter(slug=slug).first()
    if instansi is None:
        raise ValueError(f"No agency with the slug {slug!r}.")
    texts, labels = confirmed_examples(instansi)
    if len(texts) < min_labels or len(set(labels)) < 2:
        raise ValueError(
            f"{instansi.name} has {len(texts)} confirmed label(s) in {len(set(labels))} class(es): "
            f"at least {min_labels} in two classes are needed to train."
        )
    report = evaluate(texts, labels) if len(texts) >= 10 * len(set(labels)) else None
    model = train(texts, labels)
    with transaction.atomic():
        ClassifierModel.objects.filter(instansi=instansi, kind="category").update(active=False)
        row = ClassifierModel.objects.create(
            instansi=instansi,
            kind="category",
            data=model.to_bytes(),
            trained_on=len(texts),
            macro_f1=report.ours.macro_f1 if report else None,
        )
        append(
            instansi_id=instansi.pk,
            actor_user_id=None,
            actor_label="system",
            action="triage.model_trained",
            object_type="triage.classifiermodel",
            object_id=str(row.pk),
            data={"examples": len(texts), "classes": len(set(labels))},
        )
    lines = [
        f"trained the category model of {instansi.name} on {len(texts)} confirmed reports "
        f"({len(set(labels))} classes)"
    ]
    if report is not None:
        lines.append(
            f"held-out macro-F1: ours {report.ours.macro_f1:.3f}, baseline {report.baseline.macro_f1:.3f}"
        )
    return "\n".join(lines)
