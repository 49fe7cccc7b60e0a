"""Check results: the common currency of the preflight steps and the `check` table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from release.errors import PreconditionError


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2}


@dataclass(frozen=True)
class CheckResult:
    """One check: what was looked at, how it went, and the exact fix when it did not pass."""

    area: str
    name: str
    status: Status
    detail: str
    fix: str = ""
    file: str = ""  # the file the problem is in, relative to the repository, when there is one
    line: int | None = None

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    def as_dict(self) -> dict[str, str]:
        """The row as `--json` prints it (area, name, status, detail, fix)."""
        return {"area": self.area, "name": self.name, "status": self.status.value,
                "detail": self.detail, "fix": self.fix}

    @classmethod
    def ok(cls, area: str, name: str, detail: str) -> CheckResult:
        return cls(area, name, Status.PASS, detail)

    @classmethod
    def warn(cls, area: str, name: str, detail: str, fix: str = "", *, file: str = "",
             line: int | None = None) -> CheckResult:
        return cls(area, name, Status.WARN, detail, fix, file, line)

    @classmethod
    def fail(cls, area: str, name: str, detail: str, fix: str = "", *, file: str = "",
             line: int | None = None) -> CheckResult:
        return cls(area, name, Status.FAIL, detail, fix, file, line)


def range_unknown(area: str, name: str, exc: PreconditionError) -> CheckResult:
    """The row of a range-based check when the range cannot be told (a warning: the versions
    rows already fail on a missing start tag)."""
    return CheckResult.warn(area, name, f"cannot tell the range: {exc.message}", exc.hint or "")


def worst(results: Iterable[CheckResult]) -> Status:
    return max((r.status for r in results), key=_RANK.__getitem__, default=Status.PASS)


def failed(results: Iterable[CheckResult]) -> bool:
    return worst(results) is Status.FAIL


def as_lines(results: Iterable[CheckResult]) -> str:
    """One line per check (`pass  name: detail`), the fix indented under anything not passing."""
    lines = []
    for result in results:
        lines.append(f"{result.status.value}  {result.name}: {result.detail}")
        if result.fix and result.status is not Status.PASS:
            lines.extend(f"      fix: {line}" if i == 0 else f"           {line}"
                         for i, line in enumerate(result.fix.splitlines()))
    return "\n".join(lines) + "\n" if lines else ""


def for_table(results: Iterable[CheckResult]) -> list[CheckResult]:
    """Rows whose detail and fix show brackets as typed (`[tool.release.wheels]`), not as rich
    markup."""
    from dataclasses import replace

    from rich.markup import escape

    return [replace(r, detail=escape(r.detail), fix=escape(r.fix)) for r in results]


_STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red"}


def table(results: list[CheckResult], title: str) -> str:
    """The rows as the terminal table every checking step prints (area, check, status, detail,
    fix), sized to the terminal."""
    from rich.table import Table

    from release.output import invocation

    grid = Table(title=title, title_justify="left", show_lines=False)
    for column in ("area", "check", "status", "detail", "fix"):
        grid.add_column(column, overflow="fold")
    for result in results:
        grid.add_row(result.area, result.name,
                     f"[{_STYLE[result.status]}]{result.status.value}[/]", result.detail,
                     result.fix if result.status is not Status.PASS else "")
    return invocation.render(grid)
