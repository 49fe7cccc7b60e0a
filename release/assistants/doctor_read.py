"""Gathering what `doctor` reports: GitHub's view of the token and the repositories the release
touches, gpg's secret keys, pandoc, a login to the SMTP server, the index credentials."""

from __future__ import annotations

from collections.abc import Callable

from release.assistants.doctor import (
    GitHubFacts,
    Need,
    fork_row,
    is_classic,
    kind_of,
    need_row,
    token_rows,
    workflow_row,
)
from release.checks.result import CheckResult, Status
from release.context import Context
from release.errors import ReleaseError, ServiceError
from release.output import invocation
from release.services.github import GitHubService
from release.services.github_token import RepoAccess, probe, repo_access, token_view
from release.services.gpg import secret_keys
from release.services.mail import SmtpSettings
from release.services.pypi import Credentials


def collect(ctx: Context, *, probe_writes: bool, offline: bool,
            why: str = "--offline") -> list[CheckResult]:
    rows = ([CheckResult.warn("every GitHub step", "GitHub token", f"not looked at ({why})",
                              invocation.command("doctor"))]
            if offline else github_rows(ctx, probe_writes))
    looks = ((gpg_row, "tag --sign", "gpg signing key"), (pandoc_row, "github-release", "pandoc"),
             (smtp_row, "announce --send", "SMTP login"), (index_row, "upload", "index credentials"))
    rows += [_guarded(look, ctx, area, name) for look, area, name in looks]
    return rows


def _guarded(look: Callable[[Context], CheckResult], ctx: Context, area: str, name: str) -> CheckResult:
    """A facility that cannot be looked at (pandoc missing, the SMTP server refusing) is its
    row's failure."""
    try:
        return look(ctx)
    except ReleaseError as exc:
        return CheckResult.fail(area, name, exc.message, exc.hint or "")


def needs(ctx: Context) -> list[Need]:
    cfg = ctx.config
    return [
        Need("tag, github-release", cfg.github_repo, "contents", "pushing the tag and making the release"),
        Need("prepare, reset-branch, post-release", cfg.github_repo, "pull_requests",
             "opening the release pull requests"),
        Need("wheels", cfg.wheels.workflow_repo, "actions", "dispatching the wheel workflow"),
        Need("announce", cfg.docs.website_github_repo, "pull_requests", "opening the website pull request"),
    ]


def github_rows(ctx: Context, probe_writes: bool) -> list[CheckResult]:
    facts, forks = github_facts(ctx, probe_writes)
    rows = token_rows(facts)
    if facts.token is None:
        return rows
    rows += [need_row(need, facts) for need in needs(ctx)]
    owner = ctx.config.github.fork_owner or facts.token.login
    rows.append(fork_row("prepare, reset-branch, post-release", ctx.config.github_repo,
                         forks.get(ctx.config.github_repo), owner))
    rows.append(fork_row("announce", ctx.config.docs.website_github_repo,
                         forks.get(ctx.config.docs.website_github_repo), owner))
    rows.append(workflow_row(facts))
    return rows


def github_facts(ctx: Context, probe_writes: bool) -> tuple[GitHubFacts, dict[str, RepoAccess]]:
    variable = next((name for name in ("GITHUB_TOKEN", "GH_TOKEN") if ctx.env.get(name)), "")
    kind = kind_of(ctx.env[variable]) if variable else ""
    if not variable:
        return GitHubFacts("", "", None, "", {}, {}), {}
    service = ctx.github()
    try:
        token = token_view(service)
    except ServiceError as exc:
        return GitHubFacts(variable, kind, None, exc.message, {}, {}), {}
    wanted = needs(ctx)
    repos = {need.repo: _access(service, need.repo) for need in wanted}
    owner = ctx.config.github.fork_owner or token.login
    forks = {upstream: _access(service, f"{owner}/{upstream.partition('/')[2]}")
             for upstream in (ctx.config.github_repo, ctx.config.docs.website_github_repo)}
    facts = GitHubFacts(variable, kind, token, "", repos, {})
    if probe_writes and not is_classic(facts):
        probed = {(n.repo, n.permission): probe(service, n.repo, n.permission)
                  for n in wanted if repos[n.repo].exists and repos[n.repo].push}
        facts = GitHubFacts(variable, kind, token, "", repos, probed)
    return facts, forks


