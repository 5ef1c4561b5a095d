#!/usr/bin/env python3
"""Writes the raw text of every golden frame (jgun-core/src/test/resources/io/jgun/wire/golden) one
per line, for the JMH codec benchmark: jgun-bench/src/main/resources/golden-frames.txt."""
import glob, json, os, sys
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
golden = os.path.join(root, "jgun-core/src/test/resources/io/jgun/wire/golden")
out = os.path.join(root, "jgun-bench/src/main/resources/golden-frames.txt")
n = 0
with open(out, "w", encoding="utf-8") as w:
    for f in sorted(glob.glob(os.path.join(golden, "frames-*.jsonl"))):
        for line in open(f, encoding="utf-8"):
            o = json.loads(line)
            raw = o.get("raw")
            if o.get("dir") in ("in", "out") and raw and "\n" not in raw:
                w.write(raw + "\n")
                n += 1
print(f"{n} frames -> {out}", file=sys.stderr)
