#!/usr/bin/env python3
"""Cross-checks `mutual match` against networkx.

For a few synthetic pools of a few hundred people it generates the people CSV with the
built `mutual` binary, runs `mutual match --emit-graph`, solves the emitted graph with
networkx's `max_weight_matching`, and asserts that the totals are equal and that the
reported pairs are a matching on that graph with that total. Exits non-zero on any
mismatch.

Usage: python3 scripts/crosscheck_networkx.py [path/to/mutual]
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import networkx as nx

CASES = [
    # (people, seed, model, extra arguments)
    (150, 1, "pairs", []),
    (240, 2, "pairs", ["--prove"]),
    (300, 3, "pairs", ["--candidates", "4"]),
    (200, 4, "buddies", []),
    (360, 5, "pairs", ["--prove", "--candidates", "6"]),
]


def run(arguments):
    completed = subprocess.run(arguments, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(f"FAILED: {' '.join(arguments)}\n{completed.stderr}")
    return completed


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(".build", "debug", "mutual")
    if not os.path.exists(binary):
        sys.exit(f"no mutual binary at {binary}; build it first (swift build --product mutual)")
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for count, seed, model, extra in CASES:
            people = os.path.join(folder, f"people-{count}-{seed}.csv")
            edges_path = os.path.join(folder, f"edges-{count}-{seed}.csv")
            result_path = os.path.join(folder, f"result-{count}-{seed}.json")
            run([binary, "generate", "people", "--count", str(count), "--seed", str(seed), "--output", people])
            run([binary, "match", "--input", people, "--model", model, "--seed", str(seed), "--quiet",
                 "--no-timings", "--emit-graph", edges_path, "--output", result_path] + extra)
            with open(result_path, encoding="utf-8") as handle:
                result = json.load(handle)
            graph = nx.Graph()
            with open(edges_path, encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    graph.add_edge(row["a"], row["b"], weight=int(row["weight"]))
            matching = nx.max_weight_matching(graph, maxcardinality=False, weight="weight")
            networkx_total = sum(graph[a][b]["weight"] for a, b in matching)
            ours = result["total_weight"]
            used = set()
            pair_total = 0
            valid = True
            for pair in result["pairs"]:
                a, b = pair["a"], pair["b"]
                if a in used or b in used or not graph.has_edge(a, b) or graph[a][b]["weight"] != pair["weight"]:
                    valid = False
                used.update([a, b])
                pair_total += pair["weight"]
            label = f"{model} n={count} seed={seed} {' '.join(extra)}".strip()
            if networkx_total != ours or pair_total != ours or not valid:
                failures += 1
                print(f"MISMATCH {label}: mutual {ours} (pairs sum {pair_total}, valid {valid}), networkx {networkx_total}")
            else:
                print(f"ok {label}: total {ours} on {graph.number_of_edges()} edges, status {result['status']}")
    if failures:
        sys.exit(f"{failures} cross-check(s) failed")
    print("networkx cross-check passed")


if __name__ == "__main__":
    main()
