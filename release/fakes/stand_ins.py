"""Every local stand-in a rehearsal needs, started together and stopped together.

GitHub (FakeGitHub seeded with the example project and its wheel workflow), a package index
(pypiserver), a mail server (aiosmtpd), and numpy/doc- and numpy.org-shaped repositories.
Their state lives in the workdir (GitHub's world in `github-state.pickle`, the index's files in
`index/packages`, the mail in `mail/*.eml`, the repositories as built), so stand-ins started
again on the same workdir carry on where the last ones stopped; only the ports and the secrets
are new each time, and the config file is rewritten for them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import tomllib
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any

import tomlkit

from release.config import Config, from_table
from release.fakes import push_rules, scipy_org
from release.fakes.dists import seed_wheel_workflow
from release.fakes.docs_scipy_org import build_docs_scipy_org, try_examples_json
from release.fakes.example import ExampleProject
from release.fakes.github import FakeGitHub
from release.fakes.github_seed import example_seed
from release.fakes.github_tokens import Token
from release.fakes.gpg_key import rehearsal_key
from release.fakes.numpy_doc import DocRepo, build_html, build_numpy_doc
from release.fakes.numpy_org import WebsiteRepo, build_numpy_org, project_site
from release.fakes.pypi import LocalIndex, local_index
from release.fakes.smtp import FakeSMTP
from release.fakes.upload_tripwire import UploadTripwire
from release.services.git import GitService
from release.version import ReleaseVersion

FORK_OWNER = "alice-m"
STATE_FILE = "github-state.pickle"


@dataclass(frozen=True)
class Places:
    """Where the rehearsal's files live and what the steps are pointed at."""

    config_file: Path
    dist: Path
    html: Path
    doc: DocRepo
    website: WebsiteRepo
    env: dict[str, str]
    upload_dir: Path | None = None  # docs.scipy.org's served tree, for doc_site = "docs-scipy-org"


def stop_left_over_index(pid_file: Path, packages: Path) -> None:
    """Stop the package index an earlier, killed run on this workdir left serving: the process
    named in `pid_file`, and only if it is still a pypiserver on `packages` (where /proc shows)."""
    try:
        pid = int(pid_file.read_text(encoding="utf-8").strip())
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return
    if b"pypiserver" in argv and str(packages).encode() in argv:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


