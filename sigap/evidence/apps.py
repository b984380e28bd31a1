from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "sigap.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from sigap.core.crypto import register_sealed_field
        from sigap.evidence.storage import PURPOSE_NAME, purpose_file_key

        register_sealed_field("evidence.Evidence", "name_sealed", PURPOSE_NAME)
        register_sealed_field(
            "evidence.Evidence", "file_key_sealed", lambda row: purpose_file_key(row.storage_key)
        )
