from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "sigap.vault"
    label = "vault"
    verbose_name = _("Identity vault")

    def ready(self) -> None:
        from sigap.core.crypto import register_sealed_field
        from sigap.vault.selectors import PURPOSE_REASON, PURPOSE_REFUSAL

        register_sealed_field("vault.IdentityRequest", "reason_sealed", PURPOSE_REASON)
        register_sealed_field("vault.IdentityRequest", "refusal_sealed", PURPOSE_REFUSAL)
