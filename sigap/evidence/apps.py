from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "sigap.evidence"
    label = "evidence"
