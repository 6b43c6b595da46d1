"""feed.xml: an Atom feed of the published sheets, newest update first, so
that schools and readers learn when a sheet is published or updated.

feedgen writes the Atom (it is the well-kept library for that). Each entry
is identified by the sheet's permanent address, which never changes; its
date is the sheet's last update, and its content says its status and
summary. Addresses are absolute when the site's address is set (SITE_URL):
feed readers need it, and a build without it says so already.
Nothing here imports MkDocs.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from feedgen.feed import FeedGenerator

from .site import SiteContent

FEED_FILE = "feed.xml"
FEED_TITLE_SUFFIX = " : fiches publiées et mises à jour"
MAX_ENTRIES = 50


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)


def feed_xml(content: SiteContent, site_name: str, site_url: str | None) -> bytes:
    base = site_url.rstrip("/") + "/" if site_url else "/"
    sheets = sorted(content.sheets, key=lambda s: (s.updated, s.id), reverse=True)[:MAX_ENTRIES]
    feed = FeedGenerator()
    feed.id(base + FEED_FILE)
    feed.title(site_name + FEED_TITLE_SUFFIX)
    feed.language("fr")
    feed.link(href=base, rel="alternate")
    feed.link(href=base + FEED_FILE, rel="self")
    feed.rights(content.schema.licence.name)
    feed.updated(_moment(sheets[0].updated) if sheets else _moment(date(2000, 1, 1)))
    for sheet in reversed(sheets):  # feedgen puts the last added first
        entry = feed.add_entry()
        permanent = f"{base}id/{sheet.id}/"
        entry.id(permanent)
        entry.title(sheet.title)
        entry.link(href=permanent, rel="alternate")
        entry.published(_moment(sheet.created))
        entry.updated(_moment(sheet.updated))
        entry.summary(f"{sheet.type.label}, {sheet.status.label.lower()} : {sheet.summary}")
        for term in sheet.themes:
            entry.category(term=term.key, label=term.label)
    return feed.atom_str(pretty=True)
