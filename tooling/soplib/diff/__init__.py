"""Trainer diffs: what changed between two versions of an SOP, by section, step and word; calibration packs.

    texts = Texts(library, read_history(Git(project.root), project))   # one history read
    old, new = select(texts, "SOP-CS-001", "es", None, None)            # previous version -> current
    diff = build(texts, "SOP-CS-001", "es", old, new)                   # plain data (soplib.diff.model)
    render_text(diff, project, "es") / render_markdown(...) / render_document(...)  # or render_fragment

The site calls `version_diff_html` (soplib.diff.execute) for each version in an SOP's history.
"""
