"""Feed pages to Pagefind while the site renders, on the machine's other core.

Pagefind's indexer is a separate program. Run as `pagefind --service`, it
keeps an index in memory and takes requests on its standard input, one
message per request: a JSON object, base64-encoded, followed by a comma;
its answers come back the same way on its standard output. This is the
protocol of Pagefind's own Python package (`pagefind.service`), whose
reader pauses before each answer, too slow page by page; which program
runs is `fiches_kb.pagefind_binary`'s choice.

No thread here: `add_page` writes its request straight into Pagefind's
input and returns (Pagefind drains its input in a thread of its own, so
the pipe rarely fills). Answers are read without waiting after each
request, so that Pagefind's output pipe never fills, and waited for only
when needed: the first one (the new index), then the rest when the bundle
is finished. Why, with the figures: docs-dev/decisions/0002-search-with-pagefind.md.

Pagefind never makes the build wait for ever: every wait (for an answer,
or for room in its input) lasts at most `answer_delay()` seconds
(fiches_kb.pagefind_binary) from its start or from Pagefind's last
answer. Past it, or on output that is not the protocol, Pagefind is
killed and PagefindError quotes what it last said. On Windows, where
pipes cannot be polled, the waits are not bounded.

The result is the same bundle as indexing the finished site with
`add_directory` (same HTML, same URLs, same configuration): tested in
tests/test_search_index.py.

Nothing here imports MkDocs.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from .pagefind_binary import BINARY_ENV, DELAY_ENV, PagefindError, answer_delay, choose_pagefind

_STOPPED = "Recherche : Pagefind s'est arrêté avant de répondre."
# What Pagefind writes on its output: base64 messages, each followed by a comma.
_NOT_PROTOCOL = re.compile(rb"[^A-Za-z0-9+/=,\s]")
_LONGEST_ANSWER = 16 << 20  # bytes without a comma: not an answer any more
_QUOTE_LENGTH = 200  # characters of Pagefind's output quoted in an error


def _refusal(payload: dict[str, Any]) -> str | None:
    """Pagefind's error, in our words, if its answer is one."""
    if payload.get("type") != "Error":
        return None
    return f"Pagefind : {payload.get('message', 'erreur sans message')}"


def _encode(message: dict[str, Any]) -> bytes:
    return base64.b64encode(json.dumps(message, ensure_ascii=False).encode("utf-8")) + b","


