from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sigap.audit"
    label = "audit"
