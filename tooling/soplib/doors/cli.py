"""The `sop` command. Each command parses its options and hands over to the core; nothing else lives here."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from soplib.core.errors import SopError

if TYPE_CHECKING:
    from soplib.load.library import Library


class CommandError(click.ClickException):
    """A usage or environment problem: printed as one line, exit code 2."""

    exit_code = 2


class FailedCheck(CommandError):
    """The input was read and found wrong (lint errors before a build): exit code 1."""

    exit_code = 1


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SopError as error:
            failure = FailedCheck if getattr(error, "exit_code", 2) == 1 else CommandError
            raise failure(str(error)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if os.environ.get("SOP_DEBUG"):
                raise
            raise CommandError(
                f"internal error: {type(error).__name__}: {error} (set SOP_DEBUG=1 for details)"
            ) from None


def _say(message: str) -> None:
    """What a command says while it works (waiting for a lock, say): on stderr, apart from its result."""
    click.echo(message, err=True)


def _library(root: Path | None) -> Library:
    from soplib.load.library import load_library
    from soplib.load.project import Project

    return load_library(Project.discover(root or Path.cwd()))


def _emit(text: str, output: Path | None, library: Library, what: str) -> None:
    """Show `text`, or write it to `output` through the one writer, and say so."""
    if output is None:
        click.echo(text, nl=False)
        return
    from soplib.core.output import output_path, write_file

    replaced = write_file(output_path(output, library.project), text)
    click.echo(f"{what} written to {output}{' (replaced the file that was there)' if replaced else ''}")


root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The repository of the SOP library (default: found from the current folder).",
)


output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not the screen."
)
team_option = click.option(
    "--team", default=None, help="Only this team's SOPs, by name or code (customer-service or CS)."
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Tooling for the SOP library: lint, history, change log, diffs and the site."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True
)
@root_option
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Also check what changed since REF (branch, tag or commit): version bumps and change entries.",
)
def lint(paths: tuple[Path, ...], fmt: str, root: Path | None, base: str | None) -> None:
    """Check SOP files (default: the whole library). Exit 0: no errors; 1: errors; 2: usage error."""
    from soplib.lint.execute import execute
    from soplib.reporters import RENDERERS

    result = execute(root or Path.cwd(), paths, date.today(), base)
    click.echo(RENDERERS[fmt]().render(result))
    sys.exit(result.exit_code)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--check", is_flag=True, help="Do not write: list the files to format, exit 1 if there are any."
)
@root_option
def fmt(paths: tuple[Path, ...], check: bool, root: Path | None) -> None:
    """Fix what lint rejects and a formatter can fix (content not indented under its step). Files that need
    no change are not touched."""
    from soplib.fmt import execute

    click.echo(execute(root or Path.cwd(), paths, check), nl=False)


@cli.command("rules")
def rules_command() -> None:
    """List the lint rules with their ids and severities."""
    from soplib.lint.rules import RULES

    for rule in RULES.values():
        click.echo(f"{rule.id:30} {rule.severity.value:8} {rule.summary}")


site_dir_option = click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The built site: where `sop build` writes it, `sop search` reads it (default: site/).",
)


@cli.command()
@site_dir_option
@root_option
@click.option(
    "--preview",
    is_flag=True,
    help="An SME's preview: drafts shown, and built even when lint finds errors (they are printed).",
)
def build(site_dir: Path | None, root: Path | None, preview: bool) -> None:
    """Lint the library, then build the site (strict) in every language. Exit 1 on lint errors."""
    from soplib.site.execute import build_command

    click.echo(f"Site written to {build_command(root or Path.cwd(), site_dir, _say, preview)}")


@cli.command()
@click.option(
    "--docs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the tree (default: .sop-build/tree in the repository).",
)
@root_option
@click.option("--preview", is_flag=True, help="Drafts too, as an SME's preview shows them.")
def tree(docs_dir: Path | None, root: Path | None, preview: bool) -> None:
    """Write the site's decorated docs tree: every page in every language as Markdown, for any generator."""
    from soplib.site.execute import tree_command

    click.echo(f"Docs tree written to {tree_command(root or Path.cwd(), docs_dir, preview)}")


