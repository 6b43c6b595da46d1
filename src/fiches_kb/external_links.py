"""`fiches liens`: are the external links of the published sheets still alive?

Every https address a published sheet gives its readers is checked: the
front matter's « lien » and « site » values, and the addresses in its text
(Markdown links, <…> links, bare addresses), each with the line it is
written on. Each address is asked for once, however many sheets give it,
several at a time, each with a time limit: a HEAD request, then a GET when
the server refuses HEAD; redirects are followed, and a permanent one is
reported so that the sheet can give the new address.

The standard library is enough here (urllib, concurrent.futures): a client
library would add nothing the check needs. Nothing here runs in the build or
in the pull-request checks: they never depend on the network. The scheduled
workflow `.github/workflows/liens.yml` runs it every week.

Exit codes of the command: 0 every link answers, 1 at least one dead link,
3 no network (no address could be reached at all: nothing was judged).
"""

from __future__ import annotations

import concurrent.futures
import http.client
import re
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .frontmatter import SourceFile, read_source
from .schema import Schema
from .text import field_name, front_matter_strings

USER_AGENT = "fiches-liens/1.0 (verification des liens d'une base de connaissances)"
DEFAULT_TIMEOUT = 15.0  # seconds, per request
DEFAULT_WORKERS = 8
EXIT_OK, EXIT_DEAD, EXIT_NO_NETWORK = 0, 1, 3
# HEAD refused or not understood: ask again with GET.
RETRY_WITH_GET = {400, 403, 404, 405, 406, 409, 429, 500, 501, 502, 503}
# The server answers, but not to a program: a person must look.
REFUSED_TO_ROBOTS = {401, 403, 429}
PERMANENT_REDIRECTS = {301, 308}
# An address in the text: up to a space, a bracket, a quote or a closing chevron.
BODY_ADDRESS = re.compile(r"https://[^\s<>()\[\]{}\"'«»`]+")
TRAILING = ".,;:!?"
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class ExternalLink:
    """One https address as a sheet gives it."""

    path: str  # the sheet's file, from the repository's root
    line: int
    url: str
    field: str | None = None  # "sources[2].lien", or None in the text


@dataclass
class Outcome:
    """What one address answered."""

    url: str
    status: int | None = None  # HTTP status of the last answer
    final_url: str | None = None  # where redirects led
    permanent_redirect: bool = False
    error: str | None = None  # French, when nothing usable came back
    unreachable: bool = False  # the network, not the site: DNS, no route, refused connection

    @property
    def alive(self) -> bool:
        return self.error is None and self.status is not None and (self.status < 400 or self.status in REFUSED_TO_ROBOTS)

    @property
    def needs_a_person(self) -> bool:
        return self.status in REFUSED_TO_ROBOTS


@dataclass
class Report:
    links: list[ExternalLink]
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    @property
    def dead(self) -> list[tuple[ExternalLink, Outcome]]:
        return [(link, self.outcomes[link.url]) for link in self.links if not self.outcomes[link.url].alive]

    @property
    def moved(self) -> list[tuple[ExternalLink, Outcome]]:
        return [
            (link, self.outcomes[link.url])
            for link in self.links
            if self.outcomes[link.url].alive and self.outcomes[link.url].permanent_redirect
        ]

    @property
    def to_look_at(self) -> list[tuple[ExternalLink, Outcome]]:
        return [(link, self.outcomes[link.url]) for link in self.links if self.outcomes[link.url].needs_a_person]

    @property
    def no_network(self) -> bool:
        """No address could be reached at all: the network is missing, not the sites."""
        return bool(self.outcomes) and all(outcome.unreachable for outcome in self.outcomes.values())

    @property
    def exit_code(self) -> int:
        if self.no_network:
            return EXIT_NO_NETWORK
        return EXIT_DEAD if self.dead else EXIT_OK


# --- Which links ------------------------------------------------------------


def _front_matter_links(source: SourceFile) -> Iterator[ExternalLink]:
    for path, value in front_matter_strings(source.data):
        if value.strip().startswith("https://") and path and path[-1] in ("lien", "site"):
            yield ExternalLink(source.rel_path, source.line_of(path), value.strip(), field_name(path))


def _body_links(source: SourceFile) -> Iterator[ExternalLink]:
    fenced = False
    for offset, line in enumerate(source.body.split("\n")):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:  # code shown as code is not a link
            continue
        for match in BODY_ADDRESS.finditer(line):
            url = match[0].rstrip(TRAILING)
            if len(url) > len("https://"):
                yield ExternalLink(source.rel_path, source.body_line + offset, url)


def external_links(root: Path, schema: Schema, only: set[Path] | None = None) -> list[ExternalLink]:
    """Every https address of the published sheets (or of the files in `only`), in file order."""
    from .corpus import content_files  # corpus imports the rules; this module stays light to import

    links: list[ExternalLink] = []
    for path, _ in content_files(root, schema):
        if only is not None and path.absolute() not in only:
            continue
        source, _problems = read_source(path, path.relative_to(root).as_posix(), schema.safety.max_file_bytes)
        if source is None:
            continue  # `fiches check` reports it
        status = source.data.get("statut")
        term = schema.statuses.get(status) if isinstance(status, str) else None
        if term is None or not term.published:
            continue
        links += _front_matter_links(source)
        links += _body_links(source)
    return links


# --- Asking each address ----------------------------------------------------


