"""`python -m release STEP VERSION [options]`: parse, load config, run one step, exit."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TextIO

from release import __version__
from release.checks.result import CheckResult
from release.config import LoadedConfig, load_config, user_config_path
from release.context import Context
from release.errors import BUG_EXIT, ReleaseError, UsageError, expected, write_traceback
from release.journal import check_readable, record, scrub, utc_now
from release.output import invocation
from release.output.redact import Scrubber, scrubbed
from release.services.git import GitService
from release.services.github_usage import GitHubUsage
from release.steps import declared, load

# Every step that may change something runs under the repository's lock, all or nothing (see
# release.repo.guard), except the rehearsal: it changes only its own workdir, which it locks.
UNGUARDED = frozenset({"rehearse"})
# steps that read the project's history (contributors, pull requests, tags, ancestry): refused
# up front in a shallow clone, before any other message could send the user the wrong way
HISTORY_STEPS = frozenset({"check", "changelog", "notes", "mailmap", "prepare", "tag", "status",
                           "reset-branch", "post-release", "branch", "support", "backports"})


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    findings: list[CheckResult] | None = None,
    usage: GitHubUsage | None = None,
) -> int:
    """Run one step; `findings`, when given, receives what the step noted as not passing, and
    `usage` what it asked of GitHub."""
    args = list(sys.argv[1:] if argv is None else argv)
    environ = dict(os.environ if env is None else env)
    scrubber = Scrubber.from_env(environ)
    out = scrubbed(out or sys.stdout, scrubber)
    err = scrubbed(err or sys.stderr, scrubber)
    invocation.use(invocation.detect(environ))
    invocation.use_terminal(out, environ)
    previous = _on_sigterm()
    try:
        code = _run(args, environ, out, err, findings, usage)
        out.flush()  # a reader that went away shows here, inside the handlers below
        return code
    except ReleaseError as exc:
        if findings is not None:
            findings.append(CheckResult.fail(args[0] if args else "", "error", exc.message,
                                             exc.hint or ""))
        return _report(exc, err)
    except KeyboardInterrupt:
        print("error: interrupted (Ctrl-C)", file=err)
        print(f"hint: rerun `{rerun_command(args)}`", file=err)
        return 130
    except BrokenPipeError:
        # the reader went away (`... --help | head`): nothing more can be said to it
        _silence_stdout()
        return 141
    except Exception as exc:  # the last line of defence: never a traceback on the console
        translated = expected(exc)
        if translated is not None:
            return _report(translated, err)
        return _bug(exc, args[0] if args else "", environ, scrubber, err)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _report(exc: ReleaseError, err: TextIO) -> int:
    print(f"error: {_one_line(invocation.respell(exc.message))}", file=err)
    if exc.hint:
        print(f"hint: {_one_line(invocation.respell(exc.hint))}", file=err)
    return exc.exit_code


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bug(exc: Exception, step: str, environ: Mapping[str, str], scrubber: Scrubber,
         err: TextIO) -> int:
    """An exception nothing expected: one line saying so, the traceback in a file."""
    place = f" in `{step}`" if step in declared() else ""
    print(f"error: unexpected {type(exc).__name__}{place}: {_one_line(str(exc))[:200]} "
          "(a bug in the toolkit)", file=err)
    try:
        where = write_traceback(exc, step if step in declared() else "", environ, scrubber)
    except OSError as problem:
        print(f"hint: the traceback could not be written ({problem.strerror}); please report "
              "the command and this line", file=err)
    else:
        print(f"hint: the traceback is in {where}; please report it with that file", file=err)
    return BUG_EXIT


def _on_sigterm() -> signal.Handlers | None:
    """SIGTERM takes Ctrl-C's path (put back what can be, say what was done)."""
    from release.repo.guard import raise_terminated

    try:
        return signal.signal(signal.SIGTERM, raise_terminated)  # type: ignore[return-value]
    except ValueError:  # not the main thread (a test, an embedding): leave signals alone
        return None


