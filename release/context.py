"""The frozen Context a step receives: repository, config, version, options and services."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO, TypeVar, cast

from release.checks.result import CheckResult
from release.config import Config
from release.errors import UsageError
from release.plan import ApplyExecutor, DryRunExecutor, Executor, Fault, Plan
from release.services.git import GitService
from release.services.github_usage import GitHubUsage
from release.version import ReleaseVersion

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from release.repo.undo import UndoRecord
    from release.services.github import GitHubService
    from release.services.github_actions import GitHubActions
    from release.services.github_releases import GitHubReleases
    from release.services.mail import MailService, SmtpSettings
    from release.services.pypi import Credentials, PackageIndex, Uploader


OptionsT = TypeVar("OptionsT", bound="DataclassInstance")


class Command(Protocol):
    """The command line (`python -m release STEP ...` in-process), handed in by the CLI: a step
    that runs others as a release manager types them (the rehearsal) gets it here rather than
    importing the CLI."""

    def __call__(self, argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None,
                 out: TextIO | None = None, err: TextIO | None = None,
                 findings: list[CheckResult] | None = None,
                 usage: GitHubUsage | None = None) -> int: ...


@dataclass(frozen=True)
class Context:
    repo: Path
    config: Config
    config_source: str
    options: Mapping[str, Any]
    env: Mapping[str, str]
    out: TextIO = field(default=sys.stdout)
    err: TextIO = field(default=sys.stderr)
    # One line per action applied for real (not dry-run) and finished: the CLI journals a run
    # only when something was done.
    applied: list[str] = field(default_factory=list, compare=False)
    command: Command | None = field(default=None, compare=False)
    # What the run changed on this machine, to put back on failure (set by the CLI around a
    # state-changing step; see release.repo.guard).
    record: UndoRecord | None = field(default=None, compare=False)
    # The command line that runs this step again, for messages saying how to finish or resume.
    rerun: str = ""
    # What the step found wrong but went on past (and what made it fail), as values, so a
    # rehearsal can judge a run without reading its output.
    findings: list[CheckResult] = field(default_factory=list, compare=False)
    # Where each setting that is not the profile's came from (the `config` step shows it).
    config_sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    # Every request the step's GitHub services send, added up (`--verbose` prints it at the end;
    # a rehearsal keeps it per stage).
    usage: GitHubUsage = field(default_factory=GitHubUsage, compare=False)
    # Each options dataclass `typed` built, by its class (a replaced Context starts afresh).
    _typed: dict[type, object] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def dry_run(self) -> bool:
        return bool(self.options.get("dry_run"))

    @cached_property
    def git(self) -> GitService:
        return GitService(self.repo)

    def github(self, repo: str | None = None) -> GitHubService:
        """GitHub for `repo` (default: the project's `github_repo`), set up from the environment."""
        from release.services.github import GitHubService

        return GitHubService.from_env(self.env, repo or self.config.github_repo, progress=self.err,
                                      max_attempts=self.config.github.api_attempts, usage=self.usage)

    def run_command(self) -> Command:
        if self.command is None:
            raise UsageError("this step runs other steps; run it through the command line",
                             hint="python -m release STEP ...")
        return self.command

    # -- services: the Context hands them out, so steps never construct one ---------------------

    def git_at(self, path: Path) -> GitService:
        """git in another repository (the doc or website clone, the rehearsal's scratch copy)."""
        return GitService(path)

    def index(self, url: str) -> PackageIndex:
        """A package index's simple API at `url`."""
        from release.services.pypi import PackageIndex

        return PackageIndex(url)

    def uploader(self, repository: str, credentials: Credentials) -> Uploader:
        from release.services.pypi import Uploader

        return Uploader(repository, credentials)

    def releases(self, service: GitHubService | None = None) -> GitHubReleases:
        """GitHub releases through `service` (default: `github()`)."""
        from release.services.github_releases import GitHubReleases

        return GitHubReleases(service or self.github())

    def actions(self, service: GitHubService) -> GitHubActions:
        from release.services.github_actions import GitHubActions

        return GitHubActions(service)

    def mail(self, settings: SmtpSettings) -> MailService:
        from release.services.mail import MailService

        return MailService(settings)

    def typed(self, kind: type[OptionsT]) -> OptionsT:
        """The step's own options as its frozen dataclass, each field named as argparse names the
        option, built once per run (a field the parser lacks is a KeyError, which the step
        registry's test finds; a field with a default may be left out of a Context made by hand,
        such as a resumed rehearsal's re-check)."""
        built = self._typed.get(kind)
        if built is None:
            built = kind(**{item.name: self.options[item.name] for item in dataclasses.fields(kind)
                            if item.name in self.options or item.default is dataclasses.MISSING})
            self._typed[kind] = built
        return cast("OptionsT", built)

    def version(self) -> ReleaseVersion:
        """The version argparse parsed (a Context made by hand may hold its text)."""
        value = self.options["version"]
        return value if isinstance(value, ReleaseVersion) else ReleaseVersion.parse(str(value))

    def path(self, pattern: str, version: ReleaseVersion | None = None) -> str:
        """A config path pattern with `{version}` filled with the version's base (rc -> X.Y.0)."""
        if version is None:
            return pattern
        return pattern.format(**{**version.fields(), "version": version.base})

    def template_search(self) -> tuple[str, ...]:
        """Where this project's texts are looked up first: its own folder, then its profile's."""
        from release.templating import profile_search

        return profile_search(self.config.profile, self.repo, self.config.templates)

    def render(self, name: str, **values: Any) -> str:
        """A text of this project's profile (its own `templates` folder first)."""
        from release.templating import render_in

        return render_in(self.template_search(), name, **values)

    def say(self, message: str) -> None:
        """Progress for the person at the terminal (stderr, so stdout stays clean)."""
        print(message, file=self.err)

    def note(self, *results: CheckResult) -> None:
        """Keep the results that did not pass as the run's findings."""
        self.findings.extend(result for result in results if not result.passed)

    def executor(self) -> Executor:
        if self.dry_run:
            return DryRunExecutor(self.out)
        return ApplyExecutor(self.err, self.record, self.applied, Fault.from_env(self.env))

    def execute(self, plan: Plan) -> None:
        self.executor().execute(plan)
