"""Addresses that lead to a sheet: its permanent address /id/<identifiant>/
and the old addresses of a renamed or moved sheet (anciennes-adresses.yml).

MkDocs events:
- on_files, after load_content.py has added the sheets. Each
redirect is a small generated HTML page rendered from
`overrides/redirection.html`. (mkdocs-redirects was considered: its page is
in English and relies on an inline script that our Content-Security-Policy
forbids, so a French, script-free template is used instead.) Old addresses
are read and checked with the content (`fiches_kb.renames`); one whose
sheet is not in this build (a draft) is left out.
- on_serve: `mkdocs serve` rebuilds when anciennes-adresses.yml changes.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.structure.files import File, InclusionLevel

from fiches_kb.build import BUILD
from fiches_kb.renames import OLD_ADDRESSES_FILE


def on_files(files, config):
    content = BUILD.content
    template = config.theme.get_env().get_template("redirection.html")
    redirects = [(f"id/{sheet.id}/index.html", sheet, False) for sheet in content.sheets]
    for address in content.corpus.old_addresses:
        sheet = content.by_id(address.id)
        if sheet is not None:
            redirects.append((f"{address.url}index.html", sheet, True))
    for src_uri, sheet, old in redirects:
        target = posixpath.relpath(content.url(sheet), posixpath.dirname(src_uri)) + "/"
        html = template.render(fiche=sheet, cible=target, ancienne_adresse=old, config=config)
        files.append(File.generated(config, src_uri, content=html, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def on_serve(server, config, builder):
    # Not in mkdocs.yml's `watch:`, which refuses a path that does not exist.
    old_addresses = Path(config.config_file_path).parent / OLD_ADDRESSES_FILE
    if old_addresses.is_file():
        server.watch(str(old_addresses))
    return server
