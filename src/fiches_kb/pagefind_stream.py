"""Feed pages to Pagefind while the site renders, on the machine's other core.

Pagefind's indexer is a separate program. Run as `pagefind --service`, it
keeps an index in memory and takes requests on its standard input, one
message per request: a JSON object, base64-encoded, followed by a comma;
its answers come back the same way on its standard output. This is the
protocol of Pagefind's own Python package (`pagefind.service`), whose
binary we use.

Why not that package's `PagefindIndex.add_html_file`: its reader sleeps
100 ms before reading each answer (`_wait_for_responses`), so 200 pages
take 20 s (measured); indexing page by page is only worth it if it costs
the build nothing. Here a writer thread sends the pages as MkDocs renders
them, a reader thread collects the answers, and the Pagefind process
parses and indexes on the second core while Python renders on the first.
`add_page` only queues the page: it never waits for Pagefind.

The result is the same bundle as indexing the finished site with
`add_directory` (same HTML, same URLs, same configuration): tested in
tests/test_search_index.py.

Nothing here imports MkDocs.
"""

from __future__ import annotations

import base64
import json
import queue
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

_STOP = object()  # tells the writer thread to close Pagefind's input
_STOPPED = "Recherche : Pagefind s'est arrêté avant de répondre."


class PagefindError(Exception):
    """Pagefind refused a request or stopped; the message says why, in French."""