class StandIns:
    """A context manager: `with StandIns(project, workdir, version) as s:` then `s.places`."""

    def __init__(self, project: ExampleProject, workdir: Path, version: str, *,
                 example: bool = True, table: dict[str, Any] | None = None,
                 before_asset: Callable[[int], None] | None = None,
                 before_upload: Callable[[int], None] | None = None,
                 given_dist: Path | None = None,
                 token: Token | None = None,
                 workflow_source: str | None = None) -> None:
        """`before_asset(k)` / `before_upload(k)` are called as the k-th GitHub release asset /
        the k-th index upload arrives (fault injection); with `before_upload`, uploads go
        through an `UploadTripwire` in front of the index (`upload_url`). `token` is what the
        rehearsal's token may do (default: everything); `workflow_source` the wheel workflow's
        file (default: numpy-release's shape)."""
        self.project = project
        self.workdir = workdir
        self.version = version
        self.example = example
        self.table = table
        self.before_asset = before_asset
        self.before_upload = before_upload
        self.given_dist = given_dist  # real built files for the wheel workflow to leave
        self.token = token if token is not None else Token.of("write")
        self.workflow_source = workflow_source
        self.upload_url = ""
        self._stack = ExitStack()
        self.github: FakeGitHub | None = None
        self.index: LocalIndex | None = None
        self.smtp: FakeSMTP | None = None
        self.places: Places | None = None

    def __enter__(self) -> StandIns:
        token = "rehearsal-" + secrets.token_hex(8)
        smtp_password = "rehearsal-" + secrets.token_hex(8)
        config = self.config()
        state = self.workdir / STATE_FILE
        fresh = not state.is_file()
        self.github = self._stack.enter_context(FakeGitHub(
            tokens={token: self.token}, run_polls=1, state_file=state, before_asset=self.before_asset))
        if fresh:
            self._seed_github(self.github, config)
            self.github.save()
        packages, pid_file = self.workdir / "index" / "packages", self.workdir / "index" / "server.pid"
        stop_left_over_index(pid_file, packages)
        self.index = self._stack.enter_context(
            local_index(packages, log=self.workdir / "index" / "log"))
        pid_file.write_text(f"{self.index.pid}\n", encoding="utf-8")
        self.upload_url = self.index.url
        if self.before_upload is not None:
            wire = UploadTripwire(self.index.url, self.before_upload)
            self.upload_url = self._stack.enter_context(wire).url
        self.smtp = self._stack.enter_context(
            FakeSMTP(user="alice", password=smtp_password, mail_dir=self.workdir / "mail"))
        release = ReleaseVersion.parse(self.version)
        previous = f"{release.major}.{max(release.minor - 1, 0)}"
        doc, upload_dir = self._doc_site(config, previous)
        html = self.workdir / "html"
        if not html.is_dir():
            html = build_html(html, project=config.project, version=self.version,
                              package=config.package, pdfs=False)
            if upload_dir is not None:
                (html / "try_examples.json").write_text(try_examples_json(), encoding="utf-8")
        website = WebsiteRepo(self.workdir / "web" / "numpy.org",
                              self.workdir / "web" / "numpy.org-fork.git")
        if not website.repo.is_dir():
            website = self._build_website(config, previous)
        for bare in (self.project.upstream, self.project.fork, website.fork):
            push_rules.install(bare, self.token)
        env = {
            "GITHUB_API_URL": self.github.api_url,
            "GITHUB_GRAPHQL_URL": self.github.graphql_url,
            "GITHUB_TOKEN": token,
            "RELEASE_SMTP_PASSWORD": smtp_password,
            "XDG_CACHE_HOME": str(self.workdir / "cache"),
            **self.index.env(),
        }
        if self.smtp.cafile is not None:
            env["SSL_CERT_FILE"] = str(self.smtp.cafile)
        if config.sign_tags:
            self._signing_key()
        self.places = Places(
            config_file=self._write_config(),
            dist=self.workdir / "dist",
            html=html,
            doc=doc,
            website=website,
            env=env,
            upload_dir=upload_dir,
        )
        return self

    def _doc_site(self, config: Config, previous: str) -> tuple[DocRepo, Path | None]:
        """The doc repository the docs step is pointed at (numpy/doc- or docs.scipy.org-shaped)
        and, for docs.scipy.org, the served tree the upload goes into."""
        place = self.workdir / "docsite"
        if config.doc_site == "docs-scipy-org":
            doc = DocRepo(place / "docs.scipy.org", place / "docs.scipy.org.git")
            if not doc.repo.is_dir():
                site = build_docs_scipy_org(place, project=config.project, package=config.package,
                                            releases=(f"{previous}.0",))
                doc = DocRepo(site.repo, site.remote)
            return doc, place / "server"
        doc = DocRepo(place / "doc", place / "doc.git")
        if not doc.repo.is_dir():
            doc = build_numpy_doc(place, series=(previous,), stable=previous)
        return doc, None

    @cached_property
    def git(self) -> GitService:
        """The rehearsed project's repository (the example's, or the scratch copy's)."""
        return GitService(self.project.repo)

    def _signing_key(self) -> None:
        """The project signs its tags: a throw-away key, used by the scratch repository only."""
        wrapper, fingerprint = rehearsal_key(self.workdir / "gnupg", self._committer())
        git = self.git
        git.run(["config", "gpg.program", str(wrapper)])
        git.run(["config", "user.signingkey", fingerprint])

    def _build_website(self, config: Config, previous: str) -> WebsiteRepo:
        if config.website == "scipy-org":
            news = scipy_org.news_md(config.project, config.github_repo,
                                     [(f"{previous}.0", "2025-02-03")])
            return build_numpy_org(self.workdir / "web", news=news, config=scipy_org.SITE_CONFIG)
        if config.project == "NumPy":
            return build_numpy_org(self.workdir / "web")
        news, site = project_site(config.project, previous, f"{previous}.0", "2025-02-03")
        return build_numpy_org(self.workdir / "web", news=news, config=site)

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stack.close()

    def _seed_github(self, github: FakeGitHub, config: Config) -> None:
        """The repositories as they are on GitHub: upstream's branches and tags are the ones in
        its bare stand-in, and the release manager's forks hold exactly what was pushed to them."""
        if self.example:
            github.seed(example_seed())
        else:
            github.add_repo(config.github_repo, config.main_branch)
        github.repo(config.github_repo).git_dir = str(self.project.upstream)
        github.add_user(FORK_OWNER, "Alice Maintainer")
        github.add_fork(config.github_repo, FORK_OWNER, git_dir=self.project.fork)
        github.add_repo(config.docs.website_github_repo, "main")
        github.add_fork(config.docs.website_github_repo, FORK_OWNER,
                        git_dir=self.workdir / "web" / "numpy.org-fork.git")
        self._seed_milestones(github, config, ReleaseVersion.parse(self.version))
        seed_wheel_workflow(github, config, self.version, given=self.given_dist,
                            source=self.workflow_source)

    def _seed_milestones(self, github: FakeGitHub, config: Config, release: ReleaseVersion) -> None:
        """The release's milestone and the next patch release's; the example's holds its merged
        fix and one issue still open, which the milestone triage moves on."""
        final = ReleaseVersion.parse(release.base)
        repo = github.repo(config.github_repo)
        first = max(repo.milestones, default=0) + 1
        items: tuple[int, ...] = ()
        if self.example:
            github.add_issue(config.github_repo, 15, "mean() is slow on huge inputs", "dana-n")
            items = (12, 15)
        for offset, version in enumerate((final, final.next_patch())):
            title = config.milestone_format.format(**{**version.fields(), "version": version.base})
            if repo.milestone_named(title) is None:
                github.add_milestone(config.github_repo, first + offset, title,
                                     items=items if offset == 0 else ())

    def config(self) -> Config:
        """The configuration the rehearsed steps run with (before the stand-ins' additions)."""
        return from_table(self._table(), "the rehearsal's config")

    def _committer(self) -> str:
        git = self.git
        name, email = (git.run(["config", "--get", key]).strip() for key in ("user.name", "user.email"))
        return f"{name} <{email}>"

    def _table(self) -> dict[str, Any]:
        """The project's own [tool.release] table (or the one given), as plain data."""
        if self.table is not None:
            return dict(self.table)
        pyproject = tomllib.loads((self.project.repo / "pyproject.toml").read_text("utf-8"))
        return dict(pyproject.get("tool", {}).get("release", {}))

    def _write_config(self) -> Path:
        """The project's own [tool.release] plus the stand-ins' mail server and fork owner."""
        assert self.smtp is not None
        table = self._table()
        table["mail"] = {"sender": self._committer(), **table.get("mail", {}),
                         **self.smtp.settings()}
        table["github"] = {**table.get("github", {}), "fork_owner": FORK_OWNER}
        table["docs"] = {**table.get("docs", {}), "website_fork_owner": FORK_OWNER}
        path = self.workdir / "release.toml"
        path.write_text(tomlkit.dumps({"tool": {"release": table}}), encoding="utf-8")
        return path
