"""soplib.assistant without the protocol: the site's address from mkdocs.yml, ids typed loosely."""

from __future__ import annotations

from datetime import date

import pytest

from sop_trees import Tree
from soplib.assistant import Context, site_base_url
from soplib.assistant.sops import get_sop
from soplib.core.errors import SopError

CONFIG = """\
site_name: SOP library
site_url: https://sops.example.org/library
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
extra:
  analytics: !ENV [ANALYTICS, none]
"""


def test_urls_are_absolute_when_mkdocs_yml_has_a_site_url(tree: Tree) -> None:
    assert site_base_url(tree.root) == ""  # no mkdocs.yml: relative to the site's root
    tree.write("mkdocs.yml", CONFIG)
    assert site_base_url(tree.root) == "https://sops.example.org/library/"
    tree.add_sop()
    answer = get_sop(Context.open(tree.root, date(2026, 11, 22)), "apl-1", "pt")
    assert answer.url == "https://sops.example.org/library/pt/appeals/seller-appeal/"
    assert answer.markdown().startswith("---\nid: SOP-APL-001\ntitle: Apelação de um vendedor")


def test_an_unknown_id_suggests_the_closest(tree: Tree) -> None:
    tree.add_sop()
    with pytest.raises(SopError, match="did you mean SOP-APL-001"):
        get_sop(Context.open(tree.root, date(2026, 11, 22)), "SOP-APL-0011", None)
