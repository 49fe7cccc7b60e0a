"""Find contributor identity problems in a release range and propose (or write) `.mailmap` lines."""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from release.changelog.authors import rejected_lines
from release.changelog.contributors import shortlog_names
from release.context import Context
from release.errors import PreconditionError, UsageError, VerificationError
from release.identities.findings import Finding, proposals
from release.identities.history import Sightings
from release.identities.mailmap import Mailmap, insert_lines, skipped_lines
from release.identities.names_only import insert_by_name
from release.identities.propose import MailmapState, Proposal, names_view, propose
from release.plan import Call, Plan, WriteFile
from release.repo.revision_range import RevisionRange, resolve
from release.steps import Step
from release.steps.common import add_json_option, write_json
from release.templating import render
from release.version import ReleaseVersion

if TYPE_CHECKING:
    from release.services.github import GitHubService

STEP = Step(name="mailmap", order=60, journaled=True, read_only=False,
            summary="Find contributor identity problems; propose .mailmap",
            status=None, resume=None)

MAX_COMMITS = 6


@dataclass(frozen=True)
class MailmapOptions:
    target: str
    ref: str | None
    offline: bool
    write: bool
    issue: bool
    publish: bool
    json: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="VERSION|A..B",
                        help="the release version (its range is inferred) or a revision range")
    parser.add_argument("--ref", help="read .mailmap from this commit instead of the work tree")
    parser.add_argument("--offline", action="store_true",
                        help="do not ask GitHub who is behind an identity")
    parser.add_argument("--write", action="store_true",
                        help="add the proposed lines to .mailmap and show the Contributors diff")
    parser.add_argument("--issue", action="store_true",
                        help='print the "mailmap update for X.Y" issue text')
    parser.add_argument("--publish", action="store_true", help="open that issue on GitHub")
    add_json_option(parser, "the findings (kind, identities as git has them, reason, proposed line) "
                    "and the lines git skips")


def run(ctx: Context) -> int:
    opts = ctx.typed(MailmapOptions)
    if opts.write and opts.ref:
        raise UsageError("--write edits the work tree's .mailmap; it cannot be combined with --ref",
                         hint="drop --ref")
    version, span = target(ctx)
    found = propose(ctx.git, ctx.repo, ctx.config, span, github=github_for(ctx), say=ctx.say,
                    ref=opts.ref)
    state, sightings, findings, usable = found.state, found.sightings, found.findings, found.lines
    ctx.say(f"mailmap: {len(sightings.commits)} identities in {span}, {state.where}")
    ctx.note(*(finding.result(ctx.config.mailmap) for finding in findings))
    if opts.json:
        if opts.write or opts.issue or opts.publish:
            raise UsageError("--json reports the findings only",
                             hint="drop --write/--issue/--publish, or --json")
        write_json(ctx, "mailmap", as_json(findings, usable, state.text,
                                           names=ctx.config.mailmap_style == "names"))
        return 1 if any(f.is_error for f in findings) else 0
    ctx.out.write(report(findings, usable, found.notes))
    plan = Plan(f".mailmap for {span}")
    if opts.write and ctx.config.mailmap_style == "names":
        _write_by_name(ctx, plan, found)
    elif opts.write:
        _write_actions(ctx, plan, span, state, sightings, usable)
    if opts.issue or opts.publish:
        _issue_actions(ctx, plan, version, span, findings)
    if plan.actions or plan.notes:
        ctx.execute(plan)
    return 1 if any(f.is_error for f in findings) else 0


def target(ctx: Context) -> tuple[ReleaseVersion | None, RevisionRange]:
    text = ctx.typed(MailmapOptions).target
    explicit = RevisionRange.parse(text)
    if explicit is not None:
        return None, resolve(ctx.git, ctx.config, None, explicit=explicit)
    version = ReleaseVersion.parse(text)
    return version, resolve(ctx.git, ctx.config, version)


def github_for(ctx: Context) -> Callable[[], GitHubService] | None:
    """Where logins come from: nowhere with `--offline`, else GitHub."""
    return None if ctx.typed(MailmapOptions).offline else ctx.github


def report(findings: Sequence[Finding], usable: Sequence[str],
           notes: Sequence[Finding] = ()) -> str:
    shown = [*_described(notes, "note ")]
    if not findings:
        return "\n".join([*shown, "no identity problems found"]) + "\n"
    lines = [*_described(findings), *shown]
    lines.append("")
    lines.append(f"{len(usable)} proposed .mailmap line(s)" + (":" if usable else ""))
    lines.extend(f"  {line}" for line in usable)
    lines.extend(f"  not proposed (a later .mailmap line for that address wins; edit it instead): {line}"
                 for line in proposals(findings) if line not in usable)
    return "\n".join(lines) + "\n"


def _described(findings: Sequence[Finding], label: str = "") -> list[str]:
    lines = []
    for finding in findings:
        level = label or ("error" if finding.is_error else "warn ")
        lines.append(f"{level} {finding.kind}: {finding.detail}")
        if finding.commits:
            more = len(finding.commits) - MAX_COMMITS
            listed = " ".join(finding.commits[:MAX_COMMITS]) + (f" (+{more} more)" if more > 0 else "")
            lines.append(f"      commits: {listed}")
        lines.extend(f"      propose: {line}" for line in finding.proposals)
        if finding.reason:
            lines.append(f"      why ({finding.likelihood}): {finding.reason}")
    return lines


