"""The fake GitHub's world: repositories, pull requests, releases, workflow runs, and their JSON.

JSON shapes follow GitHub's REST API closely enough for PyGithub 2.x: every object carries the
`url` PyGithub completes lazily from, plus `id`, `node_id` and `html_url`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import subprocess
import zipfile
from dataclasses import dataclass, field
from typing import Any

from release.fakes.github_downloads import SignedLinks
from release.fakes.github_workflows import NUMPY_RELEASE_WORKFLOW

TIMESTAMP = "2026-01-01T00:00:00Z"


def node_id(kind: str, number: int) -> str:
    return base64.b64encode(f"{kind}:{number}".encode()).decode().rstrip("=")


def fake_sha(seed: str) -> str:
    return hashlib.sha1(seed.encode()).hexdigest()


@dataclass
class User:
    login: str
    name: str | None = None
    id: int = 0


@dataclass
class Pull:
    number: int
    title: str
    user: str
    state: str = "closed"
    merged: bool = True
    head: str = "feature"
    base: str = "main"
    body: str = ""
    id: int = 0
    merge_commit: str | None = None  # the commit GitHub says merged it (None: not merged)
    labels: tuple[str, ...] = ()
    milestone: str | None = None  # the milestone's title


@dataclass
class Issue:
    number: int
    title: str
    user: str
    body: str = ""
    state: str = "open"
    labels: tuple[str, ...] = ()
    id: int = 0
    milestone: str | None = None  # the milestone's title


@dataclass
class Milestone:
    number: int
    title: str
    state: str = "open"
    id: int = 0


@dataclass
class Asset:
    id: int
    name: str
    label: str
    content_type: str
    data: bytes
    uploader: str
    legacy: bool = False  # uploaded before GitHub kept digests (mid-2025): `digest` is null

    @property
    def digest(self) -> str | None:
        return None if self.legacy else "sha256:" + hashlib.sha256(self.data).hexdigest()


@dataclass
class Release:
    id: int
    tag_name: str
    name: str
    body: str
    draft: bool
    prerelease: bool
    target_commitish: str
    author: str
    assets: dict[int, Asset] = field(default_factory=dict)
    immutable: bool = False


@dataclass
class Workflow:
    id: int
    file: str
    name: str
    artifacts: dict[str, dict[str, bytes]] = field(default_factory=dict)
    conclusion: str = "success"
    # Inputs `environment` that stop the run as "waiting" until `Run.approved` (GitHub's
    # environment protection; artifacts already exist then).
    approval_environments: tuple[str, ...] = ()
    # The workflow file's text: its `on:` block decides what a dispatch may carry.
    source: str = NUMPY_RELEASE_WORKFLOW


@dataclass
class Artifact:
    id: int
    name: str
    files: dict[str, bytes]
    expired: bool = False

    def archive(self) -> bytes:
        """A zip like the one GitHub serves for an artifact (fixed timestamps, so stable bytes)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for filename, data in sorted(self.files.items()):
                archive.writestr(zipfile.ZipInfo(filename, (2026, 1, 1, 0, 0, 0)), data)
        return buffer.getvalue()


@dataclass
class Run:
    id: int
    workflow: Workflow
    ref: str
    head_sha: str
    inputs: dict[str, Any]
    event: str
    run_number: int
    actor: str
    polls: int = 0
    artifacts: list[Artifact] = field(default_factory=list)
    approved: bool = False
    # GitHub Enterprise lists a dispatched run only some time later: how many more listings
    # leave it out.
    hidden_listings: int = 0