def _access(service: GitHubService, name: str) -> RepoAccess:
    try:
        return repo_access(service, name)
    except ServiceError:
        return RepoAccess(name, exists=False)


def _git_config(ctx: Context, key: str) -> str:
    try:
        return ctx.git.run(["config", "--get", key]).strip()
    except ReleaseError:
        return ""


def gpg_row(ctx: Context) -> CheckResult:
    """The key `tag --sign` would use: [tool.release] signing_key, else git's user.signingkey,
    else (as git does) the key of the committer's e-mail."""
    cfg = ctx.config
    signing = cfg.sign_tags or bool(cfg.signing_key)
    candidates = [("[tool.release] signing_key", cfg.signing_key),
                  ("git's user.signingkey", _git_config(ctx, "user.signingkey")),
                  ("your committer e-mail (git's choice without user.signingkey)",
                   _git_config(ctx, "user.email"))]
    source, key = next(((where, value) for where, value in candidates if value), ("", ""))
    program = _git_config(ctx, "gpg.program") or "gpg"
    keys = secret_keys(key, program, dict(ctx.env)) if key else []
    usable = [k for k in keys if k.usable]
    area, name = "tag --sign", "gpg signing key"
    fix = ("gpg --full-generate-key, then git config --global user.signingkey FINGERPRINT "
           "(and send the public key to a key server)")
    if usable:
        return CheckResult.ok(area, name, f"{usable[0].uid} ({usable[0].fingerprint[-16:]}) can sign; "
                              f"chosen by {source}")
    if keys:
        why = "; ".join(f"{k.uid or k.fingerprint}: {k.why_not}" for k in keys)
        return CheckResult(area, name, _severity(signing), f"{key} (from {source}) cannot sign: {why}", fix)
    what = f"no secret key for {key} (from {source})" if key else "no key configured and no committer e-mail"
    return CheckResult(area, name, _severity(signing), f"{what} in {program}", fix)


def _severity(signing: bool) -> Status:
    return Status.FAIL if signing else Status.WARN


def pandoc_row(ctx: Context) -> CheckResult:
    from release.services.pandoc import pandoc_version

    return CheckResult.ok("github-release", "pandoc", f"{pandoc_version()} (the release body)")


def smtp_row(ctx: Context) -> CheckResult:
    mail, area, name = ctx.config.mail, "announce --send", "SMTP login"
    if not mail.smtp_user:
        return CheckResult.warn(area, name, f"no smtp_user: --send would use {mail.smtp_host}:"
                                f"{mail.smtp_port} without a login; without --send the .eml is "
                                "written to send by hand", 'set [tool.release.mail] smtp_user = "..."')
    password = ctx.env.get(mail.password_env, "")
    if not password:
        return CheckResult.fail(area, name, f"{mail.password_env} is not set",
                                f"export {mail.password_env} (the SMTP password of {mail.smtp_user})")
    settings = SmtpSettings(mail.smtp_host, mail.smtp_port, mail.smtp_user, password, mail.starttls,
                            ctx.env.get("SSL_CERT_FILE") or None)
    ctx.mail(settings).check_login()
    return CheckResult.ok(area, name, f"logged in to {settings.describe()}; nothing sent")


def index_row(ctx: Context) -> CheckResult:
    area, name = "upload", "index credentials"
    found = Credentials.from_env(ctx.env)
    if found is None:
        return CheckResult.warn(area, name, "no TWINE_PASSWORD or PYPI_API_TOKEN: only `upload` needs "
                                "them (NumPy's wheels workflow publishes with trusted publishing)",
                                "export TWINE_USERNAME=__token__ TWINE_PASSWORD=<token> before upload")
    names = [v for v in ("TWINE_USERNAME", "TWINE_PASSWORD", "PYPI_API_TOKEN") if ctx.env.get(v)]
    return CheckResult.ok(area, name, f"{', '.join(names)} set (an index checks them only on upload)")
