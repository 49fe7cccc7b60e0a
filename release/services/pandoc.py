"""reStructuredText to Markdown with the pandoc binary that pypandoc-binary ships."""

from __future__ import annotations

import subprocess
from functools import cache

from release.errors import PreconditionError, ServiceError

MARKDOWN = "markdown-simple_tables-multiline_tables-grid_tables"


@cache
def pandoc_path() -> str:
    try:
        import pypandoc
    except ImportError:
        raise PreconditionError("pandoc is not available (pypandoc-binary is not installed)",
                                hint="pip install pypandoc-binary") from None
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError:
        raise PreconditionError("pandoc is not available",
                                hint="pip install pypandoc-binary, or put pandoc on PATH") from None


def pandoc_version() -> str:
    """`pandoc 3.1.3`, the first line pandoc prints for --version."""
    done = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True,  # noqa: S603
                          check=False, timeout=60)
    if done.returncode != 0:
        raise PreconditionError(f"pandoc --version failed (exit {done.returncode})",
                                hint="pip install --force-reinstall pypandoc-binary")
    return done.stdout.splitlines()[0].strip() if done.stdout else "pandoc"


def rst_to_markdown(rst: str) -> str:
    """What `pandoc -s -o README.md README.rst --wrap=preserve` writes (tools/write_release.py),
    except that tables come out as pipe tables, the only kind GitHub renders."""
    argv = [pandoc_path(), "--standalone", "--from=rst", f"--to={MARKDOWN}", "--wrap=preserve"]
    return _convert(argv, rst, "the notes")



def _convert(argv: list[str], text: str, what: str) -> str:
    done = subprocess.run(argv, input=text.encode("utf-8"), capture_output=True, check=False)  # noqa: S603
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]
        raise ServiceError(f"pandoc could not convert {what}: {first}",
                           hint=f"run pandoc on {what} by hand to see the full message")
    return done.stdout.decode("utf-8")
