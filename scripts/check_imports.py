#!/usr/bin/env python3
"""The module graph as declared must be the graph as imported, and as drawn in ARCHITECTURE.md.

For every target of Package.swift: each module its Swift files import (the toolchain's own
modules aside) must be a declared dependency, and each declared dependency must be imported
by at least one of its files; and the drawing in ARCHITECTURE.md (lines `Module <- A, B, ...`,
continued on indented lines, comments in parentheses) must name the same modules for every
library and the executable. SwiftPM's `--explicit-target-dependency-import-check error` lets a
target import a module its dependencies bring along; this check does not. With --graph, prints
the graph from the imports, one target a line. Exit 1 on any mismatch, naming target and module.
"""
import json
import os
import re
import subprocess
import sys

TOOLCHAIN = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization", "Testing",
             "XCTest", "_Concurrency", "Swift", "os"}
IMPORT = re.compile(r"^(?:@[A-Za-z_]+\s+)*import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                                        capture_output=True, text=True).stdout)
    problems, graph = [], {}
    for target in package["targets"]:
        if target["type"] == "system":
            continue
        name = target["name"]
        default = "Tests" if target["type"] == "test" else "Sources"
        path = os.path.join(root, target.get("path") or os.path.join(default, name))
        declared = set()
        for dep in target["dependencies"]:
            kind, value = next(iter(dep.items()))
            declared.add(value[0])
        imported = set()
        for folder, _, files in os.walk(path):
            for f in files:
                if f.endswith(".swift"):
                    imported |= set(IMPORT.findall(open(os.path.join(folder, f), encoding="utf-8").read()))
        imported -= TOOLCHAIN
        imported.discard(name)
        for m in sorted(imported - declared):
            problems.append(f"{name} imports {m} but does not declare it in Package.swift")
        for m in sorted(declared - imported):
            problems.append(f"{name} declares {m} but no file of it imports it")
        graph[name] = sorted(imported)
    drawn = drawing(os.path.join(root, "ARCHITECTURE.md"))
    for name, deps in graph.items():
        if name.endswith("Tests") or name.startswith("_"):
            continue
        if name not in drawn:
            problems.append(f"ARCHITECTURE.md does not draw {name}")
        elif drawn[name] != set(deps):
            problems.append(f"ARCHITECTURE.md draws {name} <- {', '.join(sorted(drawn[name]))}; it imports {', '.join(deps)}")
    if "--graph" in sys.argv:
        for name, deps in graph.items():
            print(f"{name:22} <- {', '.join(deps) or '(none)'}")
    for p in problems:
        print(f"module graph: {p}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"module graph: {len(graph)} targets, every import declared and every dependency used")


def drawing(path):
    """The `Module <- A, B` lines of the first code block of ARCHITECTURE.md, as {module: {deps}}."""
    text = open(path, encoding="utf-8").read()
    block = text.split("```", 2)[1]
    drawn, current = {}, None
    for line in block.splitlines():
        line = re.sub(r"\([^)]*\)", "", line)
        head = re.match(r"^([A-Za-z_]+)\s+<-\s*(.*)$", line)
        if head:
            current = head.group(1)
            drawn[current] = set()
            rest = head.group(2)
        elif current and line.startswith(" ") and line.strip():
            rest = line
        else:
            current = None
            continue
        drawn[current] |= {m.strip() for m in rest.split(",") if m.strip()}
    return drawn


if __name__ == "__main__":
    main()
