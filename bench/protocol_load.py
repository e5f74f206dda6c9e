"""Protocol load: every bundled protocol loaded and validated, against plain yaml.safe_load.

    .venv/bin/python bench/protocol_load.py

Fairway reads each protocol with its included parts, keeps every key's line and column, checks the
JSON Schema and the references between milestones, and builds immutable data. The baseline reads the
same files (protocols and their parts) with `yaml.safe_load` and does nothing else. QUALITY.md's
target: no more than 3x the baseline. Prints the ratio; asserts nothing about time.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from protocols.bundled import protocol_paths  # noqa: E402
from protocols.core.loader import load_protocol  # noqa: E402
from protocols.core.source import read_yaml_file  # noqa: E402

REPEATS = 20


def best_of(repeats: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()  # start each run from a clean heap, so one run's garbage is not billed to the next
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    protocols = [str(p) for p in protocol_paths()]
    parts: list[str] = []
    for path in protocols:
        for relative in read_yaml_file(path).get("include") or []:
            parts.append(str((Path(path).parent / relative).resolve()))
    # The baseline reads exactly what load_protocol reads: each protocol and each of its parts.
    files = protocols + parts
    size = sum(Path(f).stat().st_size for f in files)

    def fairway() -> object:
        return [load_protocol(path) for path in protocols]

    def safe_load() -> object:
        out = []
        for path in files:
            with open(path, encoding="utf-8") as handle:
                out.append(yaml.safe_load(handle))
        return out

    fairway()  # compiles the JSON Schema validators once, as a running server does
    t_ours = best_of(REPEATS, fairway)
    t_yaml = best_of(REPEATS, safe_load)
    t_fast = float("nan")
    if hasattr(yaml, "CSafeLoader"):

        def c_safe_load() -> object:
            out = []
            for path in files:
                with open(path, encoding="utf-8") as handle:
                    out.append(yaml.load(handle, Loader=yaml.CSafeLoader))
            return out

        t_fast = best_of(REPEATS, c_safe_load)
    print(
        f"Protocol load: {len(protocols)} bundled protocols with {len(parts)} included parts "
        f"({len(files)} files read, {size / 1024:.0f} KiB), best of {REPEATS}"
    )
    print(f"  Fairway load + validate               {t_ours * 1e3:8.1f} ms")
    print(
        f"  yaml.safe_load of the same files      {t_yaml * 1e3:8.1f} ms   ratio {t_ours / t_yaml:5.2f}x"
    )
    print(
        f"  yaml CSafeLoader (for reference)      {t_fast * 1e3:8.1f} ms   ratio {t_ours / t_fast:5.2f}x"
    )
    print(f"  target: <= 3x yaml.safe_load ({'met' if t_ours <= 3 * t_yaml else 'NOT met'})")


if __name__ == "__main__":
    main()
