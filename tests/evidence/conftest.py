import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():  # type: ignore[no-untyped-def]
    """The refusal sentences are asserted in the source language; the UI default is Indonesian."""
    with translation.override("en"):
        yield
