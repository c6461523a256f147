#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Read audit.jsonl files back, as an auditor's tool would, for test_pam_audit.sh.

  audit-check.py valid FILE...          every line one JSON object with the base fields;
                                        prints the number of lines
  audit-check.py count FILE KEY=VALUE...
                                        prints how many events have every KEY equal to
                                        VALUE: "null" for null, factors comma-joined, and
                                        KEY=@NAME for the bytes of environment variable NAME
                                        as audit.h documents them (invalid UTF-8 bytes as
                                        the code point of the same number)
Exit status 1 when a line is not valid (valid), 2 for usage.
"""
import json
import os
import re
import sys

BASE = ["time", "event", "host", "service", "user", "rhost", "tty", "rule", "decision",
        "reason", "factors", "result", "grant"]
EVENTS = {"decision", "mfa", "password", "terms", "grant", "certify"}
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def lines(path):
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        raise ValueError("%s: does not end with a newline" % path)
    for n, raw in enumerate(data.split(b"\n")[:-1], 1):
        yield n, raw


def parse(path, n, raw):
    text = raw.decode("utf-8")  # strict: a line must be valid UTF-8
    if any(ord(c) < 0x20 for c in text):
        raise ValueError("raw control character")
    ev = json.loads(text)
    if not isinstance(ev, dict):
        raise ValueError("not an object")
    for k in BASE:
        if k not in ev:
            raise ValueError("no %s" % k)
    if ev["event"] not in EVENTS or not TIME.match(ev["time"]):
        raise ValueError("bad event or time")
    if not isinstance(ev["factors"], list):
        raise ValueError("factors is not a list")
    return ev


def expected(value):
    if not value.startswith("@"):
        return value
    raw = os.environb[value[1:].encode()]
    s = raw.decode("utf-8", "surrogateescape")
    return "".join(chr(ord(c) - 0xDC00) if 0xDC80 <= ord(c) <= 0xDCFF else c for c in s)


def shown(ev, key):
    v = ev.get(key)
    if v is None:
        return "null"
    if isinstance(v, list):
        return ",".join(v)
    return str(v)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("valid", "count"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "valid":
        total, bad = 0, 0
        for path in argv[2:]:
            for n, raw in lines(path):
                total += 1
                try:
                    parse(path, n, raw)
                except (ValueError, UnicodeDecodeError) as e:
                    print("%s:%d: %s: %r" % (path, n, e, raw[:200]), file=sys.stderr)
                    bad += 1
        print(total)
        return 1 if bad else 0
    want = [a.split("=", 1) for a in argv[3:]]
    count = 0
    for n, raw in lines(argv[2]):
        ev = parse(argv[2], n, raw)
        if all(shown(ev, k) == expected(v) for k, v in want):
            count += 1
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
