"""The translator's loop: what changed in English since a translation's source_version, beside the
translation's text at each place (text, HTML or XLIFF 2.0 for a translation tool), and a returned XLIFF
written back into the translation file.

    sheet = compute(library, git, "SOP-CS-001", "es")          # soplib.translate.execute
    RENDERERS["text" | "html" | "xliff"](sheet, project)
    import_file(library, git, Path("SOP-CS-001.es.xlf"))         # all or nothing
"""
