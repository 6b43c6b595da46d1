"""`fiches liens` (issue 20): the external links of the published sheets are
checked against a local HTTP(S) server, never the real network: a live link,
a 404, a permanent redirect, a timeout, a server that refuses HEAD, and no
network at all."""

from __future__ import annotations

import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest

from fiches_kb.cli import main
from fiches_kb.external_links import EXIT_DEAD, EXIT_NO_NETWORK, EXIT_OK, ExternalLink, check_links, check_url, external_links
from fiches_kb.schema import load_schema
from helpers import in_ci, make_repo

SLOW = 2.0  # seconds the slow page waits; the checks below give up after TIMEOUT
TIMEOUT = 0.5


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, body: bool):
        path = self.path
        if path == "/vivant":
            self.send(200, body)
        elif path == "/absent":
            self.send(404, body)
        elif path == "/ancienne":
            self.send(301, body, location="/vivant")
        elif path == "/provisoire":
            self.send(302, body, location="/vivant")
        elif path == "/sans-head" and not body:
            self.send(405, body)
        elif path == "/sans-head":
            self.send(200, body)
        elif path == "/robots-refuses":
            self.send(403, body)
        elif path == "/lent":
            time.sleep(SLOW)
            self.send(200, body)
        else:
            self.send(404, body)

    def send(self, code: int, body: bool, location: str | None = None):
        content = f"page {code}".encode()
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)


