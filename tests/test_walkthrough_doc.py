"""RELEASE_WALKTHROUGH.md is the release manager's script: it must name every step, show only
commands and flags the toolkit accepts, and say for each step what it checks, what it changes and
how to undo it. These tests read the document the way a reader would run it."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import shlex
import subprocess
import tomllib
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nox.registry
import pytest

from release.cli import load_step, step_parser
from release.config import Config, from_table, load_config
from release.errors import ReleaseError
from release.steps import declared
from release.version import ReleaseVersion
from release.wheels.matrix import matrix_for

STEPS = declared()
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "RELEASE_WALKTHROUGH.md"

# Every section that runs a step says what it checks, changes and how to undo it, each in a
# paragraph starting with its label.
LABELS = ("**Checks:**", "**Changes:**", "**Undo:**")

# The sections of NumPy's release walkthrough (doc/RELEASE_WALKTHROUGH.rst, the release guide's
# process items and the branch walkthrough); the mapping table has a row for each.
NUMPY_SECTIONS = (
    "Facility preparation",
    "Agree on a release schedule",
    "Add/drop Python versions",
    "Backport pull requests",
    "Update the milestones",
    "Check the numpy-release repo",
    "Check deprecations",
    "Check the C API version number",
    "Make a release PR",
    "Set the release version",
    "Check the doc/source/release.rst file",
    "Generate the changelog",
    "Finish the release notes",
    "Test the wheel builds",
    "Tag the release commit",
    "Build wheels and sdist",
    "Upload files to GitHub Releases",
    "Upload documents to numpy.org",
    "Reset the maintenance branch",
    "Announce the release on numpy.org",
    "Announce to mailing lists",
    "Post-release update main",
    "Make the branch",
    "Prepare the main branch for further development",
)

TOOLKIT_CALL = r"(?:[A-Z_]+=\S+ )*(?:nox |python3? -m release )"
SEPARATORS = {"&&", "||", ";", "|", "(", ")", "&"}
CONFIG_TABLES = {name: kind for name, kind in typing.get_type_hints(Config).items()
                 if dataclasses.is_dataclass(kind)}


@dataclass(frozen=True)
class Command:
    """One toolkit invocation found in the document."""

    line: int
    text: str
    via: str  # "nox" or "python -m release"
    session: str  # the nox session or step name
    args: tuple[str, ...]
    fenced: bool


@cache
def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


@cache
def nox_sessions() -> frozenset[str]:
    """The sessions noxfile.py registers, by loading it through nox's own registry."""
    before = set(nox.registry.get())
    spec = importlib.util.spec_from_file_location("walkthrough_noxfile", ROOT / "noxfile.py")
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    names = frozenset(nox.registry.get())
    assert names - before or names >= set(STEPS), "noxfile.py registered no sessions"
    return names


def fenced_blocks(text: str) -> Iterator[tuple[int, str, str]]:
    """(first line number, language, body) of every fenced code block."""
    for match in re.finditer(r"^```([\w-]*)\n(.*?)^```", text, re.M | re.S):
        first = text.count("\n", 0, match.start(2)) + 1
        yield first, match.group(1), match.group(2)


def shell_lines(body: str, first: int) -> Iterator[tuple[int, str]]:
    """Logical lines of a shell block: continuations joined, comments kept for shlex to drop."""
    pending, start = "", first
    for offset, raw in enumerate(body.splitlines()):
        if not pending:
            start = first + offset
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        yield start, pending + raw
        pending = ""
    if pending:
        yield start, pending


def simple_commands(line: str) -> Iterator[list[str]]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words: list[str] = []
    for token in lexer:
        if token in SEPARATORS:
            if words:
                yield words
            words = []
        else:
            words.append(token)
    if words:
        yield words


def as_command(words: list[str], line: int, text: str, fenced: bool) -> Command | None:
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        words = words[1:]  # environment assignments in front of the command
    if words[:1] == ["nox"]:
        rest = words[1:]
        if "-f" in rest[:2]:
            rest = rest[rest.index("-f") + 2:]
        if rest[:1] != ["-s"] or len(rest) < 2 or not re.fullmatch(r"[a-z][a-z0-9-]*", rest[1]):
            return None  # not a session, or a placeholder such as `nox -s STEP`
        args = rest[rest.index("--") + 1:] if "--" in rest else []
        return Command(line, text, "nox", rest[1], tuple(args), fenced)
    if len(words) >= 4 and words[0] in ("python", "python3") and words[1:3] == ["-m", "release"]:
        return Command(line, text, "python -m release", words[3], tuple(words[4:]), fenced)
    return None


