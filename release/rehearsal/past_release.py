"""A release that already happened, as a yardstick for rehearsing it again.

What the real release commit changed is read from the user's checkout before the scratch copy is
rewound (`release.rehearsal.scratch.Rewind`). Two uses: the release manager's hand edits (files the toolkit
does not write for that release, e.g. NumPy 2.5.2's `.mailmap` lines and a deleted misnamed
fragment) are replayed on the release-PR branch before `prepare`, as the answers to the mailmap
issue and the fixes a human made; and after the tag, the rehearsal's release commit is compared
with the real one (files, the changelog's Contributors and pull requests, the version line).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from release.changelog.authors import authors
from release.changelog.compute import decisions
from release.changelog.counts import read_notes_credits
from release.changelog.explain import Decision, against_published
from release.checks.result import CheckResult
from release.config import Config
from release.notes.index import entry_target, has_entry
from release.rehearsal.runner import Said
from release.rehearsal.scratch import Rewind
from release.repo.revision_range import RevisionRange, infer_start
from release.services.git import GitService
from release.templating import render
from release.version import ReleaseVersion

_PULL_LINE = re.compile(r"^\* `#(\d+) <[^>]*>`__: (.*)$")
_VERSION_LINE = re.compile(r"^version\s*=.*$", re.M)


@dataclass(frozen=True)
class RealRelease:
    """The real release commit of `version`, read from the checkout that has its tag."""

    version: ReleaseVersion
    rewind: Rewind
    files: tuple[str, ...]  # every path the real release commit changed
    hand_paths: tuple[str, ...]  # those the toolkit does not write for this release
    hand_patch: str  # their diff, for `git apply`
    changelog: str | None  # the published changelog, when it can be found
    changelog_from: str
    version_line: str | None
    absent: tuple[str, ...] = ()  # toolkit-written paths missing from the tagged tree
    on_main: tuple[tuple[str, bool], ...] = ()  # what post-release brings to main: there already?
    notes: str | None = None  # the published notes at the tag (credits = "authors": the credits)

    @classmethod
    def read(cls, git: GitService, cfg: Config, version: ReleaseVersion, rewind: Rewind,
             changelog_file: Path | None = None) -> RealRelease:
        before, after = rewind.parent, rewind.tagged
        files = tuple(git.run(["diff", "--name-only", before, after, "--"]).split("\n"))
        files = tuple(path for path in files if path)
        written = _toolkit_paths(cfg, version)
        hand = tuple(path for path in files if not _under(path, written))
        patch = git.run(["diff", "--binary", before, after, "--", *hand]) if hand else ""
        changelog_path = _path(cfg.changelog, version)
        changelog: str | None
        if changelog_file is not None:
            changelog, where = changelog_file.read_text(encoding="utf-8"), str(changelog_file)
        else:
            changelog, where = git.show_file(after, changelog_path), f"{rewind.tag}:{changelog_path}"
        absent = tuple(path for path in _toolkit_paths(cfg, version)
                       if not git.ok(["cat-file", "-e", f"{after}:{path}"]))
        pyproject = git.show_file(after, cfg.pyproject) or ""
        line = _VERSION_LINE.search(pyproject)
        return cls(version, rewind, files, hand, patch, changelog, where,
                   line.group(0) if line else None, absent, _on_main(git, cfg, version),
                   git.show_file(after, _path(cfg.notes, version)))


def _on_main(git: GitService, cfg: Config, version: ReleaseVersion) -> tuple[tuple[str, bool], ...]:
    """Main is not rewound: which of the files post-release brings there it holds already."""
    if not version.is_final or not git.has_ref(cfg.main_branch):
        return ()
    main = cfg.main_branch
    notes, changelog = _path(cfg.notes, version), _path(cfg.changelog, version)
    index = git.show_file(main, cfg.release_index) or ""
    credits = () if cfg.credits == "authors" else (
        (changelog, git.show_file(main, changelog) is not None),)
    return ((notes, git.show_file(main, notes) is not None), *credits,
            (f"{cfg.release_index} entry", has_entry(index, entry_target(cfg.release_index, notes))))


def _toolkit_paths(cfg: Config, version: ReleaseVersion) -> tuple[str, ...]:
    """What prepare writes for this release (a patch release leaves the fragments to a human)."""
    paths = (_path(cfg.changelog, version),
             _path(cfg.notes, version), cfg.release_index, cfg.pyproject)
    return paths + ((cfg.fragments_dir,) if not version.is_patch else ())


def _path(pattern: str, version: ReleaseVersion) -> str:
    """A config path with `{version}` as the release's base version (rc -> X.Y.0), as steps do."""
    return pattern.format(**{**version.fields(), "version": version.base})


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def replay_hand_edits(real: RealRelease, git: GitService, base: str, branch: str,
                      patch_file: Path) -> str:
    """Start the release-PR branch with the real release commit's hand edits, committed."""
    if branch == base:  # the REL commit lands on the branch itself (rel_commit = "direct")
        git.run(["checkout", "--quiet", branch])
    elif git.ok(["rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"]):  # a resumed run
        git.run(["checkout", "--quiet", branch])
        return f"on {branch}, which an earlier run started"
    else:
        git.run(["checkout", "--quiet", "-b", branch, base])
    if not real.hand_paths:
        return f"on {branch}; the real {real.rewind.tag} commit has no hand edits to replay"
    patch_file.write_text(real.hand_patch, encoding="utf-8")
    git.run(["apply", "--index", str(patch_file)])
    message = render("commit-hand-edits.txt.j2", tag=real.rewind.tag, paths=real.hand_paths)
    git.run(["commit", "--quiet", "--no-verify", "-m", message])
    listed = "\n".join(f"  {path}" for path in real.hand_paths)
    return (f"on {branch}: committed what the real {real.rewind.tag} commit changed by hand "
            f"(files the toolkit does not write):\n{listed}")


