#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A scripted LDAP server on 127.0.0.1 for what a real slapd will not do: malformed
replies, endless paging, stalls, odd syncrepl endings. Usage: fake-ldap.py MODE PORTFILE
[DELAY]. Writes the port it listens on to PORTFILE. Each connection gets its own thread.

Modes (paged searches serve one user and one group unless said otherwise):
  malformed         the user entry breaks off in the middle of its attribute list
  same-cookie       every page is empty and carries the same cookie
  new-cookie        every page is empty and carries a new cookie
  endless           every page is full (page size entries) and carries a new cookie
  stall             paged searches are never answered; no syncrepl
  sync-slow         syncrepl: silent for DELAY seconds, then the entries and refreshDone
  sync-busy         syncrepl searches fail with busy (51)
  sync-done         syncrepl: the entries, then searchResultDone success + syncDone
  trickle           every reply, the bind's included, one byte every DELAY seconds (all
                    of the BER header but its last byte at once)
  trickle-search    binds answered at once; search replies trickled as in trickle
  one-connection    served as usual on the first connection; every later one is closed
                    at once, as by a server out of connection slots
  slow-pages        a paged search for people: four pages of one user each (slowuser1..4),
                    each answered DELAY seconds after its request; groups as usual
For the password helper (hostiam-auth); every bind with a DN and a password succeeds
unless the mode says otherwise:
  sizelimit-one     a search for people: the user, then sizeLimitExceeded (4), as a server
                    whose own size limit is 1 says "there were more"
  two-users         a search for people: two entries for the uid, then success
  referral          a search for people: a search reference only, then success
  pp-garbage        binds as a user succeed with a password policy response control whose
                    value is not BER
  pp-garbage-fail   binds as a user fail (invalidCredentials) with that control
