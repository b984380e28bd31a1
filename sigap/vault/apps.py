from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "sigap.vault"
    label = "vault"
