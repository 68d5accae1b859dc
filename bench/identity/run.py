"""Identity engine benchmark: quality and speed on labelled synthetic data, side by side
with Splink.

    python bench/identity/run.py --size 20000                 # quick run
    python bench/identity/run.py --size 1000000 --json bench/out/identity_1m.json

Data comes from ``generate.py`` (written to ``bench/out`` once per size and seed, and
generated in a child process so its memory does not count). Timings are wall-clock; peak
memory is the peak RSS of this process (and of its worker children, if any).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from hamroh.identity.engine import (  # noqa: E402
    Index,
    Match,
    build_index,
    dedupe,
    lookup,
    read_person_csv,
    screen,
)

HERE = Path(__file__).resolve().parent


def _peak_rss_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(self_kb, children_kb) / 1024


def _cpu_s() -> float:
    """CPU seconds used so far by this process and its finished workers: on a shared,
    busy machine this says what the run costs better than the wall clock does."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def ensure_data(kind: str, size: int, out: Path) -> list[Path]:
    names = (
        [out / f"people_{size}.csv", out / f"list_{size}.csv"]
        if kind == "screen"
        else [out / f"records_{size}.csv"]
    )
    if not all(p.exists() for p in names):
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), kind, "--size", str(size), "--out", out],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return names


def read_truth(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["id"]: row["truth_id"] for row in csv.DictReader(f)}


def read_complete(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["id"] for row in csv.DictReader(f) if len(row["birth_date"]) == 10}


def screen_quality(
    pairs: Iterable[tuple[str, str, str]],
    people: Path,
    entries: Path,
) -> dict[str, float]:
    """Quality figures of (person_id, entry_id, decision) pairs against the truth column."""
    person_truth, entry_truth = read_truth(people), read_truth(entries)
    complete = read_complete(people) | read_complete(entries)
    by_truth: dict[str, list[str]] = {}
    for entry_id, truth in entry_truth.items():
        by_truth.setdefault(truth, []).append(entry_id)
    true_pairs = {(p, e) for p, truth in person_truth.items() for e in by_truth.get(truth, ())}
    true_complete = sum(1 for p, e in true_pairs if p in complete and e in complete)
    counts: Counter[str] = Counter()
    found: set[tuple[str, str]] = set()
    for person_id, entry_id, decision in pairs:
        is_true = (person_id, entry_id) in true_pairs
        both_complete = person_id in complete and entry_id in complete
        counts[f"{decision}_{'true' if is_true else 'false'}"] += 1
        if not is_true and decision == "review":
            counts["review_false_complete" if both_complete else "review_false_partial"] += 1
        if is_true:
            found.add((person_id, entry_id))
    matched_true = counts["match_true"]
    matches = matched_true + counts["match_false"]
    n_true = len(true_pairs)
    return {
        "true_pairs": n_true,
        "flagged_recall": len(found) / n_true,
        "match_precision": matched_true / matches if matches else 1.0,
        "match_recall": matched_true / n_true,
        "wrong_review_per_true_pair_complete_dates": counts["review_false_complete"]
        / max(1, true_complete),
        "wrong_review_per_true_pair": (counts["review_false"]) / n_true,
        "match_pairs": matches,
        "review_pairs": counts["review_true"] + counts["review_false"],
    }