def rerun_command(args: Sequence[str]) -> str:
    """The command that runs this step again, spelled the way the user runs the toolkit, with
    secret-looking values hidden."""
    if not args:
        return invocation.prog()
    return invocation.command(args[0], *(shlex.quote(arg) for arg in scrub(args[1:])))


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _run(args: list[str], environ: dict[str, str], out: TextIO, err: TextIO,
         findings: list[CheckResult] | None = None, usage: GitHubUsage | None = None) -> int:
    if args and args[0] == "--version":
        print(f"numpy-release {__version__}", file=out)
        return 0
    if args and args[0] == "--print-completion":
        return _print_completion(args[1:], out)
    if not args or args[0] in ("-h", "--help"):
        print(overview(), file=out if args else err)
        return 0 if args else 2
    name = args[0]
    if name not in declared():
        import difflib

        close = difflib.get_close_matches(name, declared(), n=1)
        raise UsageError(
            f"unknown step {name!r}",
            hint=f"did you mean {close[0]!r}?" if close
            else f"run `{invocation.prog()} --help` for the list",
        )
    module = load_step(name)
    parser = step_parser(name, module)
    options = anchor_paths(vars(parser.parse_args(args[1:])), environ)
    if module.STEP.read_only and options.get("dry_run"):
        raise UsageError(f"{name} only looks and changes nothing, so --dry-run has nothing to show",
                         hint="run it without --dry-run")
    ctx = dataclasses.replace(make_context(options, environ, out, err, findings, usage),
                              rerun=rerun_command(args))
    try:
        return _run_step(ctx, name, module, args)
    finally:
        if ctx.options.get("verbose"):
            ctx.say(ctx.usage.summary())


def _run_step(ctx: Context, name: str, module: ModuleType, args: list[str]) -> int:
    if name in HISTORY_STEPS and (ctx.repo / ".git").exists():
        ctx.git.require_full_history()
    journaled = module.STEP.journaled
    if ctx.dry_run and not module.STEP.read_only and name not in UNGUARDED:
        from release.repo.guard import note_leftover

        note_leftover(ctx)
    if ctx.dry_run or (not journaled and (module.STEP.read_only or name in UNGUARDED)):
        result: int = module.run(ctx)
        return result
    if not journaled:
        return _guarded(ctx, module)
    repository = _repository(ctx)
    if ctx.options.get("version") and repository is not None:
        check_readable(repository, str(ctx.options["version"]))
    return _journaled(ctx, name, module, args[1:])


def _guarded(ctx: Context, module: ModuleType) -> int:
    from release.repo.guard import guarded

    with guarded(ctx) as run_ctx:
        return int(module.run(run_ctx))


def _journaled(ctx: Context, name: str, module: ModuleType, args: list[str]) -> int:
    """Run the step and, when it applied anything, append the run to the release journal
    (also when it failed part way: the journal then says how)."""
    started, code = utc_now(), 1
    try:
        code = _guarded(ctx, module)
        return code
    except ReleaseError as exc:
        code = exc.exit_code
        raise
    except KeyboardInterrupt:
        code = 130
        raise
    finally:
        if ctx.applied and ctx.options.get("version"):
            try:
                clean = Scrubber.from_env(ctx.env)
                record(_repository(ctx), name, str(ctx.options["version"]), [clean(arg) for arg in args],
                       started, code)
            except OSError as exc:
                ctx.say(f"note: the release journal was not written: {exc.strerror}")
            except ReleaseError as exc:
                ctx.say(f"note: the release journal was not written: {exc.message}")


def _repository(ctx: Context) -> GitService | None:
    """The step's repository, None for a directory that is not one (the journal lives in its
    git dir)."""
    try:
        return ctx.git
    except ReleaseError:
        return None


def load_step(name: str) -> ModuleType:
    return load(name)


def overview() -> str:
    width = max(map(len, declared()))
    if invocation.current() == invocation.NOX:
        usage = ["usage: nox -s STEP -- [VERSION] [--repo PATH] [--config FILE] [--dry-run] [options]",
                 "       nox -l"]
    else:
        prog = invocation.prog()
        usage = [f"usage: {prog} STEP [VERSION] [--repo PATH] [--config FILE] [--dry-run] [options]",
                 f"       {prog} --version | --print-completion bash|zsh|tcsh"]
    lines = [*usage, "", "steps (in walkthrough order):"]
    lines += [f"  {name.ljust(width)}  {step.summary}" for name, step in declared().items()]
    lines += ["", f"`{invocation.command('STEP', '--help')}` shows a step's options and examples."]
    return "\n".join(lines)


SHELLS = ("bash", "zsh", "tcsh")


def _print_completion(args: list[str], out: TextIO) -> int:
    """A completion script for every step and its options (shtab, from the real parsers)."""
    import shtab

    if len(args) != 1 or args[0] not in SHELLS:
        raise UsageError("--print-completion takes one shell: " + ", ".join(SHELLS),
                         hint="e.g. numpy-release --print-completion bash "
                              "> ~/.local/share/bash-completion/completions/numpy-release")
    top = argparse.ArgumentParser(prog="numpy-release", description="release steps")
    top.add_argument("--version", action="store_true")
    sub = top.add_subparsers(dest="step")
    for name, step in declared().items():
        parser = sub.add_parser(name, help=step.summary)
        _common_options(parser)
        load_step(name).add_arguments(parser)
    out.write(shtab.complete(top, shell=args[0]))
    return 0


