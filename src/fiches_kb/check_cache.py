"""Per-file results of `fiches check` and of the build's loading, kept between runs.

Rendering every body makes checking dearer; a file whose bytes have not
changed, checked with the same referentiel.yml, Markdown settings, code
and day, gets its previous result back. The results live in one file per
repository in the user's cache folder (FICHES_CACHE overrides it), written
whole and renamed into place, so an interrupted run never leaves half a
cache. A cache that cannot be read or written is ignored: checking works
without it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import tempfile
from datetime import date
from pathlib import Path
from typing import Mapping

import platformdirs

CACHE_ENV = "FICHES_CACHE"
FORMAT = 1


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """FICHES_CACHE, else the user's cache folder (~/.cache/fiches-kb on Linux)."""
    return Path(environ.get(CACHE_ENV) or platformdirs.user_cache_dir("fiches-kb"))


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    """Changes with any source file of this package: new rules, new messages.
    Once per process: a build makes two caches, and the code it runs does not change under it."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class CheckCache:
    def __init__(self, root: Path, context: tuple, folder: Path | None = None, kind: str = "") -> None:
        """`context`: everything besides a file's bytes that its result depends on.
        `kind` names the cache file, so that `fiches check` and the build, whose
        results differ, keep one each rather than invalidating each other's."""
        root = root.resolve()
        name = hashlib.sha256(str(root).encode()).hexdigest()[:20] + (f"-{kind}" if kind else "")
        self.path = (folder or cache_dir()) / "verification" / (name + ".pickle")
        self.context = hashlib.sha256(repr((FORMAT, _code_version(), *context)).encode()).hexdigest()
        self._entries: dict[str, tuple[str, object]] = {}
        self._changed = False
        stored = load_pickle(self.path, {})
        if isinstance(stored, dict) and stored.get("context") == self.context:
            self._entries = stored["entries"]

    @staticmethod
    def for_check(root: Path, referentiel: bytes, markdown_fingerprint: str, today: date, render_bodies: bool) -> CheckCache:
        return CheckCache(root, (hashlib.sha256(referentiel).hexdigest(), markdown_fingerprint, today.isoformat(), render_bodies))

    @staticmethod
    def for_build(root: Path, referentiel: bytes, today: date) -> CheckCache:
        """The build's results: bodies are not rendered (the build judges MkDocs' rendering)."""
        return CheckCache(root, (hashlib.sha256(referentiel).hexdigest(), today.isoformat(), False), kind="construction")

    @staticmethod
    def for_rendering(root: Path, referentiel: bytes) -> CheckCache:
        """The build's verdicts on sheets as MkDocs rendered them (hooks/check_rendering.py),
        by a hash of the body and its HTML (`rendering_fingerprint`)."""
        return CheckCache(root, (hashlib.sha256(referentiel).hexdigest(),), kind="rendu")

    @staticmethod
    def rendering_fingerprint(body: str, html: str) -> str:
        """The rules read the body (for line numbers and the HTML written in it) and its HTML, nothing else."""
        return hashlib.sha256(f"{body}\0{html}".encode()).hexdigest()

    @staticmethod
    def fingerprint(path: Path, max_bytes: int) -> str | None:
        """A hash of a regular file's bytes; None for a link, a folder or a file over max_bytes,
        which are never read here (reading them is read_source's job, which refuses them)."""
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
                return None
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None

    def get(self, rel_path: str, fingerprint: str | None):
        entry = self._entries.get(rel_path)
        return entry[1] if entry is not None and fingerprint is not None and entry[0] == fingerprint else None

    def put(self, rel_path: str, fingerprint: str | None, result) -> None:
        if fingerprint is not None:
            self._entries[rel_path] = (fingerprint, result)
            self._changed = True

    def save(self) -> None:
        if self._changed:
            save_pickle(self.path, {"context": self.context, "entries": self._entries})


def load_pickle(path: Path, default):
    """What `save_pickle` wrote at path; `default` when there is nothing
    readable there (no cache yet, or a damaged one)."""
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except Exception:  # noqa: BLE001 - any unreadable cache is ignored
        return default


def save_pickle(path: Path, data) -> None:
    """Write data whole and rename it into place, so that an interrupted run
    never leaves half a cache; a folder that cannot be written is ignored
    (the next run does the work again)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        pass
