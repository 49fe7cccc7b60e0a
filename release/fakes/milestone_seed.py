"""A release's milestone on the fake GitHub, from the lists its notes publish (SciPy's form).

SciPy lists a release's closed issues and merged pull requests, from its GitHub milestone, in
the notes (`* `#N <https://github.com/OWNER/REPO/issues/N>`__: title`). A rehearsal of such a
project seeds the milestone from those lines: the notes at the release's tag for a release made,
the branch's notes (often still empty) for one to come. Titles are turned back into ones the
lists' sanitising maps onto the listed text; a cut title gets a tail to be cut again.
"""

from __future__ import annotations

import re

from release.fakes.github import FakeGitHub

_LINE = re.compile(r"^\* `#(\d+) <https://github\.com/[^/]+/[^/]+/(issues|pull)/\d+>`__: (.*)$",
                   re.MULTILINE)


def listed_title(listed: str) -> str:
    title = re.sub(r"``\\ ", "``", listed).replace("\\*", "*")
    return title[:-3] + " " + "x" * 30 if title.endswith("...") else title


def seed_milestone(github: FakeGitHub, full_name: str, title: str, notes_text: str) -> int:
    """The milestone `title` holding every item the notes list; returns how many."""
    repo = github.repo(full_name)
    items = []
    for match in _LINE.finditer(notes_text):
        number, kind, text = int(match[1]), match[2], listed_title(match[3])
        if kind == "pull":
            if number not in repo.pulls:
                github.add_pull(full_name, number, text, "ghost")
            else:
                repo.pulls[number].title = text  # GitHub's title, as the list shows it
        elif number not in repo.issues:
            github.add_issue(full_name, number, text, "ghost", state="closed")
        items.append(number)
    number = max(repo.milestones, default=0) + 1
    github.add_milestone(full_name, number, title, items=items)
    return len(items)
