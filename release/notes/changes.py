"""What a version's release notes need, as values: the notes step plans them as file actions and
the release PR (prepare) commits them, so both make the same notes.

X.Y.0 and its release candidates get towncrier's rendering of the fragments (which it consumes)
and, when missing, the notes file from the repository's template; a patch release gets the
hand-written notes' skeleton. Either way the release-notes index gets its entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from release.checks.notes import bad_fragments_error, outside_range, range_numbers
from release.checks.preflight import require_series
from release.checks.result import CheckResult
from release.config import Config
from release.errors import PreconditionError, UsageError
from release.notes.fragments import (
    Fragment,
    Rendered,
    Towncrier,
    fragment_names,
    load_towncrier,
    missed_fragments,
    render,
    unreadable_fragments,
    validate,
)
from release.notes.index import add_entry, entry_target
from release.notes.skeleton import feature_skeleton, patch_skeleton, python_range
from release.repo.revision_range import resolve
from release.services.git import GitService
from release.templating import profile_search
from release.version import ReleaseVersion


@dataclass(frozen=True)
class NotesChanges:
    notes: str                      # the notes file (relative to the repository)
    skeleton: str | None            # its first text, when it does not exist yet
    towncrier: Towncrier
    rendered: Rendered | None       # towncrier's output and the fragments it consumes
    output_ignored: bool            # git ignores towncrier's output (NumPy does): it is not staged
    tracked_fragments: tuple[str, ...]  # consumed fragments git tracks (removed with `git rm`)
    index: tuple[str, str] | None   # the release-notes index (path, text) with the new entry
    remarks: tuple[str, ...]        # what the release manager should know
    warnings: tuple[CheckResult, ...] = ()  # fragments that look wrong (said as they are found)


def changes(repo: Path, git: GitService, config: Config, version: ReleaseVersion, notes: str,
            say: Callable[[str], None]) -> NotesChanges:
    """The changes `version`'s notes (at `notes`) need; every check before anything is made."""
    if version.is_dev:
        raise UsageError(f"{version} is a development version; notes are made for releases",
                         hint=f"use {version.base}rc1 or {version.base}")
    pyproject_file = repo / config.pyproject
    pyproject = pyproject_file.read_text(encoding="utf-8") if pyproject_file.is_file() else None
    require_series(version, pyproject, config.pyproject)
    assert pyproject is not None  # require_series stops at a missing file
    tc = load_towncrier(repo, config.pyproject)
    good, bad = validate(tc, fragment_names(tc))
    if bad:
        raise bad_fragments_error(tc, bad)
    problem = (missed_fragments(tc, git.tracked_files(), good, not version.is_patch)
               or unreadable_fragments(tc, good))
    if problem:
        raise problem
    warnings = _warn_outside_range(git, config, version, good, say)
    skeleton: str | None
    rendered: Rendered | None = None
    remarks: list[str] = []
    if version.is_patch:
        skeleton = _patch_skeleton(repo, git, config, version, notes, pyproject)
        if good:
            remarks.append(f"{len(good)} fragments in {tc.directory} are not used for a patch "
                           "release; copy what belongs into the notes by hand")
    else:
        skeleton = _feature_skeleton(repo, config, version, notes)
        rendered = render(tc, version.base)
        if not rendered.files:
            remarks.append(f"no fragments in {tc.directory}; {tc.output} is left as it is")
            rendered = None
    ignored = rendered is not None and git.ok(["check-ignore", "--quiet", "--", tc.output])
    tracked: tuple[str, ...] = ()
    if rendered is not None:
        listed = set(git.tracked_files(rendered.files))
        tracked = tuple(path for path in rendered.files if path in listed)
    return NotesChanges(notes, skeleton, tc, rendered, ignored, tracked,
                        _index(repo, config, version, notes), tuple(remarks), tuple(warnings))


