"""Feed pages to Pagefind while the site renders, on the machine's other core.

Pagefind's indexer is a separate program. Run as `pagefind --service`, it
keeps an index in memory and takes requests on its standard input, one
message per request: a JSON object, base64-encoded, followed by a comma;
its answers come back the same way on its standard output. This is the
protocol of Pagefind's own Python package (`pagefind.service`); which
program runs is `fiches_kb.pagefind_binary`'s choice.

Why not that package's `PagefindIndex.add_html_file`: its reader sleeps
100 ms before reading each answer (`_wait_for_responses`), so 200 pages
take 20 s (measured); indexing page by page is only worth it if it costs
the build nothing.

Why no thread here: `add_page` writes its request straight into Pagefind's
input and returns. Pagefind reads its input in a thread of its own that
only decodes each message and queues it (an unbounded channel, in
`pagefind/src/service/mod.rs`), so the pipe is drained as fast as we fill
it while the Pagefind process parses and indexes on the second core. Its
answers are read here without waiting after each request (so that its
output pipe never fills, whatever a future Pagefind does with its
threads), and waited for only when needed: the first one (the new
index), then the rest when the bundle is finished. An earlier version had a writer and a reader
thread in our process: their hand-overs of Python's interpreter lock cost
the rendering thread 4.4 s of CPU at 5,000 sheets (18.7 s → 23.2 s,
measured with a stand-in for Pagefind that does no work).

The result is the same bundle as indexing the finished site with
`add_directory` (same HTML, same URLs, same configuration): tested in
tests/test_search_index.py.

Nothing here imports MkDocs.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .pagefind_binary import PagefindError, choose_pagefind

_STOPPED = "Recherche : Pagefind s'est arrêté avant de répondre."


def _refusal(payload: dict[str, Any]) -> str | None:
    """Pagefind's error, in our words, if its answer is one."""
    if payload.get("type") != "Error":
        return None
    return f"Pagefind : {payload.get('message', 'erreur sans message')}"


def _encode(message: dict[str, Any]) -> bytes:
    return base64.b64encode(json.dumps(message, ensure_ascii=False).encode("utf-8")) + b","