def pairwise_f1(clusters: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 of a clustering (record id -> cluster id)."""

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    predicted = sum(pairs(n) for n in Counter(clusters.values()).values())
    actual = sum(pairs(n) for n in Counter(truth.values()).values())
    both = sum(pairs(n) for n in Counter((clusters[i], truth[i]) for i in clusters).values())
    precision = both / predicted if predicted else 1.0
    recall = both / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": actual}


def bench_hamroh_screen(people_path: Path, list_path: Path) -> dict[str, object]:
    cpu = _cpu_s()
    start = time.perf_counter()
    entries = read_person_csv(list_path)
    people = read_person_csv(people_path)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    index = build_index(entries)
    index_s = time.perf_counter() - start
    start = time.perf_counter()
    matches: list[Match] = list(screen(people, index))
    screen_s = time.perf_counter() - start
    cpu = _cpu_s() - cpu
    quality = screen_quality(
        ((m.person_id, m.entry_id, m.decision) for m in matches), people_path, list_path
    )
    return {
        "read_csv_s": read_s,
        "index_s": index_s,
        "screen_s": screen_s,
        "total_s": read_s + index_s + screen_s,
        "cpu_s": cpu,
        "load_avg_1m": os.getloadavg()[0],
        "peak_rss_mb": _peak_rss_mb(),
        **quality,
        "_index": index,
        "_people": people,
        "_matches": matches,
    }


def bench_lookup(index: Index, people: list, n: int = 2000) -> dict[str, float]:
    rng = random.Random(7)
    queries = rng.sample(people, min(n, len(people)))
    times = []
    for q in queries:
        start = time.perf_counter()
        lookup(index, q)
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "queries": len(times),
        "p50_ms": times[len(times) // 2] * 1000,
        "p95_ms": times[int(len(times) * 0.95)] * 1000,
        "p99_ms": times[int(len(times) * 0.99)] * 1000,
        "max_ms": times[-1] * 1000,
    }


def bench_hamroh_dedupe(records_path: Path) -> dict[str, float]:
    cpu = _cpu_s()
    start = time.perf_counter()
    records = read_person_csv(records_path)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    clusters = dedupe(records)
    dedupe_s = time.perf_counter() - start
    assignment = {m: c.cluster_id for c in clusters for m in c.member_ids}
    return {
        "read_csv_s": read_s,
        "dedupe_s": dedupe_s,
        "total_s": read_s + dedupe_s,
        "cpu_s": _cpu_s() - cpu,
        "load_avg_1m": os.getloadavg()[0],
        **pairwise_f1(assignment, read_truth(records_path)),
    }


def _print_table(title: str, rows: dict[str, dict[str, object]]) -> None:
    print(f"\n{title}")
    names = list(rows)
    keys: list[str] = []
    for r in rows.values():
        keys += [k for k in r if k not in keys and not k.startswith("_")]
    print(f"{'':44}" + "".join(f"{n:>16}" for n in names))
    for k in keys:
        cells = []
        for n in names:
            v = rows[n].get(k, "")
            cells.append(f"{v:>16.4f}" if isinstance(v, float) else f"{v!s:>16}")
        print(f"{k:44}" + "".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-splink", action="store_true", help="skip the Splink baseline")
    parser.add_argument("--no-dedupe", action="store_true")
    parser.add_argument("--splink-size", type=int, help="run Splink on a smaller size")
    args = parser.parse_args()

    people_path, list_path = ensure_data("screen", args.size, args.out)
    results: dict[str, object] = {
        "size": args.size,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    ham = bench_hamroh_screen(people_path, list_path)
    look = bench_lookup(ham["_index"], ham["_people"])  # type: ignore[arg-type]
    screen_rows: dict[str, dict[str, object]] = {"hamroh": ham}
    if not args.no_splink:
        from splink_baseline import splink_screen

        splink_size = args.splink_size or args.size
        sp_people, sp_list = ensure_data("screen", splink_size, args.out)
        sp = splink_screen(sp_people, sp_list)
        sp.update(screen_quality(sp.pop("_pairs"), sp_people, sp_list))  # type: ignore[arg-type]
        screen_rows[f"splink@{splink_size}"] = sp
    _print_table(f"Screening {args.size:,} people against {args.size:,} entries", screen_rows)
    _print_table("Interactive lookup", {"hamroh": look})
    results["screen"] = {
        k: {a: b for a, b in v.items() if not a.startswith("_")} for k, v in screen_rows.items()
    }
    results["lookup"] = look
    del ham
    if not args.no_dedupe:
        (records_path,) = ensure_data("dedupe", args.size, args.out)
        dd_rows: dict[str, dict[str, object]] = {"hamroh": bench_hamroh_dedupe(records_path)}
        if not args.no_splink:
            from splink_baseline import splink_dedupe

            splink_size = args.splink_size or args.size
            (sp_records,) = ensure_data("dedupe", splink_size, args.out)
            sp = splink_dedupe(sp_records)
            sp.update(pairwise_f1(sp.pop("_clusters"), read_truth(sp_records)))  # type: ignore[arg-type]
            dd_rows[f"splink@{splink_size}"] = sp
        _print_table(f"Deduplicating {args.size:,} records", dd_rows)
        results["dedupe"] = dd_rows
    results["peak_rss_mb"] = _peak_rss_mb()
    print(f"\npeak RSS {results['peak_rss_mb']:.0f} MB")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
