"""An annotated (signed) tag as the release and the branching make it: what it must look like,
the plan actions that make it, and the checks that it is the tag asked for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.errors import PreconditionError, VerificationError
from release.plan import Plan
from release.repo.branch_commit import git_command
from release.services.git import GitService, tag_argv


@dataclass
class TagSpec:
    """What the tag must look like: name, message, commit (a revision: HEAD for a commit the
    same plan makes first), signing and the remote."""

    name: str
    message: str
    commit: str
    sign: bool
    key: str
    remote: str
    push: bool


def check_existing_tag(git: GitService, spec: TagSpec) -> None:
    """A rerun is fine when the tag is the one we would have made; anything else is an error."""
    commit = git.tag_commit(spec.name)
    wanted = git.rev_parse(spec.commit)
    if commit != wanted:
        raise PreconditionError(
            f"tag {spec.name} already exists on commit {commit[:12]}, not on HEAD {wanted[:12]}",
            hint=f"if it is a mistake and unpublished: git tag -d {spec.name}",
        )
    if git.tag_type(spec.name) != "tag":
        raise PreconditionError(
            f"tag {spec.name} exists but is a lightweight tag",
            hint=f"delete it (git tag -d {spec.name}) and rerun to make an annotated tag",
        )
    found = git.tag_message(spec.name)
    if found != spec.message:
        raise PreconditionError(
            f"tag {spec.name} exists with message {found!r}, expected {spec.message!r}",
            hint=f"if it is unpublished: git tag -d {spec.name}, then rerun",
        )


def add_tag(plan: Plan, git: GitService, repo: Path, spec: TagSpec, on: str) -> None:
    """Create the annotated tag `spec` on `spec.commit` (shown as `on`); verify it is the tag
    asked for and, when signed, that its signature verifies."""
    plan.add(git_command(git, repo, *tag_argv(spec.name, spec.message, spec.commit,
                                                   sign=spec.sign, key=spec.key)))
    plan.verify(f"{spec.name} is an annotated tag on {on} saying {spec.message!r}",
                lambda: check_existing_tag(git, spec))
    if spec.sign:
        add_signature_check(plan, git, spec)


def add_signature_check(plan: Plan, git: GitService, spec: TagSpec) -> None:
    plan.verify(f"git tag -v {spec.name} accepts the signature",
                lambda: _verify_signature(git, spec.name))


def _verify_signature(git: GitService, name: str) -> None:
    try:
        git.verify_tag(name)
    except Exception as exc:
        raise VerificationError(
            f"the signature on {name} does not verify: {exc}",
            hint="check your gpg setup (gpg --list-secret-keys) and user.signingkey",
        ) from None
