#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Drive `hostiam enroll` as a user at an authenticator app would.

    drive.py MODE OUTDIR COMMAND...

Runs COMMAND with its standard output on a pseudo-terminal (enroll draws the QR code only
on a terminal), reads that output up to the confirm prompt, parses the otpauth://
URI (OUTDIR/uri: one key=value per line), checks the QR code drawn under it (OUTDIR/qr:
"ok" or what is wrong with it), then answers the prompt according to MODE:
  right  the current code (oathtool, with the URI's algorithm, digits and period)
  wrong  a code that matches no step inside the window
  none   nothing (standard input closed)
The whole standard output goes to OUTDIR/out, standard error to OUTDIR/err; exits with
COMMAND's status.

With DRIVE_PASSWORD_FILE in the environment (taken out of COMMAND's), the first line of
that file is COMMAND's first line of input (the directory password of enroll --directory
/ --self), and once the confirm prompt is shown every /proc/PID/cmdline and environ is
searched for it: OUTDIR/procscan says "clean" or where it was found. With DRIVE_STDIN_TTY=1
as well, standard input is the terminal too, and the password is typed there once the
password prompt shows (its echo, if any, lands in OUTDIR/out).
"""
import os
import pty
import re
import subprocess
import sys
import termios
import time
import urllib.parse

PROMPT = b"Enter the code from your authenticator to confirm: "
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def oathtool(fields, at=None):
    """The code for the URI's secret at time at (now when None)."""
    cmd = [os.environ.get("OATHTOOL") or "oathtool", "--totp=" + fields["algorithm"].lower(),
           "-b", "-d", fields["digits"], "-s", fields["period"] + "s"]
    if at is not None:
        cmd += ["-N", "@%d" % at]
    cmd.append(fields["secret"])
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


def parse_uri(text):
    """key=value fields of the first otpauth:// URI in text."""
    m = re.search(r"^otpauth://\S+$", text, re.M)
    if not m:
        return None
    u = urllib.parse.urlsplit(m.group(0))
    q = urllib.parse.parse_qs(u.query, strict_parsing=True)
    # The label's separator is ':' or '%3A'; neither part may contain one.
    parts = re.split(r":|%3A", u.path[1:], maxsplit=1, flags=re.I)
    issuer_label, account = (urllib.parse.unquote(x) for x in (parts if len(parts) == 2
                                                              else ["", parts[0]]))
    fields = {"scheme": u.scheme, "type": u.netloc, "label_issuer": issuer_label,
              "account": account, "raw": m.group(0)}
    for k, v in q.items():
        fields[k] = v[0] if len(v) == 1 else ",".join(v)
    return fields


def qr_matrix(text):
    """The modules drawn with half blocks (lines in black on white): rows of booleans."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("\x1b[30;47m"):
            if rows:
                break
            continue
        plain = ANSI.sub("", line)
        if set(plain) - set(" \u2580\u2584\u2588"):
            return None
        rows += [[c in "\u2580\u2588" for c in plain], [c in "\u2584\u2588" for c in plain]]
    return rows or None


def finder_ok(m, r, c):
    """A 7x7 finder pattern with its top-left module at (r, c)."""
    for i in range(7):
        for j in range(7):
            ring = max(abs(i - 3), abs(j - 3))
            if m[r + i][c + j] != (ring != 2):
                return False
    return True


def format_ok(m):
    """The format information near the top-left finder is a valid word for level M."""
    valid = set()
    for data in range(32):
        rem = data << 10
        for bit in range(14, 9, -1):
            if rem >> bit & 1:
                rem ^= 0x537 << (bit - 10)
        valid.add(((data << 10) | rem) ^ 0x5412)
    cells = [(8, i) for i in (0, 1, 2, 3, 4, 5, 7, 8)] + [(i, 8) for i in (7, 5, 4, 3, 2, 1, 0)]
    for order in (cells, cells[::-1]):
        for tr in (False, True):
            word = 0
            for r, c in order:
                word = word << 1 | int(m[c][r] if tr else m[r][c])
            if word in valid and (word ^ 0x5412) >> 13 == 0:   # EC level bits 00: M
                return True
    return False


def check_qr(text):
    """'ok' if a QR code with a 4-module quiet zone is drawn, else what is wrong."""
    m = qr_matrix(text)
    if not m:
        return "no QR code"
    width = len(m[0])
    if any(len(r) != width for r in m):
        return "rows of different widths"
    m = m[:width]  # the last half-block row may carry one padding row
    if len(m) != width:
        return "not square: %d x %d" % (len(m), width)
    q = 4
    border = m[:q] + m[-q:] + [r[:q] + r[-q:] for r in m]
    if any(any(r) for r in border):
        return "no quiet zone of %d modules" % q
    sym = [r[q:-q] for r in m[q:-q]]
    n = len(sym)
    if n < 21 or (n - 17) % 4:
        return "symbol size %d is no QR version" % n
    if not (finder_ok(sym, 0, 0) and finder_ok(sym, 0, n - 7) and finder_ok(sym, n - 7, 0)):
        return "finder patterns missing"
    if not all(sym[6][i] == (i % 2 == 0) for i in range(8, n - 8)):
        return "timing pattern missing"
    if not format_ok(sym):
        return "format information is not level M"
    return "ok"


def wrong_code(fields):
    """A code matching no step within two of now."""
    now = int(time.time())
    period = int(fields["period"])
    near = {oathtool(fields, now + k * period) for k in range(-2, 3)}
    n = int(fields["digits"])
    for guess in range(10 ** n):
        code = "%0*d" % (n, (guess * 7919 + 12345) % 10 ** n)
        if code not in near:
            return code
    raise SystemExit("no wrong code")


def read_tty(fd):
    """Up to 4096 bytes from the terminal's master side; b"" once the child has closed it."""
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO: no process holds the terminal any more
        return b""


def proc_scan(password):
    """'clean', or the /proc files of running processes that hold password."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        for name in ("cmdline", "environ"):
            try:
                with open("/proc/%s/%s" % (pid, name), "rb") as f:
                    if password in f.read():
                        found.append("/proc/%s/%s" % (pid, name))
            except OSError:
                pass
    return " ".join(found) or "clean"


class TtyInput:
    """Input typed on the terminal's master side, as a pipe's write/flush/close."""

    def __init__(self, fd):
        self.fd = fd

    def write(self, data):
        os.write(self.fd, data)

    def flush(self):
        pass

    def close(self):
        os.write(self.fd, b"\x04")  # EOF at the start of a line


def start(cmd, err, tty_stdin):
    """COMMAND with stdin a pipe (or the terminal), stdout a terminal passing bytes
    unchanged (no CR added)."""
    master, slave = pty.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    env = dict(os.environ)
    env.pop("DRIVE_PASSWORD_FILE", None)
    env.pop("DRIVE_STDIN_TTY", None)
    p = subprocess.Popen(cmd, stdin=slave if tty_stdin else subprocess.PIPE, stdout=slave,
                         stderr=err, env=env)
    os.close(slave)
    if tty_stdin:
        p.stdin = TtyInput(master)
    return p, master


def read_until(tty, seen, ends):
    """Terminal output appended to seen until it ends with one of ends (or the end)."""
    while not seen.endswith(ends):
        chunk = read_tty(tty)
        if not chunk:
            break
        seen += chunk
    return seen


def main():
    mode, outdir, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
    err = open(os.path.join(outdir, "err"), "wb")
    tty_stdin = os.environ.get("DRIVE_STDIN_TTY") == "1"
    p, tty = start(cmd, err, tty_stdin)
    password = None
    seen = b""
    if os.environ.get("DRIVE_PASSWORD_FILE"):
        with open(os.environ["DRIVE_PASSWORD_FILE"], "rb") as f:
            password = f.readline().rstrip(b"\n")
        if tty_stdin:  # typed once asked: what comes before the prompt may be flushed
            seen = read_until(tty, seen, b": ")
        try:
            p.stdin.write(password + b"\n")
            p.stdin.flush()
        except BrokenPipeError:
            pass
    seen = read_until(tty, seen, PROMPT)
    text = seen.decode("utf-8", "replace")
    fields = parse_uri(text)
    with open(os.path.join(outdir, "uri"), "w") as f:
        for k, v in sorted((fields or {}).items()):
            f.write("%s=%s\n" % (k, v))
    with open(os.path.join(outdir, "qr"), "w") as f:
        f.write(check_qr(text) + "\n")
    if password is not None:
        with open(os.path.join(outdir, "procscan"), "w") as f:
            f.write(proc_scan(password) + "\n")
    answer = b""
    if seen.endswith(PROMPT) and fields and mode != "none":
        code = oathtool(fields) if mode == "right" else wrong_code(fields)
        answer = code.encode() + b"\n"
    try:
        p.stdin.write(answer)
        p.stdin.close()
    except BrokenPipeError:
        pass
    rest = b""
    while True:
        chunk = read_tty(tty)
        if not chunk:
            break
        rest += chunk
    p.wait()
    os.close(tty)
    with open(os.path.join(outdir, "out"), "wb") as f:
        f.write(seen + rest)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
