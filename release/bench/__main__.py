"""`python -m release.bench NAME [options]`: run one benchmark (all when no name is given)."""

from __future__ import annotations

import importlib
import sys

from release.bench import BENCHMARKS


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print("usage: python -m release.bench [NAME] [options]\n\nbenchmarks:")
        for name, (_, summary) in BENCHMARKS.items():
            print(f"  {name}  {summary}")
        return 0
    names = [argv[0]] if argv else list(BENCHMARKS)
    rest = argv[1:]
    for name in names:
        if name not in BENCHMARKS:
            print(f"error: unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
        module = importlib.import_module(BENCHMARKS[name][0])
        code: int = module.main(rest)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