@dataclass(frozen=True)
class HandWritten:
    text: str                      # the notes to fill: the file, or the patch skeleton
    current: str | None            # the file as it is (None: missing)
    index: tuple[str, str] | None  # the release-notes index with the new entry


def hand_written(repo: Path, git: GitService, config: Config, version: ReleaseVersion,
                 notes: str) -> HandWritten:
    """Notes without towncrier: the file, or a patch release's skeleton; X.Y.0 notes are
    written by hand on the main branch before the series branches, so they must exist."""
    if version.is_dev:
        raise UsageError(f"{version} is a development version; notes are made for releases",
                         hint=f"use {version.base}rc1 or {version.base}")
    pyproject_file = repo / config.pyproject
    pyproject = pyproject_file.read_text(encoding="utf-8") if pyproject_file.is_file() else None
    require_series(version, pyproject, config.pyproject)
    assert pyproject is not None
    path = repo / notes
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    text = current
    if text is None and version.is_patch:
        text = _patch_skeleton(repo, git, config, version, notes, pyproject)
    if text is None:
        raise PreconditionError(f"{notes} does not exist",
                                hint=f"write the {version.base} notes (they start on the main branch)")
    return HandWritten(text, current, _index(repo, config, version, notes))


def _warn_outside_range(git: GitService, config: Config, version: ReleaseVersion,
                        good: Sequence[Fragment], say: Callable[[str], None]) -> list[CheckResult]:
    if not good:
        return []
    try:
        span = resolve(git, config, version)
    except PreconditionError as exc:
        say(f"warning: cannot check the fragments' PRs: {exc.message}")
        return [CheckResult.warn("fragments", "pull requests",
                                 f"cannot check the fragments' PRs: {exc.message}", exc.hint or "")]
    warnings = []
    for fragment in outside_range(good, range_numbers(git, span)):
        say(f"warning: {fragment.name}: PR #{fragment.pr} is not merged in {span}")
        warnings.append(CheckResult.warn(
            "fragments", "pull requests", f"{fragment.name}: PR #{fragment.pr} is not merged in {span}",
            "check the fragment's number: a fragment of a pull request outside the release "
            "belongs to another release", file=f"{config.fragments_dir}/{fragment.name}"))
    return warnings


def _feature_skeleton(repo: Path, config: Config, version: ReleaseVersion, notes: str) -> str | None:
    if (repo / notes).exists():
        return None
    template = config.notes_template
    text = (repo / template).read_text(encoding="utf-8") if (repo / template).is_file() else None
    if text is None:
        raise PreconditionError(f"{notes} is missing and so is the template {template}",
                                hint=f"create {notes} by hand or add {template}")
    return feature_skeleton(text, project=config.project, version=version.base, where=template)


def _patch_skeleton(repo: Path, git: GitService, config: Config, version: ReleaseVersion,
                    notes: str, pyproject: str) -> str | None:
    if (repo / notes).exists():
        return None
    previous = version.previous_release(git.tags(), config.tag_format)
    if previous is None:
        raise PreconditionError(f"no release tag older than {version} to name in the notes",
                                hint=f"fetch the tags: git fetch {config.upstream_remote} --tags")
    python = python_range(pyproject)
    if python is None:
        raise PreconditionError(f"{config.pyproject} has no `Programming Language :: Python :: "
                                "3.N` classifiers to take the Python range from",
                                hint="add the classifiers")
    return patch_skeleton(project=config.project, package=config.package, version=str(version),
                          previous=str(previous), python=python,
                          search=profile_search(config.profile, repo, config.templates))


def _index(repo: Path, config: Config, version: ReleaseVersion, notes: str) -> tuple[str, str] | None:
    index = config.release_index
    path = repo / index
    if not path.is_file():
        raise PreconditionError(f"the release-notes index {index} does not exist",
                                hint="check release_index in [tool.release]")
    text = path.read_text(encoding="utf-8")
    updated = add_entry(text, version.base, entry_target(index, notes), where=index,
                        style=config.index_entry)
    return (index, updated) if updated != text else None
