#!/usr/bin/env python3
"""Fails unless every case named in must_pass.txt passed in a difftest output.

Usage: gate.py must_pass.txt difftest.out
Prints the cases that now pass but are not in the list (candidates to add: the list only grows).
"""
import sys


def main() -> int:
    must_file, out_file = sys.argv[1], sys.argv[2]
    must = [l.strip() for l in open(must_file, encoding="utf-8") if l.strip() and not l.startswith("#")]
    passed, failed = set(), {}
    for line in open(out_file, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("PASS "):
            passed.add(line[5:].strip())
        elif line.startswith("FAIL "):
            name, _, reason = line[5:].partition(":")
            failed[name.strip()] = reason.strip()
    broken = [m for m in must if m not in passed]
    for m in broken:
        print(f"REGRESSION {m}: {failed.get(m, 'not run')}")
    extra = sorted(passed - set(must))
    if extra:
        print(f"{len(extra)} passing case(s) not yet in {must_file}: " + ", ".join(extra))
    print(f"gate: {len(must) - len(broken)} of {len(must)} required cases pass")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
