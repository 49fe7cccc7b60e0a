"""Announce a release: the website (numpy.org-shaped: news page, releases list, front-page
button) on a branch with one commit and, with --push, a pull request; and the mailing-list mail,
written as an .eml and, with --send, sent over SMTP."""

from __future__ import annotations

import argparse
import datetime
import email
import email.policy
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from release.changelog.counts import ChangelogSummary, read_changelog, read_notes_credits
from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.notes.summary import NotesSummary, summarize
from release.plan import Call, Plan, WriteFile
from release.repo.branch_commit import CommitSpec, FileChange, add_commit, add_push_if_needed
from release.repo.pull_request import add_open_pull, url_owner
from release.services.git import GitService
from release.services.github import GitHubService
from release.services.mail import PartialDelivery, SmtpSettings
from release.sites import scipy_news
from release.sites.announce_mail import MailSpec, body, display_name, eml_text, message, sender_domain
from release.sites.news_page import Announcement, edit_news, edit_site_config, release_url
from release.status import looks
from release.steps import Look, Rechecks, Step
from release.steps.common import add_push_option, add_version, option_path
from release.templating import render
from release.version import ReleaseVersion


def recheck(rechecks: Rechecks, argv: tuple[str, ...]) -> str | None:
    """A resumed rehearsal's look: status's, and with `--send` a mail on the stand-in server."""
    missing = rechecks.status("announce", argv[1])
    mailed = rechecks.config.announcement == "mail"
    if missing is None and mailed and "--send" in argv and rechecks.mails() == 0:
        return "the mail server holds no announcement"
    return missing


STEP = Step(name="announce", order=140, journaled=True, read_only=False,
            summary="Announce on the website; write the mailing-list mail or the Discourse post",
            status=Look(row="announcement", order=7, find=looks.announcement), resume=recheck)


