"""Text helpers shared by the checks, the CLI and the templates' data."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any


@functools.lru_cache(maxsize=4096)  # the same section titles and vocabulary, file after file
def fold(text: str) -> str:
    """Lower case without accents, for forgiving comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def closest(value: str, choices: dict[str, str] | list[str]) -> str | None:
    """The choice closest to value, ignoring case and accents.

    `choices` maps candidate spellings (keys, labels) to the value to suggest.
    """
    if isinstance(choices, list):
        choices = {c: c for c in choices}
    folded = {fold(k): v for k, v in choices.items()}
    target = fold(value)
    if target in folded:
        return folded[target]
    target_slug = slugify(value)
    if target_slug and target_slug in folded:
        return folded[target_slug]
    match = difflib.get_close_matches(target, list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def quote(value: Any, limit: int = 60) -> str:
    """« value » on one line, cut at limit characters, for messages."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        return "(vide)"
    else:
        text = str(value)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"« {text} »"


def field_name(key_path: Sequence[str | int]) -> str:
    """« sources[2].titre »: a front-matter key path as messages name it (items counted from 1)."""
    return ".".join(f"{part}" if isinstance(part, str) else f"[{part + 1}]" for part in key_path).replace(".[", "[")


def front_matter_strings(value: Any, path: tuple = (), numbers: bool = False) -> Iterator[tuple[tuple, str]]:
    """Every text of a front matter (or of a part of it) with its key path, in
    order: (("sources", 0, "titre"), "…"). With `numbers`, numbers too, as str() writes them."""
    if isinstance(value, str):
        yield path, value
    elif numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, str(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from front_matter_strings(item, (*path, str(key)), numbers)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from front_matter_strings(item, (*path, index), numbers)


def normalise_phone(text: str) -> str | None:
    """A French number in national form ("0123456789"), or None."""
    stripped = text.strip()
    international = stripped.startswith("+33") or stripped.startswith("0033")
    if international:
        stripped = stripped[3:] if stripped.startswith("+33") else stripped[4:]
        stripped = stripped.replace("(0)", "", 1)
    digits = re.sub(r"[ .\-\u00a0\u202f()]", "", stripped)
    if not digits.isascii() or not digits.isdigit():
        return None
    if international:
        digits = "0" + digits if len(digits) == 9 else ""
    return digits if len(digits) == 10 and digits[0] == "0" and digits[1] != "0" else None
