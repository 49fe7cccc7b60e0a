"""A range's identity findings and the `.mailmap` lines that would fix them: the one function the
mailmap step, the preflight check and the release PR (prepare) share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from release.changelog.authors import NotPeople
from release.config import Config
from release.errors import PreconditionError
from release.identities.findings import (
    OFFLINE,
    Finding,
    People,
    elsewhere,
    find_problems,
    proposals,
)
from release.identities.history import Sightings, authors_until, collect
from release.identities.mailmap import Mailmap, takes_effect
from release.identities.names_only import NamesView, usable_by_name
from release.repo.files import RepoFiles
from release.repo.revision_range import RevisionRange
from release.services.git import GitService

if TYPE_CHECKING:
    from release.services.github import GitHubService


class MailmapState:
    """The `.mailmap` the findings are made against: the work tree's, or a commit's (`ref`)."""

    def __init__(self, text: str, where: str, mailmap: Mailmap) -> None:
        self.text, self.where, self.mailmap = text, where, mailmap

    @classmethod
    def read(cls, git: GitService, repo: Path, path: str, ref: str | None = None) -> MailmapState:
        files = RepoFiles(git, repo, ref)
        text = files.read(path)
        where = files.where(path)
        if text is None:
            text, where = "", f"no {where}"
        return cls(text, where, Mailmap.parse(text, path))

    def usable(self, findings: Sequence[Finding]) -> list[str]:
        """The proposed lines git would honour here (a later line for the same address wins)."""
        return [line for line in proposals(findings) if takes_effect(self.text, line)]

    def require_wellformed(self) -> None:
        """Lines are only added to a file git reads whole."""
        if self.mailmap.malformed:
            raise PreconditionError(f"fix the malformed line first: {self.mailmap.malformed[0].message}",
                                    hint="git skips that line; fix it before lines are added")


@dataclass(frozen=True)
class Proposal:
    state: MailmapState
    sightings: Sightings
    findings: list[Finding]
    lines: list[str]  # the proposed lines git would honour (names style: SciPy's reader)
    notes: tuple[Finding, ...] = ()  # worth a look, not counted (names style)


def propose(git: GitService, repo: Path, config: Config, span: RevisionRange, *,
            github: Callable[[], GitHubService] | None, say: Callable[[str], None],
            ref: str | None = None) -> Proposal:
    """The range's identity problems under the configured placeholders and ignored names, and
    the lines to add; logins from GitHub unless `github` is None (offline)."""
    state = MailmapState.read(git, repo, config.mailmap, ref)
    sightings = collect(git, str(span))
    if config.mailmap_style == "names":
        view = names_view(config, sightings, state.text)
        found = view.findings()
        return Proposal(state, sightings, found,
                        usable_by_name(state.text, proposals(found), config.mailmap),
                        tuple(view.notes()))
    found = find_problems(sightings, state.mailmap, state.text,
                          placeholders=config.mailmap_placeholders,
                          bots=(*config.changelog_drop_names, *config.mailmap_ignore),
                          people=people(git, span, sightings, github, say),
                          history=elsewhere(authors_until(git, span.end), state.mailmap))
    return Proposal(state, sightings, found, state.usable(found))


def names_view(config: Config, sightings: Sightings, text: str) -> NamesView:
    """SciPy's view: the names its Authors rules credit, not-people and bots left out."""
    ignore = NotPeople((*config.credits_not_people, *config.mailmap_ignore,
                        *config.changelog_drop_names))
    return NamesView(sightings, text, config.mailmap, ignore)


def people(git: GitService, span: RevisionRange, sightings: Sightings,
           github: Callable[[], GitHubService] | None, say: Callable[[str], None]) -> People:
    """Who is behind each identity, as GitHub knows them; only no-reply logins offline or
    without a token."""
    if github is None:
        return OFFLINE
    service = github()
    if not service.has_token:
        say("no GITHUB_TOKEN: logins only from no-reply addresses (pass --offline to be quiet)")
        return OFFLINE
    from release.identities.online import github_people

    return github_people(service, git, span, sightings)
