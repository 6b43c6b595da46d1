"""Give every sheet a permanent address: /id/<identifiant>/ leads to it.

MkDocs event: on_files, after load_content.py has added the sheets. Each
redirect is a small generated HTML page rendered from
`overrides/redirection.html`. (mkdocs-redirects was considered: its page is
in English and relies on an inline script that our Content-Security-Policy
forbids, so a French, script-free template is used instead.)
"""

from __future__ import annotations

import posixpath

from mkdocs.structure.files import File, InclusionLevel

from fiches_kb.build import BUILD


def on_files(files, config):
    content = BUILD.content
    template = config.theme.get_env().get_template("redirection.html")
    for sheet in content.sheets:
        src_uri = f"id/{sheet.id}/index.html"
        target = posixpath.relpath(content.url(sheet), posixpath.dirname(src_uri)) + "/"
        html = template.render(fiche=sheet, cible=target, config=config)
        files.append(File.generated(config, src_uri, content=html, inclusion=InclusionLevel.NOT_IN_NAV))
    return files
