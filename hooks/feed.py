"""Publish feed.xml, the Atom feed of published and updated sheets.

MkDocs event: on_files, once hooks/load_content.py has read the sheets: the
feed joins the site as a generated file (`fiches_kb.feed`). Every page's
<head> links to it (overrides/main.html), and so does the home page.
"""

from __future__ import annotations

from mkdocs.structure.files import File, InclusionLevel

from fiches_kb.build import BUILD
from fiches_kb.feed import FEED_FILE, feed_xml


def on_files(files, config):
    xml = feed_xml(BUILD.content, config.site_name, config.site_url)
    files.append(File.generated(config, FEED_FILE, content=xml, inclusion=InclusionLevel.NOT_IN_NAV))
    return files