class StreamingIndex:
    """One Pagefind index, fed page by page, written once at the end.

    Use: `index = StreamingIndex(config)`, then `add_page(html, url)` for
    each page, then `write(output_path)` (which waits for every page and
    stops the process), or `close()` to stop without writing anything.
    `start_write` and `finish_write` split `write` in two, so that the
    caller can go on with other work while Pagefind writes the bundle.
    """

    def __init__(self, config: dict[str, Any], executable: Path | None = None):
        # `executable`: by default the program `pagefind_binary.choose_pagefind` picks.
        # Pagefind's diagnostics go to a file, not to a pipe nobody reads
        # (a full pipe would stall Pagefind); they are quoted in errors.
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [str(executable or choose_pagefind().path), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self._output_fd = self._process.stdout.fileno()
        try:
            os.set_blocking(self._output_fd, False)
            self._can_poll = True
        except (AttributeError, OSError):  # Windows pipes before Python 3.12
            self._can_poll = False
        self._last_id = 0
        self._answers: dict[int, dict[str, Any]] = {}  # answers read but not yet claimed, by message id
        self._unread = b""  # the start of an answer whose end has not arrived yet
        self._pages: list[int] = []  # message ids of the pages added
        self._broken = False  # Pagefind's input is closed: it stopped
        self._closed = False
        self._output: Path | None = None
        self._write_id: int | None = None  # message id of the bundle's WriteFiles, once begun
        try:
            answer = self._answer_to(self._send({"type": "NewIndex", "config": config}))
        except PagefindError:
            self.close(kill=True)
            raise
        self._index_id = answer["index_id"]

    # --- requests ---------------------------------------------------------

    def _send(self, payload: dict[str, Any]) -> int:
        """Write one request into Pagefind's input; its message id. A request
        Pagefind can no longer read is not an error here: the answer that
        never comes is (`_answer_to` reports why Pagefind stopped)."""
        if self._closed:
            raise PagefindError("Recherche : Pagefind est déjà arrêté.")
        self._last_id += 1
        if not self._broken:
            try:
                self._process.stdin.write(_encode({"message_id": self._last_id, "payload": payload}))
                self._process.stdin.flush()
            except OSError:  # BrokenPipeError among them
                self._broken = True
            if self._can_poll:
                self._receive(wait=False)
        return self._last_id

    def _answer_to(self, message_id: int) -> dict[str, Any]:
        """Read Pagefind's answers up to the one to `message_id` and return
        it, or raise PagefindError if it is an error or if Pagefind stopped."""
        payload = self._wait_for(message_id)
        refusal = _refusal(payload)
        if refusal:
            raise PagefindError(refusal)
        return payload

    def _wait_for(self, message_id: int) -> dict[str, Any]:
        while message_id not in self._answers:
            if self._closed or not self._receive(wait=True):
                raise PagefindError(self._stopped_message())
        return self._answers.pop(message_id)

    def _receive(self, wait: bool) -> bool:
        """Read the answers Pagefind has written so far; with `wait`, wait
        for at least one more piece of them. False once its output has ended."""
        if wait and self._can_poll:
            select.select([self._output_fd], [], [])
        try:
            chunk = os.read(self._output_fd, 1 << 16)
        except BlockingIOError:
            return True
        if not chunk:
            return False
        self._unread += chunk
        *messages, self._unread = self._unread.split(b",")
        for raw in messages:
            if raw.strip():
                self._store(json.loads(base64.b64decode(raw)))
        return True

    def _store(self, message: dict[str, Any]) -> None:
        payload = message.get("payload") or {}
        message_id = message.get("message_id")
        if message_id is None and payload.get("original_message"):
            # An unparsable request is answered without its id, but quoted.
            try:
                message_id = json.loads(payload["original_message"]).get("message_id")
            except (ValueError, AttributeError):
                message_id = None
        if message_id is not None:
            self._answers[message_id] = payload

    def add_page(self, html: str, url: str) -> None:
        """Send a rendered page to be indexed under `url` (e.g. "/fiches/x/").
        Returns at once: whether Pagefind accepted it is known when the
        bundle is finished."""
        if self._write_id is not None:
            raise PagefindError(f"Recherche : page « {url} » reçue après le début de l'écriture de l'index.")
        self._pages.append(
            self._send({"type": "AddFile", "index_id": self._index_id, "url": url, "file_path": None, "file_contents": html})
        )

    def write(self, output_path: Path) -> int:
        """Write the bundle to `output_path` once every page is indexed,
        stop Pagefind. Returns the number of pages indexed. Raises
        PagefindError (and leaves no bundle) if any page was refused."""
        self.start_write(output_path)
        return self.finish_write()

    def start_write(self, output_path: Path) -> None:
        """`write`, without waiting: Pagefind writes the bundle after the
        pages sent before, while the caller goes on. No page can be added
        afterwards. `finish_write` waits for the bundle."""
        if self._write_id is not None:
            raise PagefindError("Recherche : l'écriture de l'index a déjà commencé.")
        self._output = Path(output_path)
        self._write_id = self._send({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(output_path)})

    def finish_write(self) -> int:
        """Wait for the write begun by `start_write`; the number of pages
        indexed, or PagefindError. Stops Pagefind either way."""
        if self._write_id is None:
            raise PagefindError("Recherche : l'écriture de l'index n'a pas commencé.")
        try:
            # Pagefind answers in order: once the bundle is written, every
            # page's answer has been read.
            written = self._wait_for(self._write_id)
            refused = [refusal for page in self._pages if (refusal := _refusal(self._answers.pop(page, {})))]
            if refused:
                # Pagefind wrote the bundle without them: it must not be published.
                shutil.rmtree(self._output, ignore_errors=True)
                raise PagefindError(
                    f"Recherche : Pagefind a refusé {len(refused)} page(s), index non écrit. Première erreur : {refused[0]}"
                )
            if refusal := _refusal(written):
                shutil.rmtree(self._output, ignore_errors=True)
                raise PagefindError(refusal)
            return len(self._pages)
        finally:
            self.close()

    def close(self, kill: bool = False) -> None:
        """Stop Pagefind (idempotent). With `kill`, do not let it finish
        what it is doing (a build that failed must not wait for a bundle it
        will delete). Without, it stops when its input ends, which is only
        safe once nothing is pending: Pagefind exits at the end of its input."""
        if self._closed:
            return
        self._closed = True
        if kill:
            self._process.kill()
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()
        self._log.close()

    def _stopped_message(self) -> str:
        try:
            self._process.wait(timeout=2)  # its last words reach the log before it exits
        except subprocess.TimeoutExpired:
            pass
        try:
            self._log.seek(0)
            output = self._log.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            output = ""
        detail = f" Sa sortie : {output[-500:]}" if output else ""
        return _STOPPED + detail