@dataclass
class Repo:
    id: int
    owner: str
    name: str
    default_branch: str = "main"
    immutable: bool = True
    refs: dict[str, str] = field(default_factory=dict)
    pulls: dict[int, Pull] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    releases: dict[int, Release] = field(default_factory=dict)
    workflows: dict[int, Workflow] = field(default_factory=dict)
    runs: dict[int, Run] = field(default_factory=dict)
    milestones: dict[int, Milestone] = field(default_factory=dict)
    burned_tags: set[str] = field(default_factory=set)
    # Logins with write access (push, triage); None: every user (the stand-ins' default).
    writers: tuple[str, ...] | None = None
    # Files on each branch or tag (name without refs/heads/ or refs/tags/) -> path -> bytes.
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    fork_of: str | None = None  # "owner/name" of the repository this one is a fork of
    # A bare git repository whose branches and tags are this repository's: a branch exists on
    # the fake exactly when it was pushed there.
    git_dir: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def milestone_named(self, title: str) -> Milestone | None:
        return next((m for m in self.milestones.values() if m.title == title), None)

    def all_refs(self) -> dict[str, str]:
        """Seeded and API-made refs, and (with `git_dir`) every ref pushed to the bare repository."""
        if self.git_dir is None:
            return self.refs
        return {**self.refs, **pushed_refs(self.git_dir)}

    def has_branch(self, branch: str) -> bool:
        return f"heads/{branch}" in self.all_refs()

    def next_number(self) -> int:
        return max([0, *self.pulls, *self.issues]) + 1

    def workflow(self, key: str) -> Workflow | None:
        for workflow in self.workflows.values():
            if key in (str(workflow.id), workflow.file, f".github/workflows/{workflow.file}"):
                return workflow
        return None

    def head_label(self, head: str) -> str:
        """"owner:branch" for a pull request's head given as "branch" or "owner:branch"."""
        return head if ":" in head else f"{self.owner}:{head}"

    def sha_for(self, ref: str) -> str:
        refs = self.all_refs()
        for candidate in (ref, f"heads/{ref}", f"tags/{ref}"):
            if candidate in refs:
                return refs[candidate]
        return fake_sha(f"{self.full_name}:{ref}")


