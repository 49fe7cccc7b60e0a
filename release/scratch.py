"""A scratch copy of a real checkout for rehearsals: nothing of the user's is touched.

The copy's `upstream` and `origin` are local bare repositories made from the checkout's own
branches, its upstream remote's branches and its tags, so pushes land on the machine.
"""

from __future__ import annotations

from pathlib import Path

from release.errors import UsageError
from release.fakes.example import ExampleProject
from release.services.git import GitService, clone, clone_bare, fetch_into_bare, init_repo


def scratch_copy(source: Path, dest: Path, upstream_remote: str) -> ExampleProject:
    """`dest/<name>` cloned from `dest/upstream.git`, with `dest/fork.git` as `origin`."""
    original = GitService(source)
    upstream = dest / "upstream.git"
    init_repo(upstream, bare=True)
    remotes = original.remotes()
    tracking = upstream_remote if upstream_remote in remotes else ("origin" if "origin" in remotes
                                                                  else "")
    refspecs = ["+refs/tags/*:refs/tags/*"]
    if tracking:
        refspecs += [f"+refs/remotes/{tracking}/*:refs/heads/*",
                     f"^refs/remotes/{tracking}/HEAD"]
    fetch_into_bare(upstream, source, refspecs)
    fetch_into_bare(upstream, source, ["+refs/heads/*:refs/heads/*"])
    repo = dest / source.resolve().name
    clone(upstream, repo, origin="upstream")
    scratch = GitService(repo)
    fork = dest / "fork.git"
    clone_bare(upstream, fork)
    scratch.run(["remote", "add", "origin", str(fork)])
    scratch.run(["fetch", "--quiet", "origin"])
    for key, fallback in (("user.name", "Release Rehearsal"), ("user.email", "rehearsal@localhost")):
        value = original.run(["config", "--default", fallback, "--get", key]).strip()
        scratch.run(["config", key, value])
    for key in ("commit.gpgsign", "tag.gpgsign"):
        scratch.run(["config", key, "false"])
    heads = [line.split("\t")[1].removeprefix("refs/heads/")
             for line in scratch.run(["ls-remote", "--heads", "upstream"]).splitlines()]
    # The toolkit writes release/ (the GitHub release body) and dist/ in the checkout; NumPy's
    # .gitignore lists both, and the scratch copy does the same for projects whose may not.
    exclude = Path(scratch.run(["rev-parse", "--git-path", "info/exclude"]).strip())
    exclude = exclude if exclude.is_absolute() else repo / exclude
    exclude.parent.mkdir(parents=True, exist_ok=True)
    with exclude.open("a", encoding="utf-8") as handle:
        handle.write("/release/\n/dist/\n")
    current = scratch.current_branch()
    for branch in heads:
        if branch != current:
            scratch.run(["branch", "--quiet", "--track", branch, f"upstream/{branch}"])
    if not heads:
        raise UsageError(f"{source} has no branches to rehearse on", hint="pass a clone of the project")
    return ExampleProject(repo=repo, upstream=upstream, fork=fork)

