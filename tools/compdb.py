#!/usr/bin/env python3
"""Write compile_commands.json (the compilation database clangd, clang-tidy
and editors read) from a dry run of the build: `make -Bn` prints every
compiler command without running it, and each command that compiles one C
or assembly source (-c) becomes an entry. Usage (what `make compdb` runs):
    python3 tools/compdb.py [-o compile_commands.json] [make targets...]
"""
import argparse
import json
import os
import shlex
import subprocess
import sys

SOURCE_SUFFIXES = (".c", ".S")


def compile_entries(command, directory):
    """The entries of one shell line of the dry run: a line may chain
    several compiler commands with && or ;."""
    entries = []
    for part in command.replace("&&", ";").split(";"):
        try:
            argv = shlex.split(part)
        except ValueError:
            continue  # not a command we can read (an unbalanced quote in an echo)
        if "-c" not in argv or not argv or not argv[0].endswith(("gcc", "cc", "clang")):
            continue
        sources = [a for a in argv[1:] if a.endswith(SOURCE_SUFFIXES)]
        if len(sources) == 1:
            entries.append({"directory": directory, "arguments": argv,
                            "file": os.path.join(directory, sources[0])})
    return entries


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-o", "--output", default="compile_commands.json")
    ap.add_argument("targets", nargs="*", default=["all", "host-tests"])
    args = ap.parse_args()
    directory = os.getcwd()
    proc = subprocess.run(["make", "-Bn", "--no-print-directory"] + args.targets,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"compdb: make -Bn failed:\n{proc.stderr}")
    entries, seen = [], set()
    for line in proc.stdout.splitlines():
        for e in compile_entries(line, directory):
            if e["file"] not in seen:   # a source built twice: its first command
                seen.add(e["file"])
                entries.append(e)
    if not entries:
        sys.exit("compdb: the dry run showed no compiler command")
    with open(args.output, "w") as f:
        json.dump(entries, f, indent=1)
    print(f"compdb: {len(entries)} sources in {args.output}")


if __name__ == "__main__":
    main()