"""
import os
import socket
import sys
import threading
import time

SYNC_OID = b"1.3.6.1.4.1.4203.1.9.1.1"
SYNC_STATE_OID = b"1.3.6.1.4.1.4203.1.9.1.2"
SYNC_DONE_OID = b"1.3.6.1.4.1.4203.1.9.1.3"
SYNC_INFO_OID = b"1.3.6.1.4.1.4203.1.9.1.4"
PAGED_OID = b"1.2.840.113556.1.4.319"
PPOLICY_OID = b"1.3.6.1.4.1.42.2.27.8.5.1"

USER = (b"uid=fakeuser,ou=people,dc=example,dc=com",
        [(b"uid", [b"fakeuser"]), (b"uidNumber", [b"10001"]), (b"gidNumber", [b"10001"]),
         (b"homeDirectory", [b"/home/fakeuser"]), (b"loginShell", [b"/usr/sbin/nologin"])])
GROUP = (b"cn=fakegroup,ou=groups,dc=example,dc=com",
         [(b"cn", [b"fakegroup"]), (b"gidNumber", [b"20001"]), (b"memberUid", [b"fakeuser"])])


def length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + length(len(content)) + content


def integer(v, tag=0x02):
    return tlv(tag, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))


def octets(s, tag=0x04):
    return tlv(tag, s)


def parse(buf):
    """The (tag, content) elements of buf."""
    out, i = [], 0
    while i < len(buf):
        tag, n = buf[i], buf[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7f
            n = int.from_bytes(buf[i:i + k], "big")
            i += k
        out.append((tag, buf[i:i + n]))
        i += n
    return out


def read_message(sock):
    head = sock.recv(2, socket.MSG_WAITALL)
    if len(head) < 2:
        return None
    n = head[1]
    extra = b""
    if n & 0x80:
        extra = sock.recv(n & 0x7f, socket.MSG_WAITALL)
        n = int.from_bytes(extra, "big")
    body = sock.recv(n, socket.MSG_WAITALL) if n else b""
    return body if len(body) == n else None


def message(msgid, op, controls=b""):
    return tlv(0x30, integer(msgid) + op + (tlv(0xa0, controls) if controls else b""))


def control(oid, value):
    return tlv(0x30, octets(oid) + octets(value))


def entry(dn, attrs, broken=False):
    body = b"".join(tlv(0x30, octets(a) + tlv(0x31, b"".join(octets(v) for v in vals)))
                    for a, vals in attrs)
    if broken:
        # An attribute whose length runs past the end of the message.
        body += b"\x30\x7f" + octets(b"loginShell")
    return tlv(0x64, octets(dn) + tlv(0x30, body))


def done(code):
    return tlv(0x65, tlv(0x0a, bytes([code])) + octets(b"") + octets(b""))


class Conn(threading.Thread):
    def __init__(self, sock, mode, delay):
        super().__init__(daemon=True)
        self.sock, self.mode, self.delay, self.pages = sock, mode, delay, 0

    def send(self, data, trickle=None):
        if trickle is None:
            trickle = self.mode == "trickle"
        try:
            if not trickle:
                self.sock.sendall(data)
                return
            # Never silent for DELAY seconds, never done either: a per-read timeout never fires.
            # All of the header but its last byte at once, so that byte arrives after DELAY
            # and completes it, and the client then waits for the body in a blocking read.
            first = 1 + (data[1] & 0x7f if data[1] & 0x80 else 0)
            self.sock.sendall(data[:first])
            for i in range(first, len(data)):
                time.sleep(self.delay)
                self.sock.sendall(data[i:i + 1])
        except OSError:
            pass

    def run(self):
        try:
            while True:
                body = read_message(self.sock)
                if body is None:
                    return
                parts = parse(body)
                msgid = int.from_bytes(parts[0][1], "big")
                op, content = parts[1]
                ctrls = {}
                if len(parts) > 2 and parts[2][0] == 0xa0:
                    for _, c in parse(parts[2][1]):
                        f = parse(c)
                        ctrls[f[0][1]] = f[-1][1] if len(f) > 1 else b""
                if op == 0x60:
                    self.bind(msgid, parse(content))
                elif op == 0x42:
                    return
                elif op == 0x63:
                    base = parse(content)[0][1]
                    self.search(msgid, base, ctrls)
        finally:
            self.sock.close()

    def bind(self, msgid, req):
        code, ctrl = 0, b""
        if req[1][1] and self.mode.startswith("pp-garbage"):
            # A policy response whose value is a SEQUENCE that runs past its end.
            ctrl = control(PPOLICY_OID, b"\x30\x7f\xa0\x05\xa0\x7f\x02")
            code = 49 if self.mode == "pp-garbage-fail" else 0
        self.send(message(msgid, tlv(0x61, tlv(0x0a, bytes([code])) + octets(b"") +
                                     octets(b"")), ctrl))

    def data(self, base):
        return [USER] if b"people" in base else [GROUP]

    def search(self, msgid, base, ctrls):
        if SYNC_OID in ctrls:
            return self.syncrepl(msgid, base)
        if self.mode == "stall":
            return
        size = 20
        if PAGED_OID in ctrls:
            size = int.from_bytes(parse(parse(ctrls[PAGED_OID])[0][1])[0][1], "big")
        self.pages += 1
        entries, cookie = [entry(dn, a, self.mode == "malformed") for dn, a in self.data(base)], b""
        if self.mode in ("same-cookie", "new-cookie", "endless"):
            cookie = b"same" if self.mode == "same-cookie" else b"page%d" % self.pages
            entries = []
        if self.mode == "endless":
            entries = [entry(b"uid=u%d-%d,ou=people,dc=example,dc=com" % (self.pages, i),
                             [(b"uid", [b"u%d" % i])]) for i in range(size)]
        code = 0
        if b"people" in base and self.mode in ("sizelimit-one", "two-users", "referral"):
            second = (b"uid=fakeuser,ou=other,dc=example,dc=com", USER[1])
            entries = {"sizelimit-one": [entry(*USER)],
                       "two-users": [entry(*USER), entry(*second)],
                       "referral": [tlv(0x73, octets(b"ldap://192.0.2.1/dc=example,dc=com"))]
                       }[self.mode]
            code = 4 if self.mode == "sizelimit-one" else 0
            for e in entries:
                self.send(message(msgid, e))
            self.send(message(msgid, done(code)))
            return
        if b"people" in base and self.mode == "slow-pages":
            return self.slow_page(msgid)
        trickle = self.mode.startswith("trickle")
        for e in entries:
            self.send(message(msgid, e), trickle)
        value = tlv(0x30, integer(0) + octets(cookie))
        self.send(message(msgid, done(0), control(PAGED_OID, value)), trickle)

    def slow_page(self, msgid):
        n = self.pages
        time.sleep(self.delay)
        self.send(message(msgid, entry(b"uid=slowuser%d,ou=people,dc=example,dc=com" % n,
                                       [(b"uid", [b"slowuser%d" % n]),
                                        (b"uidNumber", [b"%d" % (10100 + n)]),
                                        (b"gidNumber", [b"10001"]),
                                        (b"homeDirectory", [b"/home/slowuser%d" % n])])))
        cookie = b"" if n >= 4 else b"page%d" % n
        value = tlv(0x30, integer(0) + octets(cookie))
        self.send(message(msgid, done(0), control(PAGED_OID, value)))

    def syncrepl(self, msgid, base):
        if self.mode in ("malformed", "same-cookie", "new-cookie", "endless", "stall",
                         "trickle", "trickle-search"):
            self.send(message(msgid, done(12)))   # unavailableCriticalExtension
            return
        if self.mode == "sync-busy":
            self.send(message(msgid, done(51)))
            return
        if self.mode == "sync-slow":
            time.sleep(self.delay)
        for n, (dn, attrs) in enumerate(self.data(base)):
            state = tlv(0x30, tlv(0x0a, b"\x01") + octets(bytes([n + 1]) * 16))
            self.send(message(msgid, entry(dn, attrs), control(SYNC_STATE_OID, state)))
        if self.mode == "sync-done":
            self.send(message(msgid, done(0), control(SYNC_DONE_OID, tlv(0x30, b""))))
            return
        info = tlv(0x79, octets(SYNC_INFO_OID, 0x80) + octets(tlv(0xa2, b""), 0x81))
        self.send(message(msgid, info))


def main():
    mode, portfile = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    served = 0
    while True:
        sock, _ = srv.accept()
        served += 1
        if mode == "one-connection" and served > 1:
            sock.close()
            continue
        Conn(sock, mode, delay).start()


if __name__ == "__main__":
    main()