def pushed_refs(git_dir: str) -> dict[str, str]:
    """Branches and tags of a bare repository (tags by their commit), "heads/x" -> sha."""
    listing = subprocess.run(
        ["git", "for-each-ref", "--format=%(refname) %(objectname) %(*objectname)",
         "refs/heads", "refs/tags"],
        cwd=git_dir, capture_output=True, text=True, check=False,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    found = {}
    for line in listing.stdout.splitlines():
        name, sha, *peeled = line.split(" ")
        found[name.removeprefix("refs/")] = peeled[0] if peeled and peeled[0] else sha
    return found


# GitHub's URL templates on every repository object (kind_url -> below the repository's API URL).
_REPO_LINKS = (
    ("archive", "/{archive_format}{/ref}"), ("assignees", "/assignees{/user}"),
    ("blobs", "/git/blobs{/sha}"), ("branches", "/branches{/branch}"),
    ("collaborators", "/collaborators{/collaborator}"), ("comments", "/comments{/number}"),
    ("commits", "/commits{/sha}"), ("compare", "/compare/{base}...{head}"),
    ("contents", "/contents/{+path}"), ("contributors", "/contributors"),
    ("deployments", "/deployments"), ("downloads", "/downloads"), ("events", "/events"),
    ("forks", "/forks"), ("git_commits", "/git/commits{/sha}"), ("git_refs", "/git/refs{/sha}"),
    ("git_tags", "/git/tags{/sha}"), ("hooks", "/hooks"),
    ("issue_comment", "/issues/comments{/number}"), ("issue_events", "/issues/events{/number}"),
    ("keys", "/keys{/key_id}"), ("labels", "/labels{/name}"), ("languages", "/languages"),
    ("merges", "/merges"), ("milestones", "/milestones{/number}"),
    ("notifications", "/notifications{?since,all,participating}"),
    ("stargazers", "/stargazers"), ("statuses", "/statuses/{sha}"),
    ("subscribers", "/subscribers"), ("subscription", "/subscription"), ("tags", "/tags"),
    ("teams", "/teams"), ("trees", "/git/trees{/sha}"),
)


class Shapes:
    """Turns state into GitHub's JSON, with URLs rooted at the running server (people named by
    login are looked up in `world`)."""

    def __init__(self, root: str, world: World, links: SignedLinks | None = None) -> None:
        self.root = root
        self.world = world
        self.api = f"{root}/api/v3"
        self.uploads = f"{root}/api/uploads"
        self.links = links if links is not None else SignedLinks(root)

    def repo_api(self, repo: Repo) -> str:
        """The REST root of one repository; every object in it has its URL below this."""
        return f"{self.api}/repos/{repo.full_name}"

    def user(self, user: User) -> dict[str, Any]:
        return {
            "login": user.login,
            "id": user.id,
            "node_id": node_id("User", user.id),
            "type": "User",
            "site_admin": False,
            "name": user.name,
            "url": f"{self.api}/users/{user.login}",
            "html_url": f"{self.root}/{user.login}",
            "avatar_url": f"{self.root}/avatars/{user.login}",
            "gravatar_id": "",
            "user_view_type": "public",
            **{f"{kind}_url": f"{self.api}/users/{user.login}/{kind}{template}" for kind, template in (
                ("events", "{/privacy}"), ("followers", ""), ("following", "{/other_user}"),
                ("gists", "{/gist_id}"), ("organizations", ""), ("received_events", ""),
                ("repos", ""), ("starred", "{/owner}{/repo}"), ("subscriptions", ""))},
        }

    def person(self, login: str) -> dict[str, Any]:
        return self.user(self.world.user(login))

    def repo(self, repo: Repo) -> dict[str, Any]:
        url = self.repo_api(repo)
        return {
            "id": repo.id,
            "node_id": node_id("Repository", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self.person(repo.owner),
            "private": False,
            "fork": repo.fork_of is not None,
            "default_branch": repo.default_branch,
            "url": url,
            "html_url": f"{self.root}/{repo.full_name}",
            "pulls_url": url + "/pulls{/number}",
            "issues_url": url + "/issues{/number}",
            "releases_url": url + "/releases{/id}",
            **{f"{kind}_url": url + path for kind, path in _REPO_LINKS},
            "clone_url": f"{self.root}/{repo.full_name}.git",
            "git_url": f"git://127.0.0.1/{repo.full_name}.git",
            "ssh_url": f"git@127.0.0.1:{repo.full_name}.git",
            "svn_url": f"{self.root}/{repo.full_name}",
            "mirror_url": None, "homepage": None, "description": None, "language": None,
            "license": None, "archived": False, "disabled": False, "has_issues": True,
            "has_projects": False, "has_wiki": False, "has_pages": False, "has_downloads": True,
            "has_discussions": False, "size": 0, "forks": 0, "forks_count": 0,
            "open_issues": 0, "open_issues_count": 0, "stargazers_count": 0, "watchers": 0,
            "watchers_count": 0, "network_count": 0, "subscribers_count": 0,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "pushed_at": TIMESTAMP,
        }

    def ref(self, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
        url = self.repo_api(repo)
        return {
            "ref": f"refs/{ref}",
            "node_id": node_id("Ref", int(sha[:8], 16)),
            "url": f"{url}/git/refs/{ref}",
            "object": {"sha": sha, "type": "commit", "url": f"{url}/git/commits/{sha}"},
        }

    def pull(self, repo: Repo, pull: Pull) -> dict[str, Any]:
        url = self.repo_api(repo)
        closed = pull.state == "closed"
        repo_json = self.repo(repo)

        def side(ref: str) -> dict[str, Any]:
            owner, _, branch = repo.head_label(ref).partition(":")
            where = self.world.repo(owner, repo.name) if owner != repo.owner else None
            shown = repo_json if where is None else self.repo(where)
            return {
                "label": repo.head_label(ref),
                "ref": branch,
                "sha": (where or repo).sha_for(branch),
                "user": self.person(owner),
                "repo": shown,
            }

        return {
            "id": pull.id,
            "node_id": node_id("PullRequest", pull.id),
            "number": pull.number,
            "state": pull.state,
            "title": pull.title,
            "body": pull.body,
            "user": self.person(pull.user),
            "draft": False,
            "merged": pull.merged,
            "merged_at": TIMESTAMP if pull.merged else None,
            "merge_commit_sha": pull.merge_commit,
            "closed_at": TIMESTAMP if closed else None,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "head": side(pull.head),
            "base": side(pull.base),
            "url": f"{url}/pulls/{pull.number}",
            "html_url": f"{self.root}/{repo.full_name}/pull/{pull.number}",
            "issue_url": f"{url}/issues/{pull.number}",
            "diff_url": f"{self.root}/{repo.full_name}/pull/{pull.number}.diff",
            "patch_url": f"{self.root}/{repo.full_name}/pull/{pull.number}.patch",
            "commits_url": f"{url}/pulls/{pull.number}/commits",
            "review_comments_url": f"{url}/pulls/{pull.number}/comments",
            "review_comment_url": f"{url}/pulls/comments{{/number}}",
            "comments_url": f"{url}/issues/{pull.number}/comments",
            "statuses_url": f"{url}/statuses/{repo.sha_for(pull.head.rpartition(':')[2])}",
            "_links": {name: {"href": href} for name, href in (
                ("self", f"{url}/pulls/{pull.number}"),
                ("html", f"{self.root}/{repo.full_name}/pull/{pull.number}"),
                ("issue", f"{url}/issues/{pull.number}"),
                ("comments", f"{url}/issues/{pull.number}/comments"),
                ("review_comments", f"{url}/pulls/{pull.number}/comments"),
                ("review_comment", f"{url}/pulls/comments{{/number}}"),
                ("commits", f"{url}/pulls/{pull.number}/commits"),
                ("statuses", f"{url}/statuses/{repo.sha_for(pull.head.rpartition(':')[2])}"))},
            "assignee": None, "assignees": [], "requested_reviewers": [], "requested_teams": [],
            "labels": [], "milestone": None, "locked": False, "active_lock_reason": None,
            "author_association": "MEMBER", "auto_merge": None, "maintainer_can_modify": False,
            "mergeable": None, "mergeable_state": "unknown", "rebaseable": None,
            "merged_by": self.person(pull.user) if pull.merged else None,
            "comments": 0,
            "review_comments": 0,
            "commits": 1,
            "additions": 1,
            "deletions": 0,
            "changed_files": 1,
        }

    def milestone(self, repo: Repo, milestone: Milestone) -> dict[str, Any]:
        url = self.repo_api(repo)
        items: list[Issue | Pull] = [*repo.issues.values(), *repo.pulls.values()]
        mine = [item for item in items if item.milestone == milestone.title]
        return {
            "url": f"{url}/milestones/{milestone.number}",
            "html_url": f"{self.root}/{repo.full_name}/milestone/{milestone.number}",
            "labels_url": f"{url}/milestones/{milestone.number}/labels",
            "id": milestone.id,
            "node_id": node_id("Milestone", milestone.id),
            "number": milestone.number,
            "title": milestone.title,
            "description": None,
            "creator": self.person(repo.owner),
            "open_issues": sum(1 for item in mine if item.state == "open"),
            "closed_issues": sum(1 for item in mine if item.state == "closed"),
            "state": milestone.state,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "closed_at": TIMESTAMP if milestone.state == "closed" else None,
            "due_on": None,
        }

    def _milestone_of(self, repo: Repo, title: str | None) -> dict[str, Any] | None:
        found = repo.milestone_named(title) if title else None
        return self.milestone(repo, found) if found else None

    def issue(self, repo: Repo, issue: Issue) -> dict[str, Any]:
        url = self.repo_api(repo)
        return {
            "id": issue.id,
            "node_id": node_id("Issue", issue.id),
            "number": issue.number,
            "title": issue.title,
            "body": issue.body,
            "state": issue.state,
            "user": self.person(issue.user),
            "labels": [{"name": label, "id": i + 1, "url": f"{url}/labels/{label}"}
                       for i, label in enumerate(issue.labels)],
            "assignees": [],
            "comments": 0,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "closed_at": TIMESTAMP if issue.state == "closed" else None,
            "milestone": self._milestone_of(repo, issue.milestone),
            "url": f"{url}/issues/{issue.number}",
            "html_url": f"{self.root}/{repo.full_name}/issues/{issue.number}",
            "repository_url": url,
        }

    def pull_as_issue(self, repo: Repo, pull: Pull) -> dict[str, Any]:
        issue = Issue(pull.number, pull.title, pull.user, pull.body, pull.state, pull.labels, pull.id,
                      pull.milestone)
        shaped = self.issue(repo, issue)
        html = f"{self.root}/{repo.full_name}/pull/{pull.number}"
        shaped["html_url"] = html
        shaped["pull_request"] = {"url": f"{self.repo_api(repo)}/pulls/{pull.number}",
                                  "html_url": html, "diff_url": f"{html}.diff",
                                  "patch_url": f"{html}.patch",
                                  "merged_at": TIMESTAMP if pull.merged else None}
        return shaped

    def asset(self, repo: Repo, release: Release, asset: Asset) -> dict[str, Any]:
        return {
            "id": asset.id,
            "node_id": node_id("ReleaseAsset", asset.id),
            "name": asset.name,
            "label": asset.label,
            "state": "uploaded",
            "content_type": asset.content_type,
            "size": len(asset.data),
            "digest": asset.digest,
            "download_count": 0,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "uploader": self.person(asset.uploader),
            "url": f"{self.repo_api(repo)}/releases/assets/{asset.id}",
            "browser_download_url":
                f"{self.root}/{repo.full_name}/releases/download/{release.tag_name}/{asset.name}",
        }

    def release(self, repo: Repo, release: Release) -> dict[str, Any]:
        url = f"{self.repo_api(repo)}/releases/{release.id}"
        tag_part = release.tag_name if not release.draft else f"untagged-{release.id}"
        return {
            "id": release.id,
            "node_id": node_id("Release", release.id),
            "tag_name": release.tag_name,
            "target_commitish": release.target_commitish,
            "name": release.name,
            "body": release.body,
            "draft": release.draft,
            "prerelease": release.prerelease,
            "immutable": release.immutable,
            "created_at": TIMESTAMP,
            "published_at": None if release.draft else TIMESTAMP,
            "author": self.person(release.author),
            "assets": [self.asset(repo, release, a) for a in release.assets.values()],
            "url": url,
            "html_url": f"{self.root}/{repo.full_name}/releases/tag/{tag_part}",
            "assets_url": f"{url}/assets",
            "upload_url":
                f"{self.uploads}/repos/{repo.full_name}/releases/{release.id}/assets{{?name,label}}",
            "tarball_url": f"{self.repo_api(repo)}/tarball/{release.tag_name}",
            "zipball_url": f"{self.repo_api(repo)}/zipball/{release.tag_name}",
        }

    def workflow(self, repo: Repo, workflow: Workflow) -> dict[str, Any]:
        url = f"{self.repo_api(repo)}/actions/workflows/{workflow.id}"
        return {
            "id": workflow.id,
            "node_id": node_id("Workflow", workflow.id),
            "name": workflow.name,
            "path": f".github/workflows/{workflow.file}",
            "state": "active",
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "url": url,
            "html_url": f"{self.root}/{repo.full_name}/blob/{repo.default_branch}/"
                        f".github/workflows/{workflow.file}",
            "badge_url": f"{self.root}/{repo.full_name}/workflows/{workflow.name}/badge.svg",
        }

    def run(self, repo: Repo, run: Run, status: str) -> dict[str, Any]:
        repo_url = self.repo_api(repo)
        url = f"{repo_url}/actions/runs/{run.id}"
        minimal_repo = self.repo(repo)
        return {
            "id": run.id,
            "node_id": node_id("WorkflowRun", run.id),
            "name": run.workflow.name,
            "display_title": run.workflow.name,
            "path": f".github/workflows/{run.workflow.file}",
            "head_branch": run.ref,
            "head_sha": run.head_sha,
            "run_number": run.run_number,
            "run_attempt": 1,
            "event": run.event,
            "status": status,
            "conclusion": run.workflow.conclusion if status == "completed" else None,
            "workflow_id": run.workflow.id,
            "check_suite_id": run.id,
            "url": url,
            "html_url": f"{self.root}/{repo.full_name}/actions/runs/{run.id}",
            "jobs_url": f"{url}/jobs",
            "logs_url": f"{url}/logs",
            "artifacts_url": f"{url}/artifacts",
            "cancel_url": f"{url}/cancel",
            "rerun_url": f"{url}/rerun",
            "check_suite_url": f"{repo_url}/check-suites/{run.id}",
            "workflow_url": f"{repo_url}/actions/workflows/{run.workflow.id}",
            "pull_requests": [],
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "run_started_at": TIMESTAMP,
            "actor": self.person(run.actor),
            "triggering_actor": self.person(run.actor),
            "repository": minimal_repo,
            "head_repository": minimal_repo,
        }

    def artifact(self, repo: Repo, run: Run, artifact: Artifact) -> dict[str, Any]:
        url = f"{self.repo_api(repo)}/actions/artifacts/{artifact.id}"
        archive = artifact.archive()
        return {
            "id": artifact.id,
            "node_id": node_id("Artifact", artifact.id),
            "name": artifact.name,
            "size_in_bytes": len(archive),
            "digest": "sha256:" + hashlib.sha256(archive).hexdigest(),
            "expired": artifact.expired,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "expires_at": "2026-04-01T00:00:00Z",
            "url": url,
            "archive_download_url": f"{url}/zip",
            "workflow_run": {"id": run.id, "repository_id": repo.id, "head_repository_id": repo.id,
                             "head_branch": run.ref, "head_sha": run.head_sha},
        }


class World:
    """All repositories and users, with the id counters GitHub would keep."""

    # Enterprise Server: how many listings of a workflow's runs leave out a new dispatched run
    # (0: github.com, which also answers a dispatch with the run's id).
    listing_delay: int = 0

    def __init__(self, run_polls: int) -> None:
        self.repos: dict[str, Repo] = {}
        self.users: dict[str, User] = {}
        self.run_polls = run_polls
        self._ids = 1000

    def new_id(self) -> int:
        self._ids += 1
        return self._ids

    def user(self, login: str) -> User:
        if login not in self.users:
            self.users[login] = User(login, None, self.new_id())
        return self.users[login]

    def repo(self, owner: str, name: str) -> Repo | None:
        return self.repos.get(f"{owner}/{name}".lower())

    def run_status(self, run: Run) -> str:
        """queued, then in_progress, then completed after `run_polls` looks at the run (or
        waiting, until approved, when its environment needs approval)."""
        if run.polls >= self.run_polls:
            if run.inputs.get("environment") in run.workflow.approval_environments \
                    and not run.approved:
                return "waiting"
            return "completed"
        return "queued" if run.polls == 0 else "in_progress"

    def look_at_run(self, run: Run) -> str:
        status = self.run_status(run)
        run.polls += 1
        if status in ("completed", "waiting") and not run.artifacts:
            run.artifacts = [Artifact(self.new_id(), name, dict(files))
                             for name, files in run.workflow.artifacts.items()]
        return status
