"""The mailmap step under the SciPy profile (`mailmap_style = "names"`) on SciPy's history: what
would make the Authors wrong by SciPy's name rules, proposed in SciPy's `.mailmap` style."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from helpers import Cli, git

from release.changelog.authors import NotPeople
from release.identities.history import Identity, Sightings
from release.identities.names_only import NamesView, takes_effect_by_name


def work_clone(clone: Path, tmp_path: Path, ref: str) -> Path:
    work = tmp_path / "scipy"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(clone), str(work)], check=True)
    git(work, "checkout", "--quiet", "-B", "work", ref)
    return work


def run(cli: Cli, clone: Path, work: Path, *args: str) -> tuple[int, str, str]:
    result = cli("mailmap", "v1.18.0..HEAD", "--offline", *args, "--repo", str(work),
                 "--config", str(clone.parent / "scipy-release.toml"))
    return result.code, result.out, result.err


def test_scipys_own_mailmap_has_no_authors_problem(cli: Cli, scipy_bundle_clone: Path,
                                                  tmp_path: Path) -> None:
    """Before 1.18.1's REL commit: SciPy's `<>` lines are no fault, the line git skips and the
    handle-like name are notes (with SciPy's `@handle` entry as the way to keep one), not problems."""
    work = work_clone(scipy_bundle_clone, tmp_path, "v1.18.1^")
    code, out, _ = run(cli, scipy_bundle_clone, work)
    assert code == 0
    assert out.endswith("no identity problems found\n")
    assert "note  git-skips: .mailmap line 240: unbalanced < >" in out
    assert ("      propose: @romao05 <85622274+romao05@users.noreply.github.com> romao05 "
            "<85622274+romao05@users.noreply.github.com>") in out
    assert "warn" not in out and "!romao05" not in out


def test_json_lists_what_scipys_reader_refuses(cli: Cli, scipy_bundle_clone: Path,
                                               tmp_path: Path) -> None:
    """SciPy's 17 `Name <>` lines and the `Guo Fei <<...>` line are read by its tools: none is
    malformed under the profile; a one-address line is."""
    work = work_clone(scipy_bundle_clone, tmp_path, "v1.18.1^")
    code, out, _ = run(cli, scipy_bundle_clone, work, "--json")
    assert (code, json.loads(out)["malformed"], json.loads(out)["findings"]) == (0, [], [])
    with (work / ".mailmap").open("a", encoding="utf-8") as handle:
        handle.write("Only One <one@example.org>\n")
    code, out, _ = run(cli, scipy_bundle_clone, work, "--json")
    [line] = json.loads(out)["malformed"]
    assert code == 1 and line["text"] == "Only One <one@example.org>"


def test_one_email_under_two_names_is_mapped_by_name(cli: Cli, scipy_bundle_clone: Path,
                                                     tmp_path: Path) -> None:
    """Without SciPy's `Jacob Vanderplas <...> Jake VanderPlas <...>` line the Authors would list
    him twice; the proposal keeps SciPy's name, `--write` adds it where it sorts, shows the
    Authors losing the second name, and the step then finds nothing."""
    work = work_clone(scipy_bundle_clone, tmp_path, "v1.18.1^")
    mailmap = work / ".mailmap"
    text = mailmap.read_text(encoding="utf-8")
    mailmap.write_text("".join(line for line in text.splitlines(keepends=True)
                               if "Jake VanderPlas" not in line), encoding="utf-8")
    code, out, _ = run(cli, scipy_bundle_clone, work)
    assert code == 0
    assert ("warn  several-names: <jakevdp@google.com> is credited under 2 names: Jacob Vanderplas, "
            "Jake VanderPlas") in out
    line = "Jacob Vanderplas <jakevdp@google.com> Jake VanderPlas <jakevdp@google.com>"
    assert f"1 proposed .mailmap line(s):\n  {line}\n" in out
    code, out, err = run(cli, scipy_bundle_clone, work, "--write")
    assert code == 0, err
    assert "-Jake VanderPlas\n" in out and "+Jake VanderPlas" not in out
    assert "verified: SciPy's name mapping credits the 18 names predicted above" in err
    assert line + "\n" in mailmap.read_text(encoding="utf-8")
    assert run(cli, scipy_bundle_clone, work)[1].endswith("no identity problems found\n")


def test_a_line_scipys_reader_refuses_is_an_error(cli: Cli, scipy_bundle_clone: Path,
                                                  tmp_path: Path) -> None:
    work = work_clone(scipy_bundle_clone, tmp_path, "v1.18.1^")
    with (work / ".mailmap").open("a", encoding="utf-8") as handle:
        handle.write("Only One <one@example.org>\n")
    code, out, _ = run(cli, scipy_bundle_clone, work)
    assert code == 1
    assert "error malformed: .mailmap line" in out and "'Only One <one@example.org>'" in out
    code, _, err = run(cli, scipy_bundle_clone, work, "--write")
    assert code != 0 and "error: .mailmap has a line SciPy's name mapping refuses" in err


def test_two_spellings_get_scipys_name_only_line() -> None:
    """Different e-mails, one name spelt two ways: SciPy's `Kept <> Other <>` line; an assistant's
    trailer (credits_not_people) and `GitHub` are not people to map."""
    sightings = Sightings({Identity("Ana García", "ana@a.org"): ("a1", "a2"),
                           Identity("Ana Garcia", "ana@b.org"): ("b1",),
                           Identity("Claude Opus 4.6", "noreply@anthropic.com"): ("c1",),
                           Identity("GitHub", "noreply@github.com"): ("d1",)}, ())
    view = NamesView(sightings, "", ignore=NotPeople(("*@anthropic.com",)))
    [finding] = view.findings()
    assert (finding.kind, finding.proposals) == ("same-name", ("Ana García <> Ana Garcia <>",))
    assert takes_effect_by_name("", finding.proposals[0])
    assert not takes_effect_by_name("Ana García <> Ana Garcia <>\nOther <> Ana Garcia <>\n",
                                    finding.proposals[0])
    assert NamesView(sightings, finding.proposals[0] + "\n",
                     ignore=NotPeople(("*@anthropic.com",))).findings() == []
