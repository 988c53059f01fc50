#!/usr/bin/env python3
"""scripts/check-layout.py - the architecture's rules, checked on the tree.

Usage: scripts/check-layout.py [--http-lib LIB.a]

  - Includes follow the layers: each folder includes only its own headers
    and those of the folders it may use (LAYERS below); a project header
    is one named "folder/file.h".
  - No non-test .c or .h file is over 500 lines.
  - No function is over 60 lines, counted from the line that names it to
    its closing brace (the house style puts the body's braces alone on
    their lines, at the start of the line).
  - With --http-lib: the HTTP library's archive leaves no SQLite, db_*
    or handler (h_*) symbol undefined, so it links without them.

Prints one line per breach and a summary. Exit status: 0 when there is
none, 1 otherwise, 2 usage error.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# folder -> the folders whose headers it may include, besides its own
LAYERS = {
    "util": set(),
    "http": {"util"},
    "model": {"util"},
    "db": {"model", "util", "migrations"},
    "handlers": {"http", "db", "model", "util", "docs", "web"},
    "server": {"handlers", "http", "db", "model", "util", "docs", "web", "migrations"},
}
CODE_FOLDERS = list(LAYERS) + ["migrations", "docs", "web"]
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 60

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
FUNC_NAME = re.compile(r"^(?:[A-Za-z_][\w\s\*]*?)?\b([A-Za-z_]\w*)\s*\(")


def source_files():
    for folder in CODE_FOLDERS:
        base = os.path.join(ROOT, folder)
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(dirpath, name), ROOT)


def check_includes(path, lines, breaches):
    folder = path.split(os.sep)[0]
    allowed = LAYERS.get(folder)
    if allowed is None:
        return
    for n, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m or "/" not in m.group(1):
            continue
        target = m.group(1).split("/")[0]
        if target != folder and target not in allowed:
            breaches.append(f"{path}:{n}: includes {m.group(1)}: {folder}/ may use "
                            f"{', '.join(sorted(allowed)) or 'nothing of ours'}")


def function_spans(lines):
    """(name, first line, last line) of each function body in the house style."""
    for i, line in enumerate(lines):
        if line.rstrip() != "{":
            continue
        name = None
        start = i
        for j in range(i - 1, max(-1, i - 12), -1):
            m = FUNC_NAME.match(lines[j])
            if m and not lines[j].startswith((" ", "\t")):
                name, start = m.group(1), j
                break
        for k in range(i + 1, len(lines)):
            if lines[k].rstrip() == "}":
                yield name or "?", start + 1, k + 1
                break


def check_sizes(path, lines, breaches):
    if len(lines) > MAX_FILE_LINES:
        breaches.append(f"{path}: {len(lines)} lines (at most {MAX_FILE_LINES})")
    if not path.endswith(".c"):
        return
    for name, first, last in function_spans(lines):
        length = last - first + 1
        if length > MAX_FUNCTION_LINES:
            breaches.append(f"{path}:{first}: {name}() is {length} lines "
                            f"(at most {MAX_FUNCTION_LINES})")


def check_http_lib(lib, breaches):
    out = subprocess.run(["nm", "-u", "--format=posix", lib], capture_output=True, text=True,
                         check=True).stdout
    bad = sorted({line.split()[0] for line in out.splitlines()
                  if line.split() and re.match(r"(sqlite3_|db_|h_)", line.split()[0])})
    for sym in bad:
        breaches.append(f"{lib}: leaves {sym} undefined: the HTTP library must not need it")


def main():
    args = sys.argv[1:]
    lib = None
    if args[:1] == ["--http-lib"] and len(args) == 2:
        lib = args[1]
    elif args:
        print(__doc__, file=sys.stderr)
        return 2
    breaches = []
    files = list(source_files())
    for path in files:
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        check_includes(path, lines, breaches)
        check_sizes(path, lines, breaches)
    if lib is not None:
        check_http_lib(lib, breaches)
    for b in breaches:
        print(f"layout: {b}")
    print(f"layout: {len(files)} files, {len(breaches)} breaches")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