@cli.command()
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the preview (default: .sop-build/preview in the repository).",
)
@root_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve the site on.")
def serve(site_dir: Path | None, root: Path | None, dev_addr: str) -> None:
    """Build a preview of the site (drafts shown), serve it, and build it again on every save."""
    from soplib.site.execute import serve_command

    serve_command(root or Path.cwd(), site_dir, dev_addr, _say)


@cli.command()
@click.argument("sop_id")
@click.option("--lang", default=None, help="The language file to follow (default: English).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--at", metavar="VERSION", default=None, help="Print the file as it was at VERSION instead.")
@root_option
def history(sop_id: str, lang: str | None, fmt: str, at: str | None, root: Path | None) -> None:
    """Versions of one SOP from git: when each first appeared, who committed it, its type and summary."""
    from soplib import sop_history
    from soplib.repo.git import Git

    library = _library(root)
    report, past = sop_history.compute(library, Git(library.project.root), sop_id, lang)
    text = sop_history.text_at(report, library, past, at) if at else sop_history.RENDERERS[fmt](report)
    click.echo(text, nl=False)


@cli.command()
@click.option(
    "--since",
    metavar="DATE|REF",
    default=None,
    help="Only versions in force on or after DATE (YYYY-MM-DD), or newer than at REF (branch, tag, commit).",
)
@click.option("--lang", default=None, help="Language of titles and summaries (default: English).")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@output_option
@root_option
def changelog(since: str | None, lang: str | None, fmt: str, output: Path | None, root: Path | None) -> None:
    """Every version of every SOP by date of effect, team and SOP; the same repository, the same bytes."""
    from soplib import changelog
    from soplib.repo.git import Git

    library = _library(root)
    log = changelog.compute(library, Git(library.project.root), since, lang, date.today())
    _emit(changelog.RENDERERS[fmt](log), output, library, "Change log")