@dataclass(frozen=True)
class AnnounceOptions:
    """The options argparse parsed for this step."""

    date: str | None
    fork_owner: str | None
    output: Path | None
    push: bool
    send: bool
    website_repo: Path | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_version(parser)
    add_push_option(parser, "the website branch to your fork and open the pull request")
    parser.add_argument("--fork-owner", metavar="LOGIN",
                        help="the GitHub login owning the website fork (default: "
                             "[tool.release.docs] website_fork_owner, else the fork's URL, "
                             "else the token's user)")
    parser.add_argument("--website-repo", type=Path, metavar="PATH",
                        help="a clone of the numpy.org-shaped site (default: docs.website_repo; "
                             "without either the website is left alone)")
    parser.add_argument("--date", help="the announcement date, YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="where to write the .eml (default: mail.output in the project)")
    parser.add_argument("--send", action="store_true",
                        help="send the mail over SMTP (mail.smtp_*; password from the environment)")


def run(ctx: Context) -> int:
    version = ctx.version()
    if version.is_dev:
        raise UsageError(f"{version} is a development version; there is nothing to announce",
                         hint="pass the release version, e.g. 2.4.0")
    day = _date(ctx)
    notes, changelog = _read_inputs(ctx, version)
    plan = Plan(f"announce {ctx.config.project} {version}")
    if version.is_prerelease:
        plan.notes.append(f"website left alone: pre-releases ({version}) are not announced there")
    elif ctx.typed(AnnounceOptions).website_repo or ctx.config.docs.website_repo:
        announcement = Announcement(
            project=ctx.config.project, version=str(version), series=version.series, date=day,
            release_url=release_url(ctx.config, version), notes=notes, feature=version.is_feature)
        Website.from_context(ctx, version, announcement).add_to(plan)
    else:
        plan.notes.append("website left alone: pass --website-repo PATH (a numpy.org-shaped clone)")
    message: MailStep | DiscoursePost
    if ctx.config.announcement == "discourse":
        message = DiscoursePost.from_context(ctx, version)
    else:
        message = MailStep.from_context(ctx, version, notes, changelog)
    message.add_to(plan)
    if not plan.actions:
        for note in plan.notes:
            ctx.say(f"note: {note}")
        print(f"{ctx.config.project} {version} is already announced; nothing to do", file=ctx.out)
    else:
        ctx.execute(plan)
    print(message.path, file=ctx.out)
    return 0


def _date(ctx: Context) -> datetime.date:
    given = ctx.typed(AnnounceOptions).date
    if not given:
        return datetime.datetime.now(datetime.UTC).date()
    try:
        return datetime.date.fromisoformat(given)
    except ValueError:
        raise UsageError(f"--date {given!r} is not a date", hint="write it as YYYY-MM-DD") from None


def _read_inputs(ctx: Context, version: ReleaseVersion) -> tuple[NotesSummary, ChangelogSummary]:
    texts = []
    credited_in_notes = ctx.config.credits == "authors"
    files = (("notes", ctx.config.notes),) if credited_in_notes else (
        ("notes", ctx.config.notes), ("changelog", ctx.config.changelog))
    for kind, pattern in files:
        path = ctx.repo / ctx.path(pattern, version)
        if not path.is_file():
            raise PreconditionError(f"the {kind} {path.relative_to(ctx.repo)} is missing",
                                    hint=f"create it first (nox -s {kind} -- {version})")
        texts.append(path.read_text(encoding="utf-8"))
    if credited_in_notes:
        return summarize(texts[0]), read_notes_credits(texts[0], ctx.path(ctx.config.notes, version))
    where = ctx.path(ctx.config.changelog, version)
    return summarize(texts[0]), read_changelog(texts[1], where)


# -- the website -----------------------------------------------------------------------------


@dataclass
class Website:
    ctx: Context
    version: ReleaseVersion
    announcement: Announcement
    root: Path
    git: GitService
    branch: str

    @classmethod
    def from_context(cls, ctx: Context, version: ReleaseVersion, a: Announcement) -> Website:
        cfg = ctx.config.docs
        root = option_path(ctx, ctx.typed(AnnounceOptions).website_repo, cfg.website_repo)
        if not root.is_dir():
            raise UsageError(f"website repository {root} does not exist", hint="check --website-repo")
        git = ctx.git_at(root)
        dirty = git.status_lines()
        if dirty:
            raise PreconditionError(f"the website repository {root} is not clean ({dirty[0][3:]})",
                                    hint=f"git -C {root} status; commit or discard, then rerun")
        branch = version.format(cfg.website_branch, package=ctx.config.package)
        return cls(ctx, version, a, root, git, branch)

    @property
    def message(self) -> str:
        return self.ctx.config.docs.website_commit_message.format(
            project=self.ctx.config.project, version=self.version)

    def _current(self, path: str, exists: bool) -> str:
        ref = f"refs/heads/{self.branch}" if exists else "HEAD"
        text = self.git.show_file(ref, path)
        if text is None:
            raise PreconditionError(f"{self.root / path} is missing",
                                    hint="is --website-repo a clone of the numpy.org-shaped site?")
        return text

    def add_to(self, plan: Plan) -> None:
        cfg = self.ctx.config.docs
        exists = self.git.has_ref(f"refs/heads/{self.branch}")
        writes: list[FileChange] = []
        news_old = self._current(cfg.news_file, exists)
        scipy_org = self.ctx.config.website == "scipy-org"
        if scipy_org:
            a = self.announcement
            news_new = scipy_news.edit_news(
                news_old, project=a.project, version=a.version, day=a.date,
                release_url=a.release_url, where=str(self.root / cfg.news_file),
                search=self.ctx.template_search())
        else:
            news_new = edit_news(news_old, self.announcement, str(self.root / cfg.news_file))
        if news_new != news_old:
            writes.append(FileChange(cfg.news_file, news_new, ""))
        if self.announcement.feature and not scipy_org:
            config_old = self._current(cfg.site_config, exists)
            config_new = edit_site_config(config_old, self.announcement, str(self.root / cfg.site_config))
            if config_new != config_old:
                writes.append(FileChange(cfg.site_config, config_new, ""))
        current = self.git.current_branch()
        if writes:
            if exists and current != self.branch:
                raise PreconditionError(
                    f"the branch {self.branch} exists but is not checked out in {self.root}",
                    hint=f"git -C {self.root} checkout {self.branch}, then rerun")
            if not exists and current != cfg.website_base:
                raise PreconditionError(
                    f"the website repository is on {current or 'a detached HEAD'}, not on {cfg.website_base}",
                    hint=f"git -C {self.root} checkout {cfg.website_base} && git pull, then rerun")
            spec = CommitSpec(branch=self.branch, start=self.git.head(), message_template="",
                              values={}, changes=tuple(writes), skip_ci="",
                              new_branch=not exists, text=self.message)
            add_commit(plan, self.ctx, spec, git=self.git)
            plan.verify(f"the website repository {self.root} is clean", self._check_clean)
        if self.ctx.typed(AnnounceOptions).push and (writes or exists):  # else the base already has it all
            self._add_push(plan, changed=bool(writes))
        elif writes:
            plan.notes.append(f"website branch not pushed; --push pushes {self.branch} to "
                              f"{cfg.website_remote} and opens the pull request")

    def _check_clean(self) -> None:
        dirty = self.git.status_lines()
        if dirty:
            raise VerificationError(f"the website repository has changes after the commit "
                                    f"({dirty[0][3:]})", hint=f"git -C {self.root} status")

    def _fork_owner(self, remote: str, github: GitHubService) -> str:
        """docs.website_fork_owner, else the owner in the fork's GitHub URL, else the login of
        the token's user (whose fork it normally is)."""
        owner = self.ctx.typed(AnnounceOptions).fork_owner or self.ctx.config.docs.website_fork_owner
        if owner:
            return owner
        found = url_owner(self.git.remote_url(remote))
        if found is not None:
            return found
        if not github.has_token:
            raise PreconditionError(f"cannot tell whose fork the remote {remote!r} is",
                                    hint="set docs.website_fork_owner to your GitHub login")
        return github.token_login()

    def _add_push(self, plan: Plan, changed: bool) -> None:
        cfg = self.ctx.config.docs
        remote = cfg.website_remote
        if remote not in self.git.remotes():
            raise PreconditionError(f"the website repository has no remote named {remote!r}",
                                    hint="add your fork (git remote add origin URL) or set "
                                         "docs.website_remote")
        ref = f"refs/heads/{self.branch}"
        github = self.ctx.github(cfg.website_github_repo)
        head = f"{self._fork_owner(remote, github)}:{self.branch}"
        add_push_if_needed(plan, self.ctx, remote, ref, committed=changed, git=self.git)
        body_text = render("announce-pr.md.j2", project=self.ctx.config.project,
                           version=str(self.version), feature=self.announcement.feature,
                           release_url=self.announcement.release_url)
        add_open_pull(plan, self.ctx, github, head=head, base=cfg.website_base, title=self.message,
                      body=body_text)


# -- the Discourse post ----------------------------------------------------------------------


@dataclass
class DiscoursePost:
    """`announcement = "discourse"` (SciPy): the post for discuss.scientific-python.org's
    Announcements, written as a file; posting it stays the release manager's."""

    ctx: Context
    version: ReleaseVersion
    path: Path
    text: str

    @classmethod
    def from_context(cls, ctx: Context, version: ReleaseVersion) -> DiscoursePost:
        cfg = ctx.config
        names = {"project": cfg.project, "package": cfg.package, "version": str(version),
                 "series": version.series}
        notes = (ctx.repo / ctx.path(cfg.notes, version)).read_text(encoding="utf-8")
        text = scipy_news.discourse_post(
            project=cfg.project, package=cfg.package, version=str(version),
            release_url=release_url(cfg, version), pypi_url=cfg.mail.pypi_url.format(**names),
            notes=notes, search=ctx.template_search())
        output = ctx.typed(AnnounceOptions).output
        path = Path(output).resolve() if output else ctx.repo / cfg.mail.post_output.format(**names)
        return cls(ctx, version, path, text)

    def add_to(self, plan: Plan) -> None:
        root = self.ctx.repo if self.path.is_relative_to(self.ctx.repo) else self.path.parent
        post = WriteFile(root, str(self.path.relative_to(root)), self.text)
        if not post.is_noop():
            plan.add(post)
        plan.notes.append(f"post {self.path.name} on discuss.scientific-python.org (Announcements) "
                          "by hand: its first line is the title"
                          + ("; nothing is mailed (--send has no mail to send)"
                             if self.ctx.typed(AnnounceOptions).send else ""))


# -- the mail --------------------------------------------------------------------------------


@dataclass
class MailStep:
    ctx: Context
    spec: MailSpec
    path: Path
    text: str

    @classmethod
    def from_context(cls, ctx: Context, version: ReleaseVersion, notes: NotesSummary,
                     changelog: ChangelogSummary) -> MailStep:
        cfg, mail = ctx.config, ctx.config.mail
        names = {"project": cfg.project, "package": cfg.package, "version": str(version),
                 "series": version.series}
        spec = MailSpec(
            project=cfg.project, version=str(version), prerelease=version.is_prerelease,
            patch=version.is_patch, subject=mail.subject.format(**names), sender=mail.sender,
            to=mail.to, bcc=mail.bcc, signer=mail.signer or display_name(mail.sender),
            pypi_url=mail.pypi_url.format(**names), release_url=release_url(ctx.config, version),
            notes_url=mail.notes_url.format(**{**names, "version": version.base}),
        )
        if not version.is_feature:
            notes = NotesSummary(notes.intro, (), notes.python)
        text = eml_text(message(spec, body(spec, notes, changelog)))
        output = ctx.typed(AnnounceOptions).output
        path = Path(output).resolve() if output else ctx.repo / mail.output.format(**names)
        return cls(ctx, spec, path, text)

    @property
    def marker(self) -> Path:
        return self.path.with_name(self.path.name + ".sent")

    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    def add_to(self, plan: Plan) -> None:
        root = self.ctx.repo if self.path.is_relative_to(self.ctx.repo) else self.path.parent
        eml = WriteFile(root, str(self.path.relative_to(root)), self.text)
        if not eml.is_noop():
            plan.add(eml)
        if not self.ctx.typed(AnnounceOptions).send:
            plan.notes.append(f"mail not sent; --send delivers it to {', '.join(self.spec.recipients)}")
            return
        record = render("announce-sent.txt.j2", digest=self.digest(), recipients=self.spec.recipients)
        if self.marker.is_file():
            if self.marker.read_text(encoding="utf-8") == record:
                plan.notes.append(f"mail already sent (recorded in {self.marker})")
                return
            raise PreconditionError(
                f"an announcement for {self.spec.version} was already sent and the mail has changed since",
                hint=f"send the correction by hand, or delete {self.marker} to send again")
        service = self.ctx.mail(self._settings())
        marker = WriteFile(self.marker.parent, self.marker.name, record)

        def send() -> None:
            try:
                service.send(self._stamped(), self.spec.recipients)
            except PartialDelivery:
                marker.apply()  # the others have it: a rerun must not send it to them again
                raise

        plan.add(Call(f"send {self.path.name} to {', '.join(self.spec.recipients)} via "
                      f"{service.settings.describe()}", send,
                      undo="none: a sent mail cannot be recalled"))
        plan.add(marker)

    def _settings(self) -> SmtpSettings:
        mail = self.ctx.config.mail
        if not mail.sender:
            raise PreconditionError("no sender for the announcement mail",
                                    hint='set [tool.release.mail] sender = "Name <address>"')
        if not self.spec.recipients:
            raise PreconditionError("no recipients for the announcement mail",
                                    hint="set [tool.release.mail] to (and bcc)")
        password = self.ctx.env.get(mail.password_env, "")
        if mail.smtp_user and not password:
            raise PreconditionError(f"{mail.password_env} is not set",
                                    hint=f"export {mail.password_env} with the SMTP password for "
                                         f"{mail.smtp_user}")
        return SmtpSettings(mail.smtp_host, mail.smtp_port, mail.smtp_user, password, mail.starttls,
                            self.ctx.env.get("SSL_CERT_FILE") or None)

    def _stamped(self) -> EmailMessage:
        """The message as sent: the .eml plus Date and Message-ID. Parsed from bytes, so an 8bit
        body with non-ASCII text (a title with `→`) is sent as UTF-8 instead of failing to encode."""
        msg = email.message_from_bytes(self.text.encode("utf-8"), policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        msg["Date"] = formatdate(usegmt=True)
        msg["Message-ID"] = make_msgid(domain=sender_domain(self.spec.sender))
        return msg