def pagefind_executable() -> Path:
    """The binary shipped by `pagefind[bin]` (or PAGEFIND_BINARY_PATH)."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise PagefindError(
            "Recherche : programme Pagefind introuvable. Installez les dépendances du projet "
            "(`pip install -e .`, qui installe « pagefind[bin] »)."
        )
    return executable


def _encode(message: dict[str, Any]) -> bytes:
    return base64.b64encode(json.dumps(message).encode("utf-8")) + b","


class StreamingIndex:
    """One Pagefind index, fed page by page, written once at the end.

    Use: `index = StreamingIndex(config)`, then `add_page(html, url)` for
    each page, then `write(output_path)` (which waits for every page and
    stops the process), or `close()` to stop without writing anything.
    `start_write` and `finish_write` split `write` in two, so that the
    caller can go on with other work while Pagefind writes the bundle.
    """

    def __init__(self, config: dict[str, Any], executable: Path | None = None):
        # Pagefind's diagnostics go to a file, not to a pipe nobody reads
        # (a full pipe would stall Pagefind); they are quoted in errors.
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [str(executable or pagefind_executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self._lock = threading.Lock()
        self._last_id = 0
        self._pending: dict[int, Future] = {}
        self._page_futures: list[Future] = []
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._stopped = False
        self._gone: str | None = None  # why Pagefind is gone, once its output has ended
        self._bundle: Future | None = None  # the write begun by start_write: pages indexed, or its error
        self._writer = threading.Thread(target=self._write_loop, name="pagefind-writer", daemon=True)
        self._reader = threading.Thread(target=self._read_loop, name="pagefind-reader", daemon=True)
        self._writer.start()
        self._reader.start()
        answer = self._request({"type": "NewIndex", "config": config}).result()
        self._index_id = answer["index_id"]

    # --- requests ---------------------------------------------------------

    def _request(self, payload: dict[str, Any]) -> Future:
        future: Future = Future()
        with self._lock:
            if self._stopped or self._gone is not None:
                # A request made after the reader saw Pagefind's output end
                # would otherwise wait forever: nobody is left to answer it.
                future.set_exception(PagefindError(self._gone or "Recherche : Pagefind est déjà arrêté."))
                return future
            self._last_id += 1
            self._pending[self._last_id] = future
            self._outbox.put({"message_id": self._last_id, "payload": payload})
        return future

    def add_page(self, html: str, url: str) -> None:
        """Queue a rendered page for indexing under `url` (e.g. "/fiches/x/")."""
        if self._bundle is not None:
            raise PagefindError(f"Recherche : page « {url} » reçue après le début de l'écriture de l'index.")
        self._page_futures.append(
            self._request({"type": "AddFile", "index_id": self._index_id, "url": url, "file_path": None, "file_contents": html})
        )

    def write(self, output_path: Path) -> int:
        """Wait for every page, write the bundle to `output_path`, stop
        Pagefind. Returns the number of pages indexed. Raises PagefindError
        (and writes nothing) if any page was refused."""
        self.start_write(output_path)
        return self.finish_write()

    def start_write(self, output_path: Path) -> None:
        """`write`, in a background thread: returns at once. No page can be
        added afterwards. `finish_write` waits for the bundle."""
        if self._bundle is not None:
            raise PagefindError("Recherche : l'écriture de l'index a déjà commencé.")
        self._bundle = Future()
        threading.Thread(
            target=self._write_in_background, args=(Path(output_path), self._bundle), name="pagefind-write", daemon=True
        ).start()

    def finish_write(self) -> int:
        """Wait for the write begun by `start_write`; its result or its error."""
        if self._bundle is None:
            raise PagefindError("Recherche : l'écriture de l'index n'a pas commencé.")
        return self._bundle.result()

    def _write_in_background(self, output_path: Path, bundle: Future) -> None:
        try:
            bundle.set_result(self._write_now(output_path))
        except BaseException as error:  # handed to finish_write, in the caller's thread
            bundle.set_exception(error)

    def _write_now(self, output_path: Path) -> int:
        try:
            refused = []
            for future in self._page_futures:
                try:
                    future.result()
                except PagefindError as error:
                    if str(error).startswith(_STOPPED):
                        raise  # Pagefind is gone: one message says it all
                    refused.append(str(error))
            if refused:
                raise PagefindError(
                    f"Recherche : Pagefind a refusé {len(refused)} page(s), index non écrit. Première erreur : {refused[0]}"
                )
            self._request({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(output_path)}).result()
            return len(self._page_futures)
        finally:
            self.close()

    def close(self, kill: bool = False) -> None:
        """Stop Pagefind (idempotent). Unanswered requests fail. With
        `kill`, do not let it finish what it is doing (a build that failed
        must not wait for a bundle it will delete)."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            self._outbox.put(_STOP)
        if kill:
            self._process.kill()
        self._writer.join(timeout=10)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=10)
        self._fail_pending(_STOPPED)
        self._log.close()

    # --- threads ----------------------------------------------------------

    def _write_loop(self) -> None:
        stdin = self._process.stdin
        try:
            while (message := self._outbox.get()) is not _STOP:
                stdin.write(_encode(message))
                stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # Pagefind stopped: the reader fails the pending requests
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def _read_loop(self) -> None:
        stdout = self._process.stdout
        buffer = b""
        while chunk := stdout.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for raw in messages:
                if raw.strip():
                    self._answer(json.loads(base64.b64decode(raw)))
        reason = self._stopped_message()
        with self._lock:
            self._gone = reason
        self._fail_pending(reason)

    def _answer(self, message: dict[str, Any]) -> None:
        payload = message.get("payload") or {}
        message_id = message.get("message_id")
        if message_id is None and payload.get("original_message"):
            # An unparsable request is answered without its id, but quoted.
            try:
                message_id = json.loads(payload["original_message"]).get("message_id")
            except (ValueError, AttributeError):
                message_id = None
        with self._lock:
            future = self._pending.pop(message_id, None)
        if future is None:
            return
        if payload.get("type") == "Error":
            future.set_exception(PagefindError(f"Pagefind : {payload.get('message', 'erreur sans message')}"))
        else:
            future.set_result(payload)

    def _fail_pending(self, reason: str) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(PagefindError(reason))

    def _stopped_message(self) -> str:
        try:
            self._log.seek(0)
            output = self._log.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            output = ""
        detail = f" Sa sortie : {output[-500:]}" if output else ""
        return _STOPPED + detail
