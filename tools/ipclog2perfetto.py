#!/usr/bin/env python3
"""Turn `ipclog --json` output captured from the serial line into a trace file.

Usage: ipclog2perfetto.py SERIAL_LOG [OUT.json]

The program prints Chrome trace-event JSON between the lines
`ipclog-json-begin` and `ipclog-json-end`. This script cuts it out of a
serial capture (e.g. build/test-logs/*.log or a `make run` session saved with
`script`), checks that it parses, and writes it to OUT.json (default
ipclog-trace.json), which opens in https://ui.perfetto.dev or chrome://tracing:
one track per task, every IPC event as an instant, and each call joined to its
forwards and its answer by a flow arrow.
"""
import json
import sys


def extract(text):
    begin = text.rfind("ipclog-json-begin")
    end = text.find("ipclog-json-end", begin)
    if begin < 0 or end < 0:
        raise ValueError("no ipclog-json-begin ... ipclog-json-end block in the capture")
    body = text[begin + len("ipclog-json-begin"):end].replace("\r", "")
    return json.loads(body)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        trace = extract(f.read())
    out = sys.argv[2] if len(sys.argv) > 2 else "ipclog-trace.json"
    with open(out, "w") as f:
        json.dump(trace, f)
    events = trace["traceEvents"]
    flows = sum(e.get("ph") in ("s", "f") for e in events)
    print(f"{out}: {len(events)} events, {flows} flow ends")
    return 0


if __name__ == "__main__":
    sys.exit(main())
