#!/usr/bin/env python3
"""scripts/check-layout.py - the architecture's rules, checked on the tree.

Usage: scripts/check-layout.py [--http-lib LIB.a]
       scripts/check-layout.py --self-test

  - Includes follow the layers: each folder includes only its own headers
    and those of the folders it may use (LAYERS below); a project header
    is one named "folder/file.h".
  - No non-test .c or .h file is over 500 lines.
  - No function is over 60 lines, counted from the line that names it to
    its closing brace (the house style puts the body's braces alone on
    their lines, at the start of the line).
  - With --http-lib: the HTTP library's archive leaves no SQLite, db_*
    or handler (h_*) symbol undefined, so it links without them.

--self-test plants one breach of each kind in a scratch tree and checks
that each is found, and that the same tree without them passes.

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


def source_files(root):
    for folder in CODE_FOLDERS:
        base = os.path.join(root, folder)
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(dirpath, name), root)


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


def check_tree(root):
    """@return (number of files read, breaches) of the tree at root"""
    breaches = []
    files = list(source_files(root))
    for path in files:
        with open(os.path.join(root, path), encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        check_includes(path, lines, breaches)
        check_sizes(path, lines, breaches)
    return len(files), breaches


def function_text(name, body_lines):
    return f"static int\n{name}(void)\n{{\n" + "  (void) 0;\n" * body_lines + "  return 0;\n}\n"


def self_test():
    """Each kind of breach is found; without them the tree passes."""
    import tempfile

    planted = {
        "http/bad_include.c": ('#include "db/db.h"\n', "includes db/db.h"),
        "db/too_long.c": ("int x;\n" * (MAX_FILE_LINES + 1), "lines (at most"),
        "handlers/long_function.c": (function_text("too_long", MAX_FUNCTION_LINES - 3),
                                     "too_long() is"),
    }
    clean = {
        "util/fine.c": '#include "util/hash.h"\n' + function_text("just_fits",
                                                                 MAX_FUNCTION_LINES - 4),
        "handlers/fine.c": '#include "db/db.h"\n#include "http/reply.h"\n',
        "db/fine.h": "int y;\n" * MAX_FILE_LINES,
    }
    failures = []
    with tempfile.TemporaryDirectory() as root:
        for path, text in clean.items():
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                f.write(text)
        _, breaches = check_tree(root)
        if breaches:
            failures.append(f"a clean tree reported {breaches}")
        for path, (text, expected) in planted.items():
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                f.write(text)
            _, breaches = check_tree(root)
            if not any(b.startswith(path) and expected in b for b in breaches):
                failures.append(f"{path}: not reported ({breaches})")
            os.remove(os.path.join(root, path))
    for f in failures:
        print(f"layout self-test: {f}")
    print(f"layout self-test: {len(planted)} planted breaches, {len(failures)} missed")
    return 1 if failures else 0


def main():
    args = sys.argv[1:]
    lib = None
    if args == ["--self-test"]:
        return self_test()
    if args[:1] == ["--http-lib"] and len(args) == 2:
        lib = args[1]
    elif args:
        print(__doc__, file=sys.stderr)
        return 2
    nfiles, breaches = check_tree(ROOT)
    if lib is not None:
        check_http_lib(lib, breaches)
    for b in breaches:
        print(f"layout: {b}")
    print(f"layout: {nfiles} files, {len(breaches)} breaches")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
