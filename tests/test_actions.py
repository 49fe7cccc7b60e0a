"""The GitHub Actions side: the workflow files lint clean, and the action's steps, run with the
variables GitHub Actions sets on NumPy's maintenance/2.5.x, give the job summary, the annotations,
the outputs and the exit code of the verdict."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from release.rehearsal.ci import (
    SUMMARY_LIMIT,
    CiFinding,
    CiVerdict,
    annotation,
    caller_workflow,
    job_summary,
    publish,
)

ROOT = Path(__file__).resolve().parents[1]
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")


def _actionlint(repo: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT, "actionlint is a test dependency (pip install -e .[test])"
    return subprocess.run([ACTIONLINT, "-no-color"], cwd=repo, capture_output=True, text=True,
                          check=False)


def test_the_toolkits_workflows_lint_clean() -> None:
    done = _actionlint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("project", ["NumPy", "SciPy"])
def test_the_caller_workflow_and_the_action_lint_clean(tmp_path: Path, project: str) -> None:
    """A project's caller, and a workflow using the action from a checkout (so actionlint reads
    the action's inputs)."""
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "rehearse-release.yml").write_text(caller_workflow(
        project=project, branch_pattern="maintenance/{major}.{minor}.x",
        repository="example/numpy-release-toolkit", ref="v1"))
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    (workflows / "local.yml").write_text(
        "on: push\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v6\n      - uses: ./\n        with:\n"
        "          version: 2.5.3\n          strict: true\n")
    done = _actionlint(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (workflows / "local.yml").write_text((workflows / "local.yml").read_text() + "          bogus: 1\n")
    assert 'input "bogus" is not defined' in _actionlint(tmp_path).stdout


def test_annotation_escapes_as_the_runner_reads_it() -> None:
    finding = CiFinding("unbalanced < >: 50% of it\nlost", "close the >", ".mailmap", 730,
                        "[2.5.3] mailmap, a: b")
    assert annotation(finding) == (
        "::warning file=.mailmap,line=730,title=[2.5.3] mailmap%2C a%3A b::"
        "unbalanced < >: 50%25 of it%0Alost (fix: close the >)")
    assert annotation(CiFinding("boom", level="error")) == "::error::boom"


def test_summary_stays_within_githubs_limit() -> None:
    many = [CiFinding("x" * 2000, "y", "f.py", n) for n in range(1, 1001)]
    text = job_summary(CiVerdict("amber", ["2.5.3"], many))
    assert len(text.encode()) <= SUMMARY_LIMIT
    dropped = int(re.search(r"(\d+) more findings in the report", text)[1])  # type: ignore[index]
    assert dropped + text.count("| `f.py` line") == 1000
    assert "with 1000 findings to fix" in text


def test_outputs_and_summary_append(tmp_path: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "GITHUB_OUTPUT": str(tmp_path / "out")}
    (tmp_path / "summary.md").write_text("earlier step\n")
    out = io.StringIO()
    publish(CiVerdict("green", ["1.2.0rc1", "1.2.0"], report=tmp_path / "r.md"), env, out)
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("earlier step\n## 🟢 Rehearsal of 1.2.0rc1, 1.2.0: green")
    assert "verdict=green\nversion=1.2.0rc1 1.2.0\n" in (tmp_path / "out").read_text()
    assert out.getvalue() == ""


def _expand(value: str, inputs: dict[str, str], env: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        expr = match[1].strip()
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        if expr == "runner.temp":
            return env["RUNNER_TEMP"]
        raise AssertionError(f"the simulation does not know ${{{{ {expr} }}}}")
    return re.sub(r"\$\{\{(.*?)\}\}", one, value)


def _run_action(workspace: Path, temp: Path, inputs: dict[str, str]) -> dict[str, Any]:
    """The composite action's steps as the runner takes them: `uses:` steps are the runner's
    (Python is this interpreter; the artifact upload is checked by path); the install step is
    replaced by this checkout's toolkit, since the test must not pip-install over its own venv."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    given = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    given.update(inputs)
    files = {name: temp / name for name in ("summary.md", "output", "env")}
    for path in files.values():
        path.write_text("")
    env = {**os.environ, "GITHUB_ACTIONS": "true", "CI": "true",
           "GITHUB_STEP_SUMMARY": str(files["summary.md"]), "GITHUB_OUTPUT": str(files["output"]),
           "GITHUB_ENV": str(files["env"]), "GITHUB_REF_NAME": "maintenance/2.5.x",
           "GITHUB_REF": "refs/heads/maintenance/2.5.x", "GITHUB_WORKSPACE": str(workspace),
           "RUNNER_TEMP": str(temp), "GITHUB_ACTION_PATH": str(ROOT),
           "XDG_CACHE_HOME": str(temp / "cache")}
    result: dict[str, Any] = {"codes": {}, "stdout": ""}
    for step in action["runs"]["steps"]:
        if "uses" in step:
            if step["uses"].startswith("actions/upload-artifact"):
                result["artifact"] = Path(_expand(step["with"]["path"], given, env))
            continue
        if step.get("id") == "install":
            wrapper = temp / "numpy-release"
            wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m release "$@"\n')
            wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
            files["env"].write_text(f"NUMPY_RELEASE={wrapper}\n")
            continue
        for line in files["env"].read_text().splitlines():
            key, _, value = line.partition("=")
            env[key] = value
        step_env = {key: _expand(str(value), given, env) for key, value in step.get("env", {}).items()}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], env={**env, **step_env},
                              capture_output=True, text=True, check=False)
        result["codes"][step.get("id")] = done.returncode
        result["stdout"] += done.stdout
        result["stderr"] = done.stderr
    result["summary"] = files["summary.md"].read_text()
    result["outputs"] = files["output"].read_text()
    return result


@pytest.mark.slow
def test_the_action_on_numpys_maintenance_branch(numpy_bundle_clone: Path, tmp_path: Path) -> None:
    workspace, temp = tmp_path / "workspace", tmp_path / "runner-temp"
    temp.mkdir()
    project = workspace / "project"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(numpy_bundle_clone), str(project)],
                   check=True)
    # as actions/checkout with fetch-depth 0 leaves it: every branch under origin/, all tags
    subprocess.run(["git", "-C", str(project), "fetch", "--quiet", "origin",
                    "+refs/remotes/origin/*:refs/remotes/origin/*"], check=True)
    subprocess.run(["git", "-C", str(project), "checkout", "--quiet", "--detach",
                    "origin/maintenance/2.5.x"], check=True)
    run = _run_action(workspace, temp, {"repo": "project"})
    assert run["codes"] == {"rehearse": 0}, run["stderr"][-3000:]
    assert "rehearsing 2.5.3, the next release of maintenance/2.5.x" in run["stderr"]
    summary = run["summary"]
    assert summary.startswith("## 🟠 Rehearsal of 2.5.3: amber")
    assert "| `.mailmap` line 775 | " in summary
    assert "What the real release will cost" in summary and "GITHUB_TOKEN" in summary
    assert re.search(r"^::warning file=\.mailmap,line=775,title=.*::.*unbalanced",
                     run["stdout"], re.MULTILINE)
    outputs = dict(line.split("=", 1) for line in run["outputs"].splitlines())
    assert outputs["verdict"] == "amber" and outputs["version"] == "2.5.3"
    assert Path(outputs["report"]).parent == run["artifact"]
    assert (run["artifact"] / "rehearsal-report.md").is_file()


def test_ci_template_writes_the_caller_once(example: Any, cli: Any) -> None:
    repo = example.repo
    dry = cli("ci-template", "--repo", str(repo), "--uses", "my-org/numpy-release-toolkit@v1",
              "--dry-run")
    assert dry.code == 0 and not (repo / ".github").exists()
    assert "uses: my-org/numpy-release-toolkit/.github/workflows/rehearse.yml@v1" in dry.out
    done = cli("ci-template", "--repo", str(repo), "--uses", "my-org/numpy-release-toolkit@v1")
    assert done.code == 0, done.err
    written = yaml.safe_load((repo / ".github/workflows/rehearse-release.yml").read_text())
    assert written[True]["push"]["branches"] == ["maintenance/*.*.x"]  # YAML 1.1 reads `on` as true
    assert written["jobs"]["rehearse"]["with"]["toolkit-ref"] == "v1"
    again = cli("ci-template", "--repo", str(repo), "--uses", "my-org/numpy-release-toolkit@v1")
    assert again.code == 0 and "nothing to do" in again.err
    bad = cli("ci-template", "--repo", str(repo), "--uses", "numpy-release-toolkit")
    assert bad.code == 2
    assert bad.err.splitlines()[0] == "error: --uses 'numpy-release-toolkit' is not OWNER/REPO@REF"
