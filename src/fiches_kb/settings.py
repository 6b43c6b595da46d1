"""Build settings given as environment variables (`FICHES_APERCU=1`...):
one reading of « on » for all of them. The README lists them
(tests/test_docs.py checks it)."""

from __future__ import annotations

from typing import Mapping

ON_VALUES = ("1", "oui", "true", "yes")


def setting_on(environ: Mapping[str, str], name: str) -> bool:
    """Whether the switch `name` is on: 1, oui, true or yes, in any case."""
    return environ.get(name, "").strip().lower() in ON_VALUES