def examples(name: str) -> list[tuple[str, str]]:
    """The step's examples (arguments, what they do), from release/data/examples.toml."""
    import tomllib
    from importlib import resources

    table = tomllib.loads(resources.files("release").joinpath("data/examples.toml")
                          .read_text("utf-8"))
    return [(args, said) for args, said in table.get(name, {}).items()]


def _epilog(name: str) -> str:
    shown = [(invocation.command(name, *args.split()), said) for args, said in examples(name)]
    if not shown:
        return ""
    return "examples:\n" + "\n".join(f"  {command}\n      {said}" for command, said in shown)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, hint=f"run `{self.prog} --help`")


def step_parser(name: str, module: ModuleType) -> argparse.ArgumentParser:
    parser = _Parser(prog=invocation.prog(name), description=declared()[name].summary,
                     epilog=_epilog(name), formatter_class=argparse.RawDescriptionHelpFormatter)
    _common_options(parser)
    module.add_arguments(parser)
    codes = getattr(module, "EXIT_STATUS", ())
    if codes:
        parser.epilog = "\n\n".join(filter(None, [
            "exit status:\n" + "\n".join(f"  {line}" for line in codes), parser.epilog]))
    return parser


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", type=Path, help="the project checkout (default: RELEASE_REPO, "
                        "then `repo` in the config, then the directory nox was invoked from)")
    parser.add_argument("--config", type=Path, help="a release.toml with [tool.release] overrides")
    parser.add_argument("--dry-run", action="store_true",
                        help="show every action (diffs, commands) and change nothing")
    parser.add_argument("--verbose", action="store_true",
                        help="say at the end what the step asked of GitHub (REST requests, "
                             "GraphQL queries and points)")


def anchor_paths(options: dict[str, object], environ: Mapping[str, str]) -> dict[str, object]:
    """Relative path options mean relative to where the user typed them; nox runs us from the
    noxfile's directory and passes the user's in RELEASE_INVOKED_FROM."""
    base = Path(environ.get("RELEASE_INVOKED_FROM") or os.getcwd())
    return {key: (base / _expand(value)) if isinstance(value, Path) else value
            for key, value in options.items()}


def _expand(path: Path) -> Path:
    """`~/x` and `~user/x` as the shell would; an unknown user is a usage error."""
    try:
        return path.expanduser()
    except RuntimeError:
        raise UsageError(f"{path}: no such user's home directory",
                         hint="check the path (a leading ~name means the home of user name)") from None


def resolve_repo(options: Mapping[str, object], environ: Mapping[str, str]) -> tuple[Path, LoadedConfig]:
    """--repo, then RELEASE_REPO, then `repo` in the config, then where the user invoked us; and
    the config, loaded once (a `repo` key's checkout brings its own `[tool.release]` along)."""
    config_file = Path(str(options["config"])) if options.get("config") else None
    user_file = user_config_path(environ)
    given = options.get("repo") or environ.get("RELEASE_REPO")
    if given:
        repo = _expand(Path(str(given))).resolve()
        if not repo.is_dir():
            raise UsageError(f"repository {repo} does not exist", hint="check --repo or RELEASE_REPO")
        return repo, load_config(repo, config_file, user_file=user_file)
    invoked = Path(environ.get("RELEASE_INVOKED_FROM") or os.getcwd())
    base = config_file.parent if config_file else invoked
    loaded = load_config(invoked, config_file, user_file=user_file,
                         follow=lambda named: _expand(base / named).resolve())
    return loaded.checkout or invoked.resolve(), loaded


def make_context(
    options: dict[str, object], environ: Mapping[str, str], out: TextIO, err: TextIO,
    findings: list[CheckResult] | None = None, usage: GitHubUsage | None = None,
) -> Context:
    repo, loaded = resolve_repo(options, environ)
    if not repo.is_dir():
        raise UsageError(f"repository {repo} does not exist", hint="check --repo or RELEASE_REPO")
    return Context(
        repo=repo,
        config=loaded.config,
        config_source=loaded.source,
        config_sources=loaded.sources,
        options=options,
        env=environ,
        out=out,
        err=err,
        command=main,
        findings=[] if findings is None else findings,
        usage=GitHubUsage() if usage is None else usage,
    )