def start(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def http_site():
    server = start(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def https_site(tmp_path_factory):
    """The same pages over https, with a certificate for 127.0.0.1 made by
    openssl; SSL_CERT_FILE makes the checker trust it (set by the tests)."""
    if shutil.which("openssl") is None:
        reason = "openssl introuvable : pas de serveur https de test (paquet Debian « openssl », installé par .ci/run)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("certificat")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    start(server)
    yield f"https://127.0.0.1:{server.server_address[1]}", cert
    server.shutdown()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_live_link_answers(http_site):
    outcome = check_url(f"{http_site}/vivant", timeout=TIMEOUT)
    assert outcome.alive and outcome.status == 200 and not outcome.permanent_redirect


def test_a_404_is_a_dead_link(http_site):
    outcome = check_url(f"{http_site}/absent", timeout=TIMEOUT)
    assert not outcome.alive and outcome.status == 404


def test_a_permanent_redirect_is_followed_and_reported(http_site):
    outcome = check_url(f"{http_site}/ancienne", timeout=TIMEOUT)
    assert outcome.alive and outcome.permanent_redirect
    assert outcome.final_url == f"{http_site}/vivant"


def test_a_temporary_redirect_is_followed_silently(http_site):
    outcome = check_url(f"{http_site}/provisoire", timeout=TIMEOUT)
    assert outcome.alive and not outcome.permanent_redirect


def test_a_page_that_does_not_answer_in_time_is_dead(http_site):
    started = time.monotonic()
    outcome = check_url(f"{http_site}/lent", timeout=TIMEOUT)
    assert not outcome.alive and outcome.error == "pas de réponse dans le délai"
    assert not outcome.unreachable  # the site is slow: the network is there
    assert time.monotonic() - started < 2 * SLOW


def test_a_server_that_refuses_head_is_asked_with_get(http_site):
    assert check_url(f"{http_site}/sans-head", timeout=TIMEOUT).alive


def test_a_site_that_refuses_programs_is_left_to_a_person(http_site):
    outcome = check_url(f"{http_site}/robots-refuses", timeout=TIMEOUT)
    assert outcome.alive and outcome.needs_a_person


def test_each_address_is_asked_once_and_reported_for_every_sheet(http_site):
    url = f"{http_site}/absent"
    links = [ExternalLink("fiches/a.md", 3, url), ExternalLink("fiches/b.md", 9, url)]
    report = check_links(links, timeout=TIMEOUT)
    assert list(report.outcomes) == [url]
    assert [(link.path, link.line) for link, _ in report.dead] == [("fiches/a.md", 3), ("fiches/b.md", 9)]
    assert report.exit_code == EXIT_DEAD


def test_no_network_is_said_and_has_its_own_exit_code():
    links = [
        ExternalLink("fiches/a.md", 3, f"https://127.0.0.1:{closed_port()}/page"),
        ExternalLink("fiches/a.md", 4, "https://nom-introuvable.invalid/page"),
    ]
    report = check_links(links, timeout=TIMEOUT)
    assert report.no_network and report.exit_code == EXIT_NO_NETWORK


SHEET_LINKS = """
Voir [le site officiel]({base}/vivant), puis <{base}/absent>.

Adresse ancienne : {base}/ancienne.

```
{base}/absent-mais-dans-du-code
```
"""


def write_sheet(repo, base: str, status: str = "en-relecture"):
    text = (repo / "pratiques-inspirantes" / "aidants-connect.md").read_text(encoding="utf-8")
    text = text.replace("statut: en-relecture", f"statut: {status}", 1)
    text = text.replace("https://www.example.gouv.fr/aidants-connect", f"{base}/lent", 1)
    text = text.replace("## Résultats", "## Résultats\n" + SHEET_LINKS.format(base=base), 1)
    path = repo / "pratiques-inspirantes" / "aidants-connect.md"
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_the_links_of_published_sheets_are_found_with_their_lines(tmp_path):
    repo = make_repo(tmp_path)
    text = write_sheet(repo, "https://exemple.test")
    found = {(link.path, link.line, link.url, link.field) for link in external_links(repo, load_schema(repo))}
    sheet = "pratiques-inspirantes/aidants-connect.md"
    assert (sheet, line_of(text, "https://exemple.test/lent"), "https://exemple.test/lent", "sources[2].lien") in found
    assert (sheet, line_of(text, "[le site officiel]"), "https://exemple.test/vivant", None) in found
    assert (sheet, line_of(text, "<https://exemple.test/absent>"), "https://exemple.test/absent", None) in found
    assert (sheet, line_of(text, "Adresse ancienne"), "https://exemple.test/ancienne", None) in found  # final « . » left out
    assert not any("dans-du-code" in url for _, _, url, _ in found)


def test_drafts_are_not_checked(tmp_path):
    repo = make_repo(tmp_path)
    write_sheet(repo, "https://exemple.test", status="brouillon")
    assert not any(link.url.startswith("https://exemple.test") for link in external_links(repo, load_schema(repo)))


def test_fiches_liens_reports_dead_links_with_sheet_line_and_address(tmp_path, https_site, monkeypatch, capsys):
    base, cert = https_site
    repo = make_repo(tmp_path)
    text = write_sheet(repo, base)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    report = tmp_path / "rapport.md"
    code = main(["liens", "--delai", str(TIMEOUT), "--rapport", str(report)])
    out = capsys.readouterr().out
    sheet = "pratiques-inspirantes/aidants-connect.md"
    assert code == EXIT_DEAD
    assert f"{sheet}:{line_of(text, '<' + base + '/absent>')} : lien mort : {base}/absent : page introuvable (erreur 404)." in out
    assert (
        f"{sheet}:{line_of(text, base + '/lent')}, champ « sources[2].lien » : lien mort : {base}/lent : pas de réponse dans le délai."
        in out
    )
    assert f"information : {base}/ancienne redirige définitivement vers {base}/vivant" in out
    assert f"{base}/vivant :" not in out
    markdown = report.read_text(encoding="utf-8")
    assert f"- `{sheet}:{line_of(text, '<' + base + '/absent>')}` : <{base}/absent> : page introuvable (erreur 404)" in markdown


def test_fiches_liens_says_so_when_every_link_answers(tmp_path, https_site, monkeypatch, capsys):
    base, cert = https_site
    repo = make_repo(tmp_path)
    write_sheet(repo, base)
    text = (repo / "pratiques-inspirantes" / "aidants-connect.md").read_text(encoding="utf-8")
    for dead in ("/absent", "/lent"):
        text = text.replace(base + dead, base + "/vivant")
    (repo / "pratiques-inspirantes" / "aidants-connect.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    code = main(["liens", "--delai", str(TIMEOUT), "pratiques-inspirantes/aidants-connect.md"])
    assert code == EXIT_OK
    assert capsys.readouterr().out.rstrip().endswith(": aucun lien mort.")


def test_fiches_liens_without_network_says_so_in_french(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path)
    write_sheet(repo, "https://nom-introuvable.invalid")
    for sheet in (repo / "fiches").glob("*.md"):
        sheet.unlink()  # only unreachable addresses left
    monkeypatch.chdir(repo)
    code = main(["liens", "--delai", str(TIMEOUT)])
    assert code == EXIT_NO_NETWORK
    assert "fiches liens : pas de réseau." in capsys.readouterr().err


def test_a_weekly_workflow_checks_the_links_and_keeps_one_issue_up_to_date():
    import yaml

    from helpers import REPO

    workflows = REPO / ".github" / "workflows"
    liens = yaml.load((workflows / "liens.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert set(liens["on"]) == {"schedule", "workflow_dispatch"}  # weekly, and on demand; never on a pull request
    (schedule,) = liens["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    assert liens["permissions"] == {"contents": "read"}
    (job,) = liens["jobs"].values()
    assert job["permissions"] == {"contents": "read", "issues": "write"}  # issues only where the issue is written
    (step,) = [step for step in job["steps"] if "liens.sh" in step.get("run", "")]
    assert step["env"]["GH_TOKEN"] == "${{ github.token }}"
    script = (REPO / step["run"].split()[1]).read_text(encoding="utf-8")
    assert "fiches liens --rapport" in script and "GITHUB_STEP_SUMMARY" in script
    assert 'TITLE="Liens morts dans les fiches"' in script and "gh issue edit" in script and "gh issue create" in script
    for name in ("ci.yml", "publication.yml"):  # the checks of a pull request never depend on the network
        assert "fiches liens" not in (workflows / name).read_text(encoding="utf-8")


def test_a_server_that_answers_garbage_is_a_dead_link_not_a_traceback():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def garbage():
        for _ in range(2):  # HEAD, then GET
            connection, _ = listener.accept()
            connection.recv(1024)
            connection.sendall(b"pas du HTTP\r\n\r\n")
            connection.close()

    threading.Thread(target=garbage, daemon=True).start()
    outcome = check_url(f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout=TIMEOUT)
    listener.close()
    assert not outcome.alive and outcome.error.startswith("réponse illisible du serveur")
