"""Every lint rule: a stable id, its severity and what it checks. Severity is decided here and only here."""

from __future__ import annotations

from dataclasses import dataclass

from soplib.core.model import Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        # files and YAML
        Rule("file-unreadable", E, "the file cannot be read"),
        Rule("file-encoding", E, "the file is not UTF-8"),
        Rule("file-bom", E, "the file starts with a byte-order mark"),
        Rule("file-line-endings", E, "the file mixes line endings"),
        Rule("file-tabs", E, "tabs used for indentation"),
        Rule("front-matter-missing", E, "no front matter at the top of the file"),
        Rule("front-matter-unclosed", E, "the front matter has no closing ---"),
        Rule("front-matter-not-mapping", E, "the front matter is not a set of key: value fields"),
        Rule("yaml-syntax", E, "the front matter is not valid YAML"),
        Rule("yaml-duplicate-key", E, "a front-matter key is set twice"),
        Rule("yaml-depth", E, "the front matter is nested deeper than 20 levels"),
        Rule("merge-conflict", E, "a git merge-conflict marker (<<<<<<<, =======, >>>>>>>) left in the file"),
        # what else is under sops/ (the site publishes only SOPs and attachments, never through a link)
        Rule("file-symlink", E, "a symbolic link under sops/: never read or published"),
        Rule("file-not-published", W, "a file under sops/ that the site does not publish"),
        Rule("attachment-content", E, "an image or PDF whose content is not what its name says"),
        # the front-matter contract
        Rule("schema", E, "a front-matter field breaks schemas/sop.schema.json"),
        # identity
        Rule("id-language-suffix", E, "the file's language suffix is not a language of the library"),
        Rule("id-unique", E, "two SOPs share one id"),
        Rule("id-consistent", E, "the language files of one SOP carry different ids"),
        Rule("id-team-code", E, "the id's team code does not match `team`"),
        Rule("id-team-folder", E, "the SOP is not in the folder of its team"),
        Rule("superseded-by-unknown", E, "`superseded_by` names an SOP that does not exist"),
        # body structure
        Rule("structure-sections", E, "required H2 sections missing, unknown or out of order"),
        Rule("structure-procedure", E, "the procedure is not one numbered list: 1, 2, 3 …"),
        Rule("structure-step-content", E, "content meant for a step is not indented under it"),
        Rule("markdown-nesting", E, "lists or quotes nested too deep"),
        # links
        Rule("link-target", E, "a relative link points to a file that does not exist"),
        Rule("link-anchor", E, "a #anchor points to a heading that does not exist"),
        # security
        Rule("html-unsafe", E, "script-capable HTML: <script>, <iframe>, <object>, on*= attributes …"),
        Rule("html-not-allowed", E, "raw HTML outside the safelist, or a heading anchor of the theme (#__…)"),
        Rule("url-unsafe", E, "a URL of another scheme than http(s), mailto or tel (javascript:, data: …)"),
        Rule("published-html", E, "a built page carries HTML, script or a URL outside the site's allowlist"),
        Rule("invisible-character", W, "a bidi control or zero-width character in the text"),
        # translations
        Rule("translation-missing", W, "an English SOP has no file in a library language"),
        Rule("translation-stale", W, "a translation lacks an English version that changes what agents do"),
        Rule("translation-wording", W, "a translation lacks English versions that only reword it"),
        Rule("translation-title", W, "a translation's title is the English title"),
        Rule("translation-orphan", E, "a translation without its English SOP"),
        Rule("translation-inherited-field", E, "a translation sets a field that is inherited from English"),
        Rule("translation-source-version", E, "source_version is not a version of the English SOP"),
        Rule("terminology", W, "a translation uses a variant the glossary forbids"),
        # the audit scorecard (the Quality checks table)
        Rule("scorecard-columns", E, "the scorecard table has no step or no scoring column"),
        Rule("scorecard-step", E, "a check points at no step, or its step is not step numbers"),
        Rule("scorecard-step-unknown", E, "a check scores a step the procedure does not have"),
        Rule("scorecard-scoring", E, "a check's scoring is neither fatal nor standard"),
        Rule("scorecard-check", E, "a check without a name, or two checks with one name (one criterion id)"),
        Rule(
            "scorecard-translation",
            E,
            "a current translation's scorecard has other checks or steps than English",
        ),
        Rule("scorecard-fatal", E, "a translation marks a check fatal that English does not, or the reverse"),
        # what a published SOP must have
        Rule("placeholder-text", E, "a published SOP still holds the placeholder text of `sop new`"),
        Rule("effective-date", E, "effective_date is not the date of the newest `changes` entry"),
        Rule("metadata-empty", W, "an active SOP has no kpis or no tags"),
        # review and change entries
        Rule("review-overdue", W, "review_by is in the past"),
        Rule("changes-current-version", E, "`changes` does not start with the current version"),
        Rule("changes-order", E, "`changes` is not newest first, or repeats a version"),
        # changes since a base (sop lint --base REF)
        Rule("version-not-bumped", E, "the SOP changed since the base but `version` did not go up"),
        Rule("version-decreased", E, "`version` is lower than at the base"),
        Rule("changes-entry-removed", E, "a `changes` entry that was there at the base is gone"),
        Rule("change-type-bump", W, "a change entry's type does not fit its version bump"),
        Rule("change-type-figures", W, "numbers or time limits changed under an editorial or clarification"),
        Rule("translation-source-decreased", E, "a translation's source_version is lower than at the base"),
    ]
}
