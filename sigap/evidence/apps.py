from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "sigap.evidence"
    label = "evidence"

    def ready(self) -> None:
        from sigap.core.crypto import register_sealed_field
        from sigap.evidence.storage import PURPOSE_NAME, purpose_file_key

        register_sealed_field("evidence.Evidence", "name_sealed", PURPOSE_NAME)
        register_sealed_field(
            "evidence.Evidence", "file_key_sealed", lambda row: purpose_file_key(row.storage_key)
        )