def as_json(findings: Sequence[Finding], usable: Sequence[str], text: str, *,
            names: bool = False) -> dict[str, Any]:
    """The findings, most likely first, each identity exactly as git has it before the
    `.mailmap` applies; `proposed` is the first line git would honour (null: none); the lines
    git skips (`names`: the lines SciPy's name mapping refuses), by number."""
    rows = []
    for finding in findings:
        if finding.kind == "malformed":
            continue
        proposed = next((line for line in finding.proposals if line in usable), None)
        rows.append({"kind": finding.kind, "identities": [str(who) for who in finding.identities],
                     "reason": finding.reason or finding.detail, "detail": finding.detail,
                     "likelihood": finding.likelihood, "proposed": proposed,
                     "commits": list(finding.commits), "logins": list(finding.logins)})
    return {"findings": rows,
            "malformed": [{"line": number, "text": line} for number, line in
                          (rejected_lines(text) if names else skipped_lines(text))]}


def contributor_names(sightings: Sightings, mailmap: Mailmap, drop: Sequence[str]) -> list[str]:
    """The names the changelog would list, as git shortlog would map them."""
    names = {mailmap.map(who.name, who.email)[0] for who in sightings.commits}
    return sorted(names - set(drop))


def _write_actions(ctx: Context, plan: Plan, span: RevisionRange, state: MailmapState,
                   sightings: Sightings, lines: Sequence[str]) -> None:
    state.require_wellformed()
    if not lines:
        ctx.say("--write: no lines to add")
        return
    new_text = insert_lines(state.text, lines)
    after = Mailmap.parse(new_text, ctx.config.mailmap)
    drop = ctx.config.changelog_drop_names
    before_names = contributor_names(sightings, state.mailmap, drop)
    after_names = contributor_names(sightings, after, drop)
    diff = difflib.unified_diff([n + "\n" for n in before_names], [n + "\n" for n in after_names],
                                fromfile="Contributors (before)", tofile="Contributors (after)")
    ctx.out.write("".join(diff) or "Contributors: unchanged\n")
    plan.add(WriteFile(ctx.repo, ctx.config.mailmap, new_text))
    plan.verify("git shortlog lists the names predicted above",
                lambda: _verify_shortlog(ctx, str(span), set(after_names), sightings))


def _write_by_name(ctx: Context, plan: Plan, found: Proposal) -> None:
    """Names style: the lines SciPy's name mapping honours, the Authors' names before and after,
    and a check that the written file maps them so."""
    if rejected_lines(found.state.text):
        raise PreconditionError(f"{ctx.config.mailmap} has a line SciPy's name mapping refuses",
                                hint="fix that line first (see the malformed finding)")
    if not found.lines:
        ctx.say("--write: no lines to add")
        return
    new_text = insert_by_name(found.state.text, found.lines)
    view = names_view(ctx.config, found.sightings, found.state.text)
    before, after = sorted(set(view.credited().values())), sorted(set(view.credited(new_text).values()))
    diff = difflib.unified_diff([n + "\n" for n in before], [n + "\n" for n in after],
                                fromfile="Authors (before)", tofile="Authors (after)")
    ctx.out.write("".join(diff) or "Authors: unchanged\n")
    plan.add(WriteFile(ctx.repo, ctx.config.mailmap, new_text))

    def check() -> None:
        written = (ctx.repo / ctx.config.mailmap).read_text(encoding="utf-8")
        got = sorted(set(view.credited(written).values()))
        if got != after:
            raise VerificationError(f"{ctx.config.mailmap} maps the names otherwise than predicted",
                                    hint="another process may have written it; rerun")

    plan.verify(f"SciPy's name mapping credits the {len(after)} names predicted above", check)


def _verify_shortlog(ctx: Context, span: str, expected: set[str], sightings: Sightings) -> None:
    found = set(shortlog_names(ctx.git, [span])) - set(ctx.config.changelog_drop_names)
    extra = found - expected - {bad.value for bad in sightings.bad_trailers}
    missing = expected - found
    if extra or missing:
        raise VerificationError(
            f"git shortlog disagrees with the prediction: extra {sorted(extra)}, missing {sorted(missing)}",
            hint="check .mailmap with git log --format='%aN <%aE>'")


def issue_text(ctx: Context, version: ReleaseVersion | None, span: RevisionRange,
               findings: Sequence[Finding]) -> tuple[str, str]:
    series = version.series if version else str(span)
    items = []
    for finding in findings:
        if finding.is_error or finding.kind == "trailing-text":
            continue
        who = ", ".join(map(str, finding.identities)) or finding.detail
        items.append({"logins": finding.logins, "who": who, "kind": finding.kind,
                      "commits": " ".join(finding.commits[:MAX_COMMITS]),
                      "proposal": "; ".join(finding.proposals)})
    title = f"mailmap update for {series}"
    body = render("mailmap-issue.md.j2", project=ctx.config.project, series=series, range=str(span),
                  items=items)
    return title, body


def _issue_actions(ctx: Context, plan: Plan, version: ReleaseVersion | None, span: RevisionRange,
                   findings: Sequence[Finding]) -> None:
    title, body = issue_text(ctx, version, span, findings)
    ctx.out.write(f"\n# {title}\n\n{body}")
    if not ctx.typed(MailmapOptions).publish:
        return
    service = ctx.github()
    if ctx.dry_run and not service.has_token:
        plan.notes.append("no GitHub token: not looking for an open issue with this title")
    else:
        service.require_token("open the mailmap issue")
        existing = service.find_open_issue(title)
        if existing is not None:
            print(f"the issue {title!r} is already open: {existing.url}; nothing to do",
                  file=ctx.out)
            return

    def publish() -> None:
        issue = service.create_issue(title, body)
        print(f"opened {issue.url}", file=ctx.out)

    plan.add(Call(f"open the issue {title!r} on {ctx.config.github_repo}", publish,
                  undo=f"close the issue on {ctx.config.github_repo}"))