class _RedirectRecorder(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, noting whether one was permanent."""

    def __init__(self) -> None:
        self.permanent = False

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if code in PERMANENT_REDIRECTS:
            self.permanent = True
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":  # urllib would turn HEAD into GET
            new = urllib.request.Request(new.full_url, headers=dict(req.header_items()), method="HEAD")
        return new


def _unreachable(reason: Any) -> bool:
    """The network itself failed: name resolution, no route, connection refused or reset."""
    if isinstance(reason, socket.gaierror):
        return True
    if isinstance(reason, OSError) and not isinstance(reason, (socket.timeout, ssl.SSLError)):
        return reason.errno is not None or isinstance(reason, ConnectionError)
    return False


def _describe(error: BaseException) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return "nom de domaine introuvable"
    if isinstance(reason, (socket.timeout, TimeoutError)) or "timed out" in str(reason):
        return "pas de réponse dans le délai"
    if isinstance(reason, ssl.SSLError) or isinstance(error, ssl.SSLError):
        return f"connexion sécurisée impossible ({reason})"
    if isinstance(reason, ConnectionRefusedError):
        return "connexion refusée"
    if isinstance(error, http.client.HTTPException):
        return f"réponse illisible du serveur ({type(error).__name__})"
    return f"erreur de connexion ({reason})"


def _request(url: str, method: str, timeout: float) -> Outcome:
    recorder = _RedirectRecorder()
    opener = urllib.request.build_opener(recorder)
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)  # the start is enough: the server answered
            return Outcome(url, response.status, response.geturl(), recorder.permanent)
    except urllib.error.HTTPError as error:
        return Outcome(url, error.code, error.geturl(), recorder.permanent)
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:  # never a traceback
        reason = getattr(error, "reason", error)
        return Outcome(url, error=_describe(error), unreachable=_unreachable(reason))


def check_url(url: str, timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """HEAD, then GET when HEAD is refused or fails without a network problem."""
    outcome = _request(url, "HEAD", timeout)
    if outcome.unreachable:
        return outcome
    if outcome.status in RETRY_WITH_GET or outcome.error is not None:
        outcome = _request(url, "GET", timeout)
    return outcome


def check_links(
    links: Iterable[ExternalLink], timeout: float = DEFAULT_TIMEOUT, workers: int = DEFAULT_WORKERS
) -> Report:
    """Each distinct address once, `workers` at a time."""
    report = Report(list(links))
    urls = list(dict.fromkeys(link.url for link in report.links))
    if not urls:
        return report
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
        for url, outcome in zip(urls, pool.map(lambda u: check_url(u, timeout), urls)):
            report.outcomes[url] = outcome
    return report


# --- Saying it in French --------------------------------------------------


def _problem(outcome: Outcome) -> str:
    if outcome.error:
        return outcome.error
    if outcome.status == 404:
        return "page introuvable (erreur 404)"
    if outcome.status == 410:
        return "page supprimée (erreur 410)"
    if outcome.status is not None and outcome.status >= 500:
        return f"erreur du serveur (erreur {outcome.status})"
    return f"erreur {outcome.status}"


def _where(link: ExternalLink) -> str:
    field_text = f", champ « {link.field} »" if link.field else ""
    return f"{link.path}:{link.line}{field_text}"


NO_NETWORK = (
    "fiches liens : pas de réseau. Aucune adresse n'a pu être jointe (nom de domaine introuvable ou "
    "connexion impossible pour toutes) : les liens n'ont pas été vérifiés. Vérifiez la connexion à "
    "Internet, puis relancez « fiches liens »."
)


def text_report(report: Report) -> str:
    """What `fiches liens` prints."""
    if report.no_network:
        return NO_NETWORK
    lines = []
    for link, outcome in report.dead:
        lines.append(f"{_where(link)} : lien mort : {link.url} : {_problem(outcome)}.")
    for link, outcome in report.moved:
        lines.append(
            f"{_where(link)} : information : {link.url} redirige définitivement vers {outcome.final_url} ; "
            "remplacez l'adresse par la nouvelle."
        )
    for link, outcome in report.to_look_at:
        lines.append(
            f"{_where(link)} : à vérifier à la main : {link.url} refuse les programmes (erreur {outcome.status}) ; "
            "ouvrez-la dans un navigateur."
        )
    addresses = len(report.outcomes)
    dead = len({link.url for link, _ in report.dead})
    summary = (
        f"{addresses} adresse{'s' if addresses > 1 else ''} vérifiée{'s' if addresses > 1 else ''} "
        f"({len(report.links)} lien{'s' if len(report.links) > 1 else ''} dans les fiches publiées) : "
    )
    summary += f"{dead} morte{'s' if dead > 1 else ''}." if dead else "aucun lien mort."
    return "\n".join([*lines, summary])


def markdown_report(report: Report) -> str:
    """The same, in Markdown, for the workflow's issue or job summary."""
    if report.no_network:
        return f"## Liens des fiches\n\n{NO_NETWORK}\n"
    parts = ["## Liens des fiches", ""]
    if report.dead:
        parts += ["Liens morts (fiche, ligne, adresse, problème) :", ""]
        parts += [f"- `{_where(link)}` : <{link.url}> : {_problem(outcome)}" for link, outcome in report.dead]
        parts.append("")
    if report.moved:
        parts += ["Adresses à mettre à jour (redirection définitive) :", ""]
        parts += [f"- `{_where(link)}` : <{link.url}> → <{outcome.final_url}>" for link, outcome in report.moved]
        parts.append("")
    if report.to_look_at:
        parts += ["À vérifier à la main (le site refuse les programmes) :", ""]
        parts += [f"- `{_where(link)}` : <{link.url}> (erreur {outcome.status})" for link, outcome in report.to_look_at]
        parts.append("")
    parts.append(text_report(report).rsplit("\n", 1)[-1])
    return "\n".join(parts) + "\n"