def compare(real: RealRelease, git: GitService, cfg: Config) -> Said:
    """The rehearsal's release (its PR's commits, up to its tag) against the real one: differing
    Contributors or version line fail it, pull requests only one changelog lists are a warning;
    each is a finding with its file."""
    tag = real.rewind.tag
    ours = [path for path in git.run(["diff", "--name-only", real.rewind.parent, tag, "--"])
            .split("\n") if path]
    lines = [f"the rehearsal's {tag} against the real one ({real.rewind.tagged[:12]}):"]
    lines += _files(ours, real.files, real.absent, tag)
    problems: list[CheckResult] = []
    span = RevisionRange(infer_start(git, cfg, real.version), tag)
    changelog_path = _path(cfg.changelog, real.version)
    if cfg.credits == "authors":
        credits: list[str] = []
        lines += compare_credits(git, cfg, real, span, credits)
        problems += [CheckResult.fail("compare", "authors", problem, "check .mailmap and the release "
                                      "range: the published Authors are what the real release gave",
                                      file=_path(cfg.notes, real.version)) for problem in credits]
    else:
        generated = git.show_file(tag, changelog_path) or ""
        lines += _changelogs(generated, real, problems, decisions(git, cfg, span, real.version),
                             changelog_path)
    our_line = _VERSION_LINE.search(git.show_file(tag, cfg.pyproject) or "")
    ours_text = our_line.group(0) if our_line else None
    if ours_text == real.version_line:
        lines.append(f"{cfg.pyproject} version line: identical ({ours_text})")
    else:
        problems.append(CheckResult.fail(
            "compare", "version line", f"{cfg.pyproject} version line: {ours_text!r}, the real "
            f"one {real.version_line!r}", "look at how the version is set before the real release",
            file=cfg.pyproject))
    if real.on_main:
        lines.append(_main_line(real.on_main, cfg.main_branch))
    said = [f"{p.status.value}: {p.detail}" for p in problems]
    return Said("\n".join([*said, *lines]), tuple(problems))


def compare_credits(git: GitService, cfg: Config, real: RealRelease, span: RevisionRange,
                    problems: list[str]) -> list[str]:
    """Credits kept in the notes (SciPy): the Authors the toolkit computes for the rehearsed
    release (up to its REL commit) against the published list (names, `+` and order must agree;
    counts are reported, since SciPy takes its list before the release's last commits), and the
    pull requests listed."""
    notes = _path(cfg.notes, real.version)
    if real.notes is None:
        return [f"no published notes at {real.rewind.tag}:{notes}: Authors not compared"]
    published = read_notes_credits(real.notes, f"{real.rewind.tag}:{notes}")
    # the list goes into the notes before the REL commit (whose committer is whoever rehearses)
    before = f"{span.end}^" if cfg.rel_commit == "direct" else span.end
    mailmap = git.show_file(span.end, cfg.mailmap) or ""
    people = authors(git, span.start, before, mailmap, cfg.credits_not_people)
    ours = [(p.display, p.first_time, p.commits) for p in people]
    theirs = [_listed_author(line) for line in published.contributors]
    lines = []
    if cfg.credits_not_people:
        kept = {p.name for p in people}
        left_out = [p.display for p in authors(git, span.start, before, mailmap) if p.name not in kept]
        if left_out:
            lines.append(f"Authors: {', '.join(left_out)} left out as not people "
                         "(credits_not_people; SciPy's tools/authors.py lists them)")
    if [(n, plus) for n, plus, _ in ours] == [(n, plus) for n, plus, _ in theirs]:
        lines.append(f"Authors: the same {len(ours)} names, `+` marks and order as published")
        counts = [f"{n} {c} (published {pc})" for (n, _, c), (_, _, pc) in zip(ours, theirs, strict=True)
                  if c != pc]
        if counts:
            lines.append("Authors' commit counts differ (SciPy's list is taken before the release's "
                         f"last commits): {', '.join(counts)}")
    else:
        missing = sorted({n for n, _, _ in theirs} - {n for n, _, _ in ours})
        extra = sorted({n for n, _, _ in ours} - {n for n, _, _ in theirs})
        problems.append(f"Authors differ from the published list: only published {missing or '-'}, "
                        f"only the rehearsal's {extra or '-'} (or marks and order)")
    rehearsed = read_notes_credits(git.show_file(span.end, notes) or "", f"{span.end}:{notes}")
    if rehearsed.pulls == published.pulls:
        lines.append(f"pull requests: the same {published.pull_count} as published")
    else:
        problems.append(f"pull requests differ: {rehearsed.pull_count} listed at the rehearsal's tag, "
                        f"{published.pull_count} published")
    return lines


