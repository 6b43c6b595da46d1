"""A large build hands the content rules and the search documents to a
helper process, on another core, and gets back exactly what it would have
worked out itself, in the same order; a helper that dies changes nothing
but the time (`fiches_kb.helper_process`).
"""

from __future__ import annotations

import html
import importlib.util
import logging
import os
import re
import signal
from types import SimpleNamespace

import pytest

from fiches_kb import helper_process
from fiches_kb.helper_process import Document, HelperProcess, Judgement
from fiches_kb.rules import renderer_for
from fiches_kb.schema import load_schema
from helpers import EXAMPLE_SITE, REPO, copy_site, different_files, run_mkdocs

BODIES = [
    "## Démarches\n\nUn texte sans problème, avec un [lien](https://www.service-public.fr/).\n",
    "Appelez le 06 12 34 56 78 pour un rendez-vous.\n",
    "Un paragraphe.\n{: onclick=\"alert(1)\" }\n",
    "Une image : ![pixel](https://tracker.example/pixel.png)\n",
    "Du <b>HTML</b> écrit à la main, et `du code <script>`.\n",
]


def jobs() -> list[Judgement | Document]:
    renderer = renderer_for(REPO)
    made: list[Judgement | Document] = []
    for number, body in enumerate(BODIES * 3):
        src_uri = f"fiches/fiche-{number}.md"
        rendered = renderer.render(body)
        made.append(
            Judgement(src_uri, f"empreinte-{number}", REPO / src_uri, body, 5, rendered.html, tuple(rendered.raw_html),
                      rendered.links, rendered.anchors)
        )
        article = f"<h1>Fiche {number}</h1>{rendered.html}"
        made.append(Document(src_uri, f"fiches/fiche-{number}/index.html", article, "", "fr", f"Fiche {number} : l'essentiel"))
    return made


def worked_out(helper: HelperProcess, work: list[Judgement | Document]):
    documents = []
    for job in work:
        (helper.judge if isinstance(job, Judgement) else helper.document)(job)
        documents += helper.ready_documents()
    helper.finish()
    documents += helper.ready_documents()
    return helper.verdicts, [(job.src_uri, document) for job, document in documents]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(helper_process, "BATCH_SIZE", 3)


def test_the_helper_gives_what_this_process_gives_in_the_order_asked(small_batches):
    schema = load_schema(REPO)
    here = worked_out(HelperProcess(schema, use_helper=False), jobs())
    helper = HelperProcess(schema, use_helper=True)
    assert helper.in_helper
    beside = worked_out(helper, jobs())
    assert helper.done_in_helper == len(jobs())
    assert beside == here
    verdicts, documents = here
    assert [uri for uri, _ in documents] == [f"fiches/fiche-{number}.md" for number in range(len(BODIES) * 3)]
    assert verdicts["fiches/fiche-0.md"] == ("empreinte-0", [])
    assert all(verdicts[f"fiches/fiche-{number}.md"][1] for number in (1, 2, 3, 4))  # each has its problem
    assert "Fiche 3 : l'essentiel" in html.unescape(documents[3][1]) and "data-pagefind-body" in documents[3][1]


def test_a_helper_that_dies_leaves_the_work_to_this_process(small_batches, caplog):
    schema = load_schema(REPO)
    expected = worked_out(HelperProcess(schema, use_helper=False), jobs())
    helper = HelperProcess(schema, use_helper=True)
    work = jobs()
    for job in work[:6]:
        (helper.judge if isinstance(job, Judgement) else helper.document)(job)
    helper._collect(wait=True)  # the first batches done: the helper is running
    for pid in list(helper._pool._processes):  # the executor's own record of its process
        os.kill(pid, signal.SIGKILL)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.fiches"):
        documents = helper.ready_documents()
        for job in work[6:]:
            (helper.judge if isinstance(job, Judgement) else helper.document)(job)
            documents += helper.ready_documents()
        helper.finish()
    documents += helper.ready_documents()
    assert (helper.verdicts, [(job.src_uri, document) for job, document in documents]) == expected
    assert not helper.in_helper
    assert "Processus auxiliaire arrêté" in caplog.text


def test_a_helper_that_cannot_start_leaves_the_work_to_this_process(monkeypatch):
    def refused(*args, **kwargs):
        raise OSError("pas de sémaphores")  # as on a system without process support

    monkeypatch.setattr(helper_process, "ProcessPoolExecutor", refused)
    schema = load_schema(REPO)
    helper = HelperProcess(schema, use_helper=True)
    assert not helper.in_helper
    assert worked_out(helper, jobs()) == worked_out(HelperProcess(schema, use_helper=False), jobs())