@cli.command()
@click.argument("query")
@click.option("--lang", type=click.Choice(["en", "es", "pt"]), default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@site_dir_option
@root_option
def search(query: str, lang: str, fmt: str, limit: int, site_dir: Path | None, root: Path | None) -> None:
    """Search the built site as the search box does (same index, same order)."""
    from soplib.search.execute import execute, render

    click.echo(render(execute(root or Path.cwd(), site_dir, query, lang, limit), fmt))


@cli.command()
@click.option(
    "--base", metavar="REF", required=True, help="Compare with REF (branch, tag or commit), e.g. main."
)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option(
    "--comment",
    metavar="PR",
    type=click.IntRange(1),
    default=None,
    help="Also post the report on pull request PR, or update the report posted there before (uses gh).",
)
@root_option
def report(base: str, fmt: str, comment: int | None, root: Path | None) -> None:
    """What a change does to each SOP: versions, change entries, translations left behind English."""
    from soplib import report as changes
    from soplib.repo.git import Git

    library = _library(root)
    found = changes.compute(library, Git(library.project.root), base)
    text = changes.RENDERERS[fmt](library.project).render(found)
    if comment is None:
        click.echo(text, nl=False)
        return
    from soplib.doors.github import post_report

    body = text if fmt == "md" else changes.RENDERERS["md"](library.project).render(found)
    click.echo(post_report(library.project.root, comment, body, base))


@cli.command()
@click.option("--check", is_flag=True, help="Do not write: exit 1 if .github/CODEOWNERS is out of date.")
@root_option
def owners(check: bool, root: Path | None) -> None:
    """Write .github/CODEOWNERS from the `owner` of every SOP (its file and its translations)."""
    from soplib.owners import execute

    click.echo(execute(root or Path.cwd(), check))


@cli.command()
@team_option
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="STATE",
    help="Only SOPs in this state (repeatable): stale, behind-wording, missing, overdue, due, draft …",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@root_option
def status(team: str | None, states: tuple[str, ...], fmt: str, root: Path | None) -> None:
    """Per SOP and language: current, behind (versions and days) or missing; review due; owner."""
    from soplib.load.library import load_library
    from soplib.load.project import Project
    from soplib.status import RENDERERS, status_of

    project = Project.discover(root or Path.cwd())
    found = status_of(project, load_library(project).state, date.today(), team, states)
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
    click.echo(RENDERERS[fmt](width).render(found), nl=False)


@cli.command()
@root_option
def mcp(root: Path | None) -> None:
    """Serve the library to AI assistants: a Model Context Protocol server on stdin and stdout (search, an
    SOP in force on a date, changes since a date, diffs). Read-only."""
    from soplib.doors.mcp import serve

    serve(root or Path.cwd())


@cli.command("new")
@click.option("--team", required=True, help="The team folder, e.g. customer-service (or its code, e.g. CS).")
@click.option("--title", required=True, help="The English title.")
@click.option("--slug", default=None, help="The file name without .md (default: made from the title).")
@click.option("--owner", default=None, help="@org/team (default: the owner of most of the team's SOPs).")
@root_option
def new_command(team: str, title: str, slug: str | None, owner: str | None, root: Path | None) -> None:
    """Create a new SOP in every language with the team's next free id; never overwrites a file."""
    from soplib.scaffold import execute

    click.echo(execute(root or Path.cwd(), team, title, slug, owner, date.today()), nl=False)


@cli.command()
@click.option(
    "--stale-days",
    type=click.IntRange(0),
    default=30,
    show_default=True,
    help="Remind of translations behind English for more than this many days.",
)
@click.option(
    "--review-days",
    type=click.IntRange(0),
    default=30,
    show_default=True,
    help="Remind of reviews due within this many days (0: only those past review_by).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--github",
    "on_github",
    is_flag=True,
    help="Open, update or close one issue per owner on GitHub (uses gh), instead of printing.",
)
@root_option
def reminders(stale_days: int, review_days: int, fmt: str, on_github: bool, root: Path | None) -> None:
    """What each owner must do: SOP reviews due, translations behind English for too long."""
    from soplib import reminders as due

    library = _library(root)
    found = due.compute(library, stale_days, review_days, date.today())
    if not on_github:
        click.echo(due.RENDERERS[fmt]().render(found, stale_days), nl=False)
        return
    from soplib.doors.github import post_reminders

    click.echo("\n".join(post_reminders(library.project.root, due.issues(found, stale_days))))


@cli.command()
@click.argument("sop_id")
@click.option("--from", "old", metavar="V", default=None, help="The older version (default: the one before).")
@click.option("--to", "new", metavar="V", default=None, help="The newer version (default: the current one).")
@click.option("--lang", default=None, help="en, es or pt: the text and the interface (default: en).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "html"]),
    default=None,
    help="text (default), md, or one printable html file (default with -o: from its extension).",
)
@output_option
@root_option
def diff(
    sop_id: str,
    old: str | None,
    new: str | None,
    lang: str | None,
    fmt: str | None,
    output: Path | None,
    root: Path | None,
) -> None:
    """What changed in one SOP between two versions: by section, step and word; moved steps as moved."""
    from soplib.diff.execute import FORMATS, RENDERERS, compute_diff
    from soplib.repo.git import Git

    library = _library(root)
    view = compute_diff(library, Git(library.project.root), sop_id, old, new, lang)
    fmt = fmt or (FORMATS.get(output.suffix.lower(), "text") if output else "text")
    colour = sys.stdout.isatty() and output is None and not os.environ.get("NO_COLOR")
    _emit(RENDERERS[fmt](replace(view, colour=colour)), output, library, f"Diff of {view.diff.sop_id}")


@cli.command()
@click.argument("sop_id", required=False)
@click.option("--lang", default=None, help="The translation to update: es or pt.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html", "xliff"]),
    default=None,
    help="text (default), one printable html file, or XLIFF 2.0 for a translation tool (default with -o: "
    "from its extension).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not the screen."
)
@click.option(
    "--import",
    "returned",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a translated XLIFF file (from --format xliff) into the translation; all or nothing.",
)
@root_option
def translate(
    sop_id: str | None,
    lang: str | None,
    fmt: str | None,
    output: Path | None,
    returned: Path | None,
    root: Path | None,
) -> None:
    """A translator's worksheet: each English change since the translation's source_version, beside the
    translation's text there; or, with --import, a translated XLIFF written back."""
    from soplib.repo.git import Git
    from soplib.translate.execute import FORMATS, RENDERERS, compute, import_file

    if returned is not None and (sop_id or lang or fmt or output):
        raise CommandError("--import FILE reads the SOP and the language from the file: give nothing else")
    if returned is None and not (sop_id and lang):
        raise CommandError("give an SOP id and --lang (es or pt), or --import FILE")
    library = _library(root)
    git = Git(library.project.root)
    if returned is not None:
        click.echo(import_file(library, git, returned))
        return
    assert sop_id is not None and lang is not None
    sheet = compute(library, git, sop_id, lang)
    fmt = fmt or (FORMATS.get(output.suffix.lower(), "text") if output else "text")
    what = f"Worksheet of {sheet.sop_id} ({sheet.lang})"
    _emit(RENDERERS[fmt](sheet, library.project), output, library, what)


