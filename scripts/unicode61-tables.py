#!/usr/bin/env python3
"""Prints the two character tables of migrations/postgresql/0011_search_tokens.sql.

FTS5's tokenizer 'unicode61 remove_diacritics 2' (the one of migrations/0003)
is asked, one code point at a time, what it makes of "q<c>q": two tokens
(c separates tokens) or one (c is part of a word, folded to zero or one
character). PostgreSQL then splits and folds text the same way with one
regular expression and one translate(). Run with the python3 and SQLite
that techpayd's SQLite engine uses; it takes about a minute.
"""
import sqlite3


def probe():
    db = sqlite3.connect(':memory:')
    db.execute("CREATE VIRTUAL TABLE f USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    points = [c for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    db.executemany("INSERT INTO f (rowid, x) VALUES (?, ?)", ((c, 'q' + chr(c) + 'q') for c in points))
    terms = {}
    for doc, term in db.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
        terms.setdefault(doc, []).append(term)
    separators, folds = [], {}
    for c in points:
        t = terms.get(c, [])
        if t == ['q', 'q']:
            separators.append(c)
        elif len(t) == 1 and len(t[0]) >= 2 and t[0][0] == 'q' and t[0][-1] == 'q':
            if t[0][1:-1] != chr(c):
                folds[c] = t[0][1:-1]
        else:
            raise SystemExit('unexpected tokens for U+%04X: %r' % (c, t))
    return separators, folds


def ranges(points):
    out = []
    for c in points:
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def esc(c):
    """A character as a U& string escape."""
    return '\\%04X' % c if c <= 0xFFFF else '\\+%06X' % c


def regex_esc(c):
    """A character as an escape of PostgreSQL's regular expressions."""
    return '\\u%04X' % c if c <= 0xFFFF else '\\U%08X' % c


def lines(items, prefix, width=72):
    """Items (escapes) as string literals of at most width characters,
    one a line, joined with ||: an escape is never cut."""
    out, line = [], ''
    for item in items:
        if line and len(line) + len(item) > width:
            out.append(line)
            line = ''
        line += item
    if line:
        out.append(line)
    return '\n    || '.join("%s'%s'" % (prefix, text) for text in out) if out else "''"


def main():
    separators, folds = probe()
    cls = [regex_esc(a) if a == b else regex_esc(a) + '-' + regex_esc(b) for a, b in ranges(separators)]
    # translate() deletes the characters of its first string that have no
    # counterpart in the second, so those folded to nothing come last.
    kept = sorted(c for c, f in folds.items() if f)
    dropped = sorted(c for c, f in folds.items() if not f)
    source = [esc(c) for c in kept + dropped]
    target = [esc(ord(folds[c])) for c in kept]
    print('-- separators: %d code points in %d ranges' % (len(separators), len(ranges(separators))))
    print("'[' || " + lines(cls, '') + " || ']+'")
    print('-- folded: %d to one character, %d to none' % (len(kept), len(dropped)))
    print(lines(source, 'U&'))
    print(lines(target, 'U&'))


if __name__ == '__main__':
    main()
