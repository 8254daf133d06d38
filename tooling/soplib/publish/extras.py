"""What the site publishes in one language beside its pages, written into the built site as it is: each
SOP's audit scorecard (soplib.publish.scorecards) and the data of the "What's new for me" page
(soplib.publish.whatsnew). The files for assistants, in every language, are soplib.publish.copies's."""

from __future__ import annotations

from datetime import date

from soplib import changelog
from soplib.core.state import SopState
from soplib.diff.sources import Texts
from soplib.publish.changes import DiffUrl
from soplib.publish.scorecards import scorecard_pages
from soplib.publish.whatsnew import whatsnew_data


def language_files(
    texts: Texts,
    states: list[SopState],
    entries: list[changelog.Change],
    lang: str,
    today: date,
    diff_url: DiffUrl,
) -> dict[str, str]:
    """Site path -> text. `entries`: the change log in `lang`; `diff_url`: the diff page of a version, if it
    has one."""
    return {
        **scorecard_pages(texts, states, lang),
        **whatsnew_data(texts.project, states, entries, lang, today, diff_url),
    }