@cli.command()
@click.argument("sop_ids", nargs=-1, metavar="[SOP-ID]...")
@team_option
@click.option("--lang", default=None, help="en, es or pt: the auditor's language (default: en).")
@click.option("--at", metavar="VERSION", default=None, help="The form of this version (one SOP).")
@click.option(
    "--on", metavar="DATE", default=None, help="The form of the version in force on DATE (a contact's date)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "csv", "json"]),
    default=None,
    help="html (default: printable), csv (Excel) or json (default with -o: from its extension).",
)
@output_option
@root_option
def scorecard(
    sop_ids: tuple[str, ...],
    team: str | None,
    lang: str | None,
    at: str | None,
    on: str | None,
    fmt: str | None,
    output: Path | None,
    root: Path | None,
) -> None:
    """The audit form of each SOP (default: all with a scorecard): each criterion, its step and its link on
    the site, fatal or not, for the version in force today, on a contact's date (--on) or at a version
    (--at)."""
    from soplib.audit import scorecard as audit
    from soplib.repo.git import Git

    library = _library(root)
    found = audit.compute(library, Git(library.project.root), sop_ids, team, lang, at, on, date.today())
    fmt = fmt or (audit.FORMATS.get(output.suffix.lower(), "html") if output else "html")
    count = len(found.forms)
    _emit(
        audit.RENDERERS[fmt](found), output, library, f"Scorecard of {count} SOP{'s' if count != 1 else ''}"
    )


@cli.command()
@click.option(
    "--since",
    metavar="DATE|REF",
    required=True,
    help="Ask about versions in force on or after DATE (YYYY-MM-DD), or newer than at REF (a branch, tag "
    "or commit).",
)
@team_option
@click.option("--lang", default=None, help="en, es or pt: the language of the questions (default: en).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "csv"]),
    default=None,
    help="html (default: printable, with the answer key) or csv (a learning platform; default with -o: "
    "from its extension).",
)
@output_option
@root_option
def quiz(
    since: str, team: str | None, lang: str | None, fmt: str | None, output: Path | None, root: Path | None
) -> None:
    """Knowledge-check questions from what changed: each changed number or time limit, each added or moved
    step, each check that became fatal; with the answer key. The same SOPs give the same questions."""
    from soplib.audit import quiz as knowledge
    from soplib.repo.git import Git

    library = _library(root)
    found = knowledge.compute(library, Git(library.project.root), since, lang, team, date.today())
    fmt = fmt or (knowledge.FORMATS.get(output.suffix.lower(), "html") if output else "html")
    count = len(found.questions)
    what = f"Knowledge check of {count} question{'s' if count != 1 else ''}"
    _emit(knowledge.RENDERERS[fmt](found), output, library, what)


@cli.command("calibration-pack")
@click.option(
    "--since",
    metavar="DATE|REF",
    required=True,
    help="Versions in force on or after DATE (YYYY-MM-DD), or newer than at REF (branch, tag, commit).",
)
@click.option("--until", metavar="DATE|REF", default=None, help="Versions in force up to DATE, or at REF.")
@click.option("--lang", default=None, help="en, es or pt: the language of the pack (default: en).")
@team_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The HTML file to write.",
)
@root_option
def calibration_pack(
    since: str, until: str | None, lang: str | None, team: str | None, output: Path, root: Path | None
) -> None:
    """One printable HTML file for a calibration session: every SOP changed in the period and its diff."""
    from soplib.diff.execute import compute_pack
    from soplib.diff.pack import render_pack
    from soplib.repo.git import Git

    library = _library(root)
    pack = compute_pack(library, Git(library.project.root), since, until, lang, team, date.today())
    count = len(pack.items)
    what = f"Calibration pack of {count} SOP{'s' if count != 1 else ''} changed"
    _emit(render_pack(pack, library.project), output, library, what)


def main() -> None:
    cli(prog_name="sop")