@cache
def commands() -> tuple[Command, ...]:
    """Every toolkit command: each line of a shell block, and each inline code span that is one."""
    text = doc_text()
    found: list[Command] = []
    for first, language, body in fenced_blocks(text):
        if language not in ("sh", "shell", "bash", "console", ""):
            continue
        for number, line in shell_lines(body, first):
            line = line.strip().removeprefix("$ ")
            if not language and not re.match(TOOLKIT_CALL, line):
                continue  # a plain block (a commit message, say) is not shell
            for words in simple_commands(line):
                command = as_command(words, number, line.strip(), fenced=True)
                if command:
                    found.append(command)
    prose = re.sub(r"^```.*?^```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.M | re.S)
    for match in re.finditer(r"`([^`\n]+)`", prose):
        span = match.group(1)
        if not re.match(TOOLKIT_CALL, span):
            continue
        number = prose.count("\n", 0, match.start()) + 1
        for words in simple_commands(span):
            command = as_command(words, number, span, fenced=False)
            if command:
                found.append(command)
    return tuple(found)


@dataclass(frozen=True)
class Section:
    title: str
    line: int
    body: str

    def steps_run(self) -> set[str]:
        """Steps the section's shell blocks run (its own commands, not ones it mentions)."""
        return {c.session for c in commands() if c.fenced and c.session in STEPS
                and self.line <= c.line < self.line + self.body.count("\n") + 1}


@cache
def sections() -> tuple[Section, ...]:
    """Every heading of level 2 to 4 with the text up to the next heading."""
    text = doc_text()
    heads = [m for m in re.finditer(r"^(#{2,4}) (.+)$", text, re.M)
             if not _inside_fence(text, m.start())]
    result = []
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        result.append(Section(head.group(2).strip(), text.count("\n", 0, head.start()) + 1,
                              text[head.start():end]))
    return tuple(result)


def _inside_fence(text: str, position: int) -> bool:
    return text.count("\n```", 0, position) % 2 == 1


def parse_failure(command: Command) -> str | None:
    """Why the step's own parser (built as the CLI builds it) refuses the command, if it does."""
    parser = step_parser(command.session, load_step(command.session))
    try:
        parser.parse_args(list(command.args))
    except ReleaseError as exc:
        return exc.message
    except SystemExit as exc:  # argparse exits only for --help/--version, never shown here
        return f"exits {exc.code}"
    return None


def test_the_document_shows_commands_to_check() -> None:
    found = commands()
    assert len([c for c in found if c.fenced]) >= 40, "the shell blocks were not read"
    assert any(c.session == "tag" and "--push" in c.args for c in found)
    assert all(c.session for c in found)


@pytest.mark.parametrize("step", list(STEPS))
def test_every_step_is_in_the_walkthrough(step: str) -> None:
    shown = {c.session for c in commands()}
    assert step in shown, f"RELEASE_WALKTHROUGH.md never shows `nox -s {step}`"


def test_every_nox_session_named_is_real() -> None:
    sessions = nox_sessions()
    unknown = sorted({(c.session, c.line) for c in commands()
                      if c.via == "nox" and c.session not in sessions})
    assert not unknown, f"not sessions of noxfile.py (name, line): {unknown}"
    for match in re.finditer(r"nox(?: -f \S+)? -s ([a-z][a-z0-9-]*)\b", doc_text()):
        assert match.group(1) in sessions, match.group(0)


def test_python_m_release_names_only_steps() -> None:
    unknown = [(c.line, c.text) for c in commands()
               if c.via == "python -m release" and c.session not in STEPS]
    assert not unknown, unknown


def test_every_step_command_is_accepted_by_its_parser() -> None:
    """Each step command, flags and values as shown, parses with the step's real CLI parser."""
    failures = []
    for command in commands():
        if command.session not in STEPS or (not command.fenced and not command.args):
            continue  # an inline `nox -s STEP` names the step; it is not a command to run
        why = parse_failure(command)
        if why:
            failures.append(f"line {command.line}: {command.text!r}: {why}")
    assert not failures, "\n".join(failures)


def test_the_parser_check_catches_a_wrong_flag() -> None:
    wrong = Command(1, "", "nox", "tag", ("2.4.0", "--publish"), True)
    missing = Command(1, "", "nox", "upload", ("2.4.0", "--upload"), True)
    assert "--publish" in (parse_failure(wrong) or "")
    assert "--from-dir" in (parse_failure(missing) or "")


def test_every_flag_named_in_a_step_section_belongs_to_its_step() -> None:
    """A lone `--flag` in a step section's prose is an option of one of the steps it runs."""
    failures = []
    for section in sections():
        steps = section.steps_run()
        if not steps:
            continue
        known = set()
        for step in steps:
            parser = step_parser(step, load_step(step))
            known |= {o for action in parser._actions for o in action.option_strings}
        prose = re.sub(r"^```.*?^```", "", section.body, flags=re.M | re.S)
        for match in re.finditer(r"`(--[a-z][a-z-]*)(?:[ =][^`]*)?`", prose):
            if match.group(1) not in known:
                failures.append(f"{section.title}: `{match.group(1)}` (steps: {sorted(steps)})")
    assert not failures, "\n".join(failures)


def test_every_flag_in_the_document_is_an_option_of_a_step() -> None:
    """Outside step sections too (the introduction lists path options, for instance)."""
    known = set()
    for step in STEPS:
        parser = step_parser(step, load_step(step))
        known |= {o for action in parser._actions for o in action.option_strings}
    prose = re.sub(r"^```.*?^```", "", doc_text(), flags=re.M | re.S)
    unknown = sorted({m.group(1) for m in re.finditer(r"`(--[a-z][a-z-]*)", prose)} - known)
    assert not unknown, unknown


def test_every_step_section_says_what_it_checks_changes_and_how_to_undo() -> None:
    homes: dict[str, list[str]] = {step: [] for step in STEPS}
    failures = []
    for section in sections():
        steps = section.steps_run()
        if not steps:
            continue
        for step in steps:
            homes[step].append(section.title)
        said = labelled(section.body)
        missing = [label for label in LABELS if len(said.get(label, "").split()) < 2]
        if missing:
            failures.append(f"{section.title!r} (line {section.line}) lacks {missing}")
    assert not failures, "\n".join(failures)
    assert not [step for step, titles in homes.items() if not titles], homes


def labelled(body: str) -> dict[str, str]:
    """Each label's paragraph (the text from the label to the next blank line), by label."""
    found = {}
    for paragraph in re.split(r"\n\s*\n", body):
        head, _, rest = paragraph.strip().partition(" ")
        if head in LABELS:
            found[head] = rest
    return found


def test_the_label_check_sees_a_missing_or_empty_label() -> None:
    body = "### X\n\n```sh\nnox -s tag -- 2.4.0\n```\n\n**Checks:** a b\n\n**Undo:**\n"
    said = labelled(body)
    assert said["**Checks:**"] == "a b" and "**Changes:**" not in said
    assert said["**Undo:**"] == ""


def test_the_mapping_table_covers_numpy_s_walkthrough() -> None:
    """The table near the top has one row per NumPy section: a toolkit command, or manual."""
    text = doc_text()
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2:
            rows[cells[0]] = cells[1]
    missing = [name for name in NUMPY_SECTIONS if name not in rows]
    assert not missing, f"no mapping row for: {missing}"
    for name in NUMPY_SECTIONS:
        says = rows[name]
        assert says.startswith("manual") or re.search(r"`nox -s [\w-]+", says), (name, says)


def test_config_keys_named_are_real() -> None:
    """`mail.bcc`, `[tool.release.x] key` and "`key` in `[tool.release]`" name real config fields."""
    text = doc_text()
    failures = []
    for match in re.finditer(rf"`({'|'.join(CONFIG_TABLES)})\.(\w+)`", text):
        table, key = match.groups()
        if key in ("yml", "yaml", "toml", "json", "md", "txt", "py", "rst", "html"):
            continue  # a file name such as `wheels.yml`
        if key not in {f.name for f in dataclasses.fields(CONFIG_TABLES[table])}:
            failures.append(match.group(0))
    named = [m.groups() for m in re.finditer(r"`\[tool\.release(?:\.(\w+))?\] (\w+)`", text)]
    for match in re.finditer(r"((?:`\w+`(?:,| and| or) )*`\w+`) in `\[tool\.release(?:\.(\w+))?\]`", text):
        named += [(match.group(2), key) for key in re.findall(r"`(\w+)`", match.group(1))]
    assert ("", "skip_ci_line") in [(t or "", k) for t, k in named], "the key patterns found nothing"
    for table, key in named:
        cls = CONFIG_TABLES[table] if table else Config
        if key not in {f.name for f in dataclasses.fields(cls)}:
            failures.append(f"{key} in [tool.release{'.' + table if table else ''}]")
    assert not failures, failures


def test_toml_examples_load_as_configuration(tmp_path: Path) -> None:
    """Every TOML block is a [tool.release] table, or a user config (personal keys only)."""
    blocks = [(line, body) for line, language, body in fenced_blocks(doc_text())
              if language == "toml"]
    assert blocks, "the document shows no [tool.release] example"
    for line, body in blocks:
        data = tomllib.loads(body)
        table = data.get("tool", {}).get("release")
        if table is None:
            user = tmp_path / f"user-{line}.toml"
            user.write_text(body)
            assert load_config(None, user_file=user).sources, f"line {line}: sets nothing"
            continue
        assert table, f"line {line}: no [tool.release] table"
        config = from_table(table, f"RELEASE_WALKTHROUGH.md line {line}")
        files = matrix_for(config, ReleaseVersion.parse("1.2.0")).filenames("1.2.0")
        assert len(files) > 1, f"line {line}: the example's wheel matrix is empty"


def test_commands_are_read_as_a_shell_would() -> None:
    body = "RELEASE_SMTP_PASSWORD=x nox -s upload -- 2.4.0 \\\n    --upload  # note\n"
    [(number, line)] = list(shell_lines(body, 10))
    [words] = list(simple_commands(line))
    command = as_command(words, number, line, fenced=True)
    assert command is not None and number == 10
    assert (command.session, command.args) == ("upload", ("2.4.0", "--upload"))
    chained = [as_command(w, 1, "", True) for w in
               simple_commands("git clean -xdfq && python -m release tag 2.4.0 --push")]
    assert chained[0] is None
    assert chained[1] is not None and chained[1].via == "python -m release"
    assert chained[1].args == ("2.4.0", "--push")
    assert as_command(["nox", "-s", "STEP"], 1, "", False) is None


def git_commands() -> Iterator[tuple[int, list[str]]]:
    """Every `git ...` the document shows, in shell blocks and inline (the undo recipes)."""
    text = doc_text()
    for first, language, body in fenced_blocks(text):
        if language in ("sh", "shell", "bash", "console"):
            for number, line in shell_lines(body, first):
                yield from ((number, w) for w in simple_commands(line) if w[0] == "git")
    prose = re.sub(r"^```.*?^```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.M | re.S)
    for match in re.finditer(r"`(git [^`\n]+)`", prose):
        number = prose.count("\n", 0, match.start()) + 1
        yield from ((number, w) for w in simple_commands(match.group(1)) if w[0] == "git")


@cache
def git_usage(subcommand: str) -> str:
    """git's own option summary for a subcommand (`git SUB -h` prints it; most exit 129)."""
    done = subprocess.run(["git", subcommand, "-h"], capture_output=True, text=True, check=False)
    usage = done.stdout + done.stderr
    assert done.returncode in (0, 129) and f"usage: git {subcommand}" in usage, (subcommand, usage)
    return usage


def git_options(words: list[str]) -> tuple[str, list[str]]:
    """The subcommand and the options of a git command line (`-C DIR` skipped)."""
    rest = words[1:]
    while rest[:1] == ["-C"]:
        rest = rest[2:]
    options = []
    for word in rest[1:]:
        if word == "--":
            break
        if word.startswith("--"):
            options.append(word.split("=", 1)[0])
        elif word.startswith("-") and len(word) > 1:
            options += [f"-{letter}" for letter in word[1:]]
    return rest[0], options


def test_the_git_commands_shown_use_real_options() -> None:
    """The undo recipes are commands to type in a hurry: each option must be one git has."""
    failures = []
    found = list(git_commands())
    assert len(found) > 20, "the git commands were not read"
    for number, words in found:
        subcommand, options = git_options(words)
        usage = git_usage(subcommand)
        for option in options:
            name = re.escape(option[2:]) if option.startswith("--") else None
            pattern = (rf"(?<![\w-])--(?:\[no-\])?{name}(?![\w-])" if name
                       else rf"(?<![\w-]){re.escape(option)}(?![\w-])")
            if not re.search(pattern, usage):
                failures.append(f"line {number}: git {subcommand} has no {option}: {' '.join(words)}")
    assert not failures, "\n".join(failures)


def test_the_git_option_check_sees_a_wrong_option() -> None:
    assert git_options(["git", "-C", "~/d", "clean", "-xdfq", "--", "-z"]) == (
        "clean", ["-x", "-d", "-f", "-q"])
    assert not re.search(r"(?<![\w-])--(?:\[no-\])?prune-all(?![\w-])", git_usage("push"))
