from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "sigap.tenants"
    label = "tenants"
