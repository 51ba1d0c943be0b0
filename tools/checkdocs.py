#!/usr/bin/env python3
"""Keeps documentation true to the code.

  checkdocs.py check DOC...            every code block marked
                                       `<!-- from PATH -->` must appear, as it
                                       is, in PATH; prints one line per block
                                       (PASS/FAIL DOC:LINE PATH)
  checkdocs.py extract-outside DOC DIR writes the block marked
                                       `<!-- outside-app FILE -->` to DIR/FILE
"""
import os
import re
import sys

MARK = re.compile(r"^<!-- (from|outside-app) (\S+) -->\n```\w*\n(.*?)\n```$",
                  re.MULTILINE | re.DOTALL)


def blocks(doc):
    text = open(doc).read()
    for m in MARK.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        yield m.group(1), m.group(2), m.group(3), line


def check(docs):
    failed = 0
    for doc in docs:
        for kind, path, code, line in blocks(doc):
            if kind != "from":
                continue
            ok = os.path.exists(path) and code in open(path).read()
            failed += not ok
            print(f"{'PASS' if ok else 'FAIL'} {doc}:{line} {path}")
    return 1 if failed else 0


def extract_outside(doc, out_dir):
    for kind, name, code, _ in blocks(doc):
        if kind == "outside-app":
            os.makedirs(out_dir, exist_ok=True)
            with open(os.path.join(out_dir, name), "w") as f:
                f.write(code + "\n")
            return 0
    print(f"checkdocs: no outside-app block in {doc}", file=sys.stderr)
    return 1


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        return check(sys.argv[2:])
    if len(sys.argv) == 4 and sys.argv[1] == "extract-outside":
        return extract_outside(sys.argv[2], sys.argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