def _listed_author(line: str) -> tuple[str, bool, int]:
    """`Name (12) +` -> ("Name", True, 12)."""
    plus = line.endswith(" +")
    name, _, count = line.removesuffix(" +").rpartition(" (")
    return name, plus, int(count.rstrip(")") or 0)


def _main_line(on_main: tuple[tuple[str, bool], ...], main: str) -> str:
    has = [what for what, there in on_main if there]
    lacks = [what for what, there in on_main if not there]
    return (f"{main} (not rewound) already has {', '.join(has) or 'none of it'}"
            + (f"; post-release adds {', '.join(lacks)}" if lacks else "; post-release has "
               "nothing to add unless the rehearsal's files differ"))


def _files(ours: list[str], real: tuple[str, ...], absent: tuple[str, ...], tag: str) -> list[str]:
    both = sorted(set(ours) & set(real))
    lines = [f"files changed by both: {', '.join(both) or 'none'}"]
    if only_real := sorted(set(real) - set(ours)):
        lines.append(f"only the real release commit changed: {', '.join(only_real)}")
    if only_ours := sorted(set(ours) - set(real)):
        missing = [path for path in only_ours if path in absent]
        lines.append(f"only the rehearsal changed: {', '.join(only_ours)}" + (
            f" ({', '.join(missing)}: not in this checkout's tree at {tag} at all, a history "
            "that keeps only some files)" if missing else ""))
    return lines


def _changelogs(generated: str, real: RealRelease, problems: list[CheckResult],
                decided: Mapping[int, Decision], path: str) -> list[str]:
    if real.changelog is None:
        return [f"no published changelog at {real.changelog_from}: Contributors not compared "
                "(rehearse --real-changelog FILE gives one)"]
    ours_people, theirs_people = contributors(generated), contributors(real.changelog)
    lines = []
    if ours_people == theirs_people:
        names = sum(1 for line in ours_people if line.startswith("* "))
        lines.append(f"Contributors: identical to {real.changelog_from} ({names} names)")
    else:
        ours_names, theirs_names = _names(ours_people), _names(theirs_people)
        only_ours = ", ".join(sorted(set(ours_names) - set(theirs_names))) or "none"
        only_theirs = ", ".join(sorted(set(theirs_names) - set(ours_names))) or "none"
        problems.append(CheckResult.fail(
            "compare", "contributors", f"Contributors differ from {real.changelog_from} "
            f"({len(ours_names)} names here, {len(theirs_names)} there): only here {only_ours}; "
            f"only there {only_theirs}", "check .mailmap and the release range: the published "
            "Contributors are what the real release gave", file=path))
    ours_pulls, theirs_pulls = pull_lines(generated), pull_lines(real.changelog)
    same = [n for n in ours_pulls if n in theirs_pulls]
    retitled = [n for n in same if ours_pulls[n] != theirs_pulls[n]]
    lines.append(f"pull requests: {len(ours_pulls)} listed, the real changelog {len(theirs_pulls)}; "
                 f"{len(same)} in both, {len(retitled)} with another title "
                 f"(titles here come from git; GitHub's may have been edited since)"
                 + (": " + ", ".join(f"#{n}" for n in retitled) if retitled else ""))
    ours_only, theirs_only = set(ours_pulls) - set(theirs_pulls), set(theirs_pulls) - set(ours_pulls)
    if ours_only or theirs_only:
        lines.append("listed by only one of them:")
        lines += [f"  {line}" for line in against_published(ours_only, theirs_only, decided)]
        only = sorted(ours_only | theirs_only)
        problems.append(CheckResult.warn(
            "compare", "pull requests", f"the changelog lists {len(ours_pulls)} pull requests, "
            f"{real.changelog_from} {len(theirs_pulls)}; only one of them lists "
            + ", ".join(f"#{n}" for n in only), "check the release range and how its merges name "
            "their pull requests (the comparison's output says why each is listed or not)",
            file=path))
    return lines


def contributors(changelog: str) -> list[str]:
    """The lines of a changelog's Contributors section, from its title to the next title."""
    section: list[str] = []
    rows = changelog.splitlines()
    for number, row in enumerate(rows):
        if row.strip() == "Contributors" and number + 1 < len(rows) and rows[number + 1].startswith("="):
            for line in rows[number + 2:]:
                if line.startswith("===") and section and section[-1].strip():
                    section.pop()
                    break
                section.append(line)
            break
    return [line for line in section if line.strip()]


def _names(section: list[str]) -> list[str]:
    return [line[2:] for line in section if line.startswith("* ")]


def pull_lines(changelog: str) -> dict[int, str]:
    return {int(m[1]): m[2] for line in changelog.splitlines() if (m := _PULL_LINE.match(line))}
