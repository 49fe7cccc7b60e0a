"""What each step will need on the day, and whether it is there: the GitHub token and what it may
do on each repository, push access and the fork, gpg, pandoc, the SMTP login, the index
credentials. Rows only; secrets are never part of them (a token shows as its kind)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from release.checks.result import CheckResult
from release.output import invocation
from release.services.github_token import RepoAccess, TokenView

# Token kinds by the prefix GitHub gives each (the prefix is the kind, not a secret).
KINDS = {"ghp_": "classic personal access token", "github_pat_": "fine-grained personal access token",
         "gho_": "OAuth token (gh auth token)", "ghu_": "GitHub App user token",
         "ghs_": "GitHub App installation token"}
PERMISSION_WORDS = {"contents": "Contents", "pull_requests": "Pull requests", "actions": "Actions",
                    "issues": "Issues"}
TOKEN_SETTINGS = "https://github.com/settings/personal-access-tokens"


@dataclass(frozen=True)
class Need:
    """One thing a step will do on GitHub: `permission` write on `repo`."""

    steps: str
    repo: str
    permission: str
    why: str


@dataclass(frozen=True)
class GitHubFacts:
    variable: str  # GITHUB_TOKEN or GH_TOKEN, "" when neither is set
    kind: str
    token: TokenView | None
    error: str
    repos: Mapping[str, RepoAccess]
    probes: Mapping[tuple[str, str], bool]  # (repo, permission) -> held, for fine-grained tokens


def kind_of(token: str) -> str:
    for prefix, kind in KINDS.items():
        if token.startswith(prefix):
            return kind
    return "token of an unknown kind"


def is_classic(facts: GitHubFacts) -> bool:
    return facts.token is not None and facts.token.scopes is not None


def token_rows(facts: GitHubFacts) -> list[CheckResult]:
    area = "every GitHub step"
    if not facts.variable:
        return [CheckResult.fail(area, "GitHub token", "neither GITHUB_TOKEN nor GH_TOKEN is set",
                                 "export GITHUB_TOKEN=$(gh auth token)")]
    if facts.token is None:
        return [CheckResult.fail(area, "GitHub token", f"{facts.variable} ({facts.kind}): {facts.error}",
                                 "make a new token, e.g. export GITHUB_TOKEN=$(gh auth token)")]
    detail = f"{facts.variable}: {facts.kind} of {facts.token.login}"
    if facts.token.scopes is not None:
        detail += f"; scopes: {', '.join(facts.token.scopes) or 'none'}"
    else:
        detail += "; GitHub lists no scopes for it (fine-grained permissions are not listed)"
    return [CheckResult.ok(area, "GitHub token", detail)]


def need_row(need: Need, facts: GitHubFacts) -> CheckResult:
    """Whether the token may do what `need` says on its repository."""
    name = f"{PERMISSION_WORDS[need.permission]} write on {need.repo}"
    access = facts.repos.get(need.repo)
    if access is None or not access.exists:
        return CheckResult.fail(need.steps, name, f"{need.repo} is not visible with this token "
                                f"({need.why})", f"check the name in [tool.release]; give the token "
                                f"access to {need.repo}")
    if not access.push:
        return CheckResult.fail(need.steps, name, f"{facts.token.login if facts.token else 'you'} has no "
                                f"write access to {need.repo} ({need.why})",
                                f"ask an admin of {need.repo} for write access")
    if is_classic(facts):
        return _classic(need, name, access, facts)
    held = facts.probes.get((need.repo, need.permission))
    if held is None:
        return CheckResult.warn(need.steps, name, f"GitHub does not list a fine-grained token's "
                                f"permissions; {need.why} needs {PERMISSION_WORDS[need.permission]}: "
                                "Read and write", invocation.command("doctor", "--probe")
                                + f" (sends writes GitHub must refuse), or look at {TOKEN_SETTINGS}")
    if held:
        return CheckResult.ok(need.steps, name, f"the token holds it (probed; {need.why})")
    return CheckResult.fail(need.steps, name, f"the token lacks {PERMISSION_WORDS[need.permission]}: "
                            f"write on {need.repo}: {need.why} would be refused (403)",
                            f"at {TOKEN_SETTINGS}, give the token {PERMISSION_WORDS[need.permission]}: "
                            f"Read and write on {need.repo}")


def _classic(need: Need, name: str, access: RepoAccess, facts: GitHubFacts) -> CheckResult:
    scopes = set(facts.token.scopes or ()) if facts.token else set()
    enough = {"repo"} if need.permission == "actions" or access.private else {"repo", "public_repo"}
    if scopes & enough:
        scope = sorted(scopes & enough)[0]
        return CheckResult.ok(need.steps, name, f"scope {scope}, write access ({need.why})")
    wanted = "repo" if "public_repo" not in enough else "repo (or public_repo)"
    return CheckResult.fail(need.steps, name, f"the token's scopes ({', '.join(sorted(scopes)) or 'none'}) "
                            f"lack {wanted}: {need.why} would be refused",
                            "gh auth refresh -h github.com -s repo (or a new token with the repo scope)")


def workflow_row(facts: GitHubFacts) -> CheckResult:
    area, name = "pushes changing .github/workflows", "workflow permission"
    why = "GitHub refuses a push that changes .github/workflows (a backported CI change) without it"
    if facts.token is None:
        return CheckResult.warn(area, name, "no usable token to look at", "")
    if is_classic(facts):
        if "workflow" in (facts.token.scopes or ()):
            return CheckResult.ok(area, name, "scope workflow")
        return CheckResult.warn(area, name, f"no workflow scope: {why}",
                                "gh auth refresh -h github.com -s workflow")
    return CheckResult.warn(area, name, f"not listed for a fine-grained token: {why}",
                            f"give the token Workflows: Read and write at {TOKEN_SETTINGS}")


def fork_row(steps: str, upstream: str, fork: RepoAccess | None, owner: str) -> CheckResult:
    name = f"fork {owner}/{upstream.partition('/')[2]}"
    if fork is None or not fork.exists:
        return CheckResult.fail(steps, name, f"{owner} has no fork of {upstream}: the work branches "
                                "are pushed there for the pull requests",
                                f"gh repo fork {upstream} --clone=false")
    if fork.fork_of and fork.fork_of.lower() != upstream.lower():
        return CheckResult.fail(steps, name, f"{fork.name} is a fork of {fork.fork_of}, not of {upstream}",
                                "set [tool.release.github] fork_owner, or pass --fork-owner")
    if not fork.push:
        return CheckResult.fail(steps, name, f"no write access to {fork.name}",
                                f"give the token access to {fork.name}")
    parent = f", a fork of {fork.fork_of}" if fork.fork_of else ""
    return CheckResult.ok(steps, name, f"exists, writable{parent}")