@pytest.mark.parametrize(
    "sheets, serving, setting, cpus, used",
    [
        (1000, False, None, 2, True),
        (1000, False, None, 1, False),  # one core: nothing to gain
        (100, False, None, 2, False),  # small site: starting it costs more than it saves
        (1000, True, None, 2, False),  # mkdocs serve
        (1000, False, "0", 2, False),
        (5, False, "1", 1, True),  # the setting wins over the number of cores
        (1000, True, "1", 2, False),
    ],
)
def test_the_helper_is_used_for_a_full_build_of_a_large_site(sheets, serving, setting, cpus, used):
    environ = {} if setting is None else {helper_process.THRESHOLD_ENV: setting}
    helper = HelperProcess.for_build(load_schema(REPO), sheets, serving, environ, cpus)
    try:
        assert helper.in_helper is used
    finally:
        helper.close()


@pytest.mark.parametrize("setting", ["beaucoup", "-1", "3.5"])
def test_a_setting_that_is_not_a_number_of_sheets_is_refused_in_french(setting):
    with pytest.raises(helper_process.SettingError, match=f"La variable FICHES_PROCESSUS_AUXILIAIRE vaut « {re.escape(setting)} »"):
        HelperProcess.for_build(load_schema(REPO), 1000, False, {helper_process.THRESHOLD_ENV: setting}, 2)


def test_a_build_with_a_wrong_setting_stops_with_the_french_message(tmp_path):
    site = copy_site(tmp_path / "src", EXAMPLE_SITE)
    result = run_mkdocs(site, "build", "--site-dir", str(tmp_path / "site"), env={"FICHES_PROCESSUS_AUXILIAIRE": "oui"})
    assert result.returncode == 1
    assert "La variable FICHES_PROCESSUS_AUXILIAIRE vaut « oui ». Donnez un nombre de fiches" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_build_with_the_helper_writes_the_same_site_and_stops_on_the_same_problems(tmp_path):
    site = copy_site(tmp_path / "src", EXAMPLE_SITE)
    with_helper, without = ({"FICHES_PROCESSUS_AUXILIAIRE": "1", "FICHES_CACHE": str(tmp_path / name)} for name in ("c1", "c2"))
    without["FICHES_PROCESSUS_AUXILIAIRE"] = "0"
    first = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "avec"), env=with_helper)
    assert first.returncode == 0, first.stderr
    assert re.search(r"Processus auxiliaire : \d+ vérifications et documents de recherche faits sur un autre cœur", first.stderr)
    second = run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / "sans"), env=without)
    assert second.returncode == 0, second.stderr
    assert "Processus auxiliaire" not in second.stderr
    # Pagefind's metadata file differs between any two builds: left out.
    assert [name for name in different_files(tmp_path / "avec", tmp_path / "sans") if not name.startswith("pagefind/")] == []

    sheet = site / "fiches/proteger-les-donnees.md"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\nAppelez le 06 12 34 56 78.\n", encoding="utf-8")
    failed = [
        run_mkdocs(site, "build", "--strict", "--site-dir", str(tmp_path / name), env={**env, "FICHES_CACHE": str(tmp_path / f"{name}-cache")})
        for name, env in (("avec-erreur", with_helper), ("sans-erreur", without))
    ]
    assert [result.returncode for result in failed] == [1, 1]
    errors = [[line for line in result.stderr.splitlines() if line.startswith("ERROR")] for result in failed]
    assert errors[0] == errors[1]
    assert any("fiches/proteger-les-donnees.md:" in line and "téléphone" in line for line in errors[0])
    assert not (tmp_path / "avec-erreur").exists()


def test_a_build_checks_the_files_its_cache_does_not_know_on_every_core(monkeypatch):
    """Before Pagefind starts, the other core is idle: `load_content` asks for
    one checking process per usable core (`corpus.check_files` decides, and
    checks in this process for a small site or in `mkdocs serve`)."""
    spec = importlib.util.spec_from_file_location("load_content_under_test", REPO / "hooks" / "load_content.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    asked = []

    def load(root, include_drafts, workers=1):
        asked.append(workers)
        return SimpleNamespace(include_drafts=False, sheets=[])

    monkeypatch.setattr(hook, "load_site_content", load)
    hook.on_config(SimpleNamespace(config_file_path=str(REPO / "mkdocs.yml")))
    assert asked == [None]