def _quote(raw: bytes | str) -> str:
    """The last non-empty line of `raw`, shortened, for an error message."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    return last if len(last) <= _QUOTE_LENGTH else last[: _QUOTE_LENGTH - 1] + "…"


class StreamingIndex:
    """One Pagefind index, fed page by page, written once at the end.

    Use: `index = StreamingIndex(config)`, then `add_page(html, url)` for
    each page, then `write(output_path)` (which waits for every page and
    stops the process), or `close()` to stop without writing anything.
    `start_write` and `finish_write` split `write` in two, so that the
    caller can go on with other work while Pagefind writes the bundle.
    """

    def __init__(self, config: dict[str, Any], executable: Path | None = None, delay: float | None = None):
        # `executable`: by default the program `pagefind_binary.choose_pagefind` picks;
        # `delay`: the longest wait for Pagefind, by default `answer_delay()`.
        self._delay = answer_delay() if delay is None else delay
        # Pagefind's diagnostics go to a file, not to a pipe nobody reads
        # (a full pipe would stall Pagefind); they are quoted in errors.
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [str(executable or choose_pagefind().path), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self._input_fd = self._process.stdin.fileno()
        self._output_fd = self._process.stdout.fileno()
        try:
            os.set_blocking(self._output_fd, False)
            os.set_blocking(self._input_fd, False)
            self._can_poll = True
        except (AttributeError, OSError):  # Windows pipes
            self._can_poll = False
        self._last_id = 0
        self._answers: dict[int, dict[str, Any]] = {}  # answers read but not yet claimed, by message id
        self._unread = b""  # the start of an answer whose end has not arrived yet
        self._said = b""  # the last bytes Pagefind wrote on its output, quoted in errors
        self._pages: list[int] = []  # message ids of the pages added
        self._broken = False  # Pagefind's input is closed: it stopped
        self._ended = False  # Pagefind's output has ended: it stopped
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
            self._write(_encode({"message_id": self._last_id, "payload": payload}))
            if self._can_poll and not self._ended:
                self._read_available()
        return self._last_id

    def _write(self, data: bytes) -> None:
        if not self._can_poll:
            try:
                self._process.stdin.write(data)
                self._process.stdin.flush()
            except OSError:  # BrokenPipeError among them
                self._broken = True
            return
        rest = memoryview(data)
        deadline = self._deadline()
        while rest:
            try:
                rest = rest[os.write(self._input_fd, rest) :]
                deadline = self._deadline()
                continue
            except BlockingIOError:
                pass
            except OSError:
                self._broken = True
                return
            # Its input is full: wait for room, reading its answers meanwhile
            # (a service may stop reading until its answers are read).
            if self._wait(deadline, writing=True):
                deadline = self._deadline()

    def _answer_to(self, message_id: int) -> dict[str, Any]:
        """Read Pagefind's answers up to the one to `message_id` and return
        it, or raise PagefindError if it is an error or if Pagefind stopped."""
        payload = self._wait_for(message_id)
        refusal = _refusal(payload)
        if refusal:
            raise PagefindError(refusal)
        return payload

    def _wait_for(self, message_id: int) -> dict[str, Any]:
        deadline = self._deadline()
        while message_id not in self._answers:
            if self._closed or self._ended:
                raise PagefindError(self._stopped_message())
            if self._wait(deadline):
                deadline = self._deadline()
        return self._answers.pop(message_id)

    def _deadline(self) -> float:
        return time.monotonic() + self._delay

    def _wait(self, deadline: float, writing: bool = False) -> int:
        """Wait until Pagefind writes something (or, `writing`, has room in
        its input), at most until `deadline`; read what it wrote. The number
        of answers read; PagefindError, Pagefind killed, past the deadline."""
        if not self._can_poll:
            return self._read_available()
        remaining = deadline - time.monotonic()
        readable = writable = []
        if remaining > 0:
            readable, writable, _ = select.select(
                [] if self._ended else [self._output_fd], [self._input_fd] if writing else [], [], remaining
            )
        if not readable and not writable:
            self._fail(
                f"Recherche : Pagefind n'a pas répondu en {self._delay:g} s ; il a été arrêté.{self._last_words()} "
                f"Sur une machine très lente, donnez-lui plus de temps ({DELAY_ENV}=300 par exemple)."
            )
        return self._read_available() if readable else 0

    def _read_available(self) -> int:
        """Read the answers Pagefind has written so far (on Windows, wait for
        some); the number read. Raises PagefindError, Pagefind killed, on
        output that is not the protocol."""
        try:
            chunk = os.read(self._output_fd, 1 << 16)
        except BlockingIOError:
            return 0
        if not chunk:
            self._ended = True
            return 0
        self._said = (self._said + chunk)[-4096:]
        if _NOT_PROTOCOL.search(chunk):
            self._unreadable()
        self._unread += chunk
        *messages, self._unread = self._unread.split(b",")
        if len(self._unread) > _LONGEST_ANSWER:
            self._unreadable()
        count = 0
        for raw in messages:
            if not raw.strip():
                continue
            try:
                message = json.loads(base64.b64decode(raw.strip(), validate=True))
            except (ValueError, binascii.Error):  # UnicodeDecodeError and JSON errors are ValueError
                self._unreadable()
            if not isinstance(message, dict) or not isinstance(message.get("payload") or {}, dict):
                self._unreadable()
            self._store(message)
            count += 1
        return count

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
        except PagefindError:
            if self._output is not None:
                shutil.rmtree(self._output, ignore_errors=True)  # a bundle Pagefind may have begun
            raise
        finally:
            self.close()

    def close(self, kill: bool = False) -> None:
        """Stop Pagefind (idempotent), and wait for it to be gone. With
        `kill`, do not let it finish what it is doing (a build that failed
        must not wait for a bundle it will delete). Without, it stops when
        its input ends, which is only safe once nothing is pending: Pagefind
        exits at the end of its input."""
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

    # --- errors -----------------------------------------------------------

    def _fail(self, message: str) -> None:
        """Kill Pagefind, then raise PagefindError(message)."""
        self.close(kill=True)
        raise PagefindError(message)

    def _unreadable(self) -> None:
        self._fail(
            f"Recherche : Pagefind a répondu hors de son protocole (« {_quote(self._said) or 'sortie illisible'} ») ; "
            f"il a été arrêté. Si la variable {BINARY_ENV} est définie, vérifiez qu'elle désigne bien Pagefind."
        )

    def _log_text(self) -> str:
        try:
            self._log.seek(0)
            return self._log.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""

    def _last_words(self) -> str:
        """« Sa dernière sortie : « … ». », from its diagnostics or else its
        output; "" when it said nothing."""
        said = _quote(self._log_text()) or _quote(self._said)
        return f" Sa dernière sortie : « {said} »." if said else ""

    def _stopped_message(self) -> str:
        try:
            self._process.wait(timeout=2)  # its last words reach the log before it exits
        except subprocess.TimeoutExpired:
            pass
        output = self._log_text()
        detail = f" Sa sortie : {output[-500:]}" if output else ""
        return _STOPPED + detail
