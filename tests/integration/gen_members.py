#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A random directory of tangled group membership, and the cache it must give.

Usage: gen_members.py SEED LDIF EXPECTED

LDIF: users and groups for slapd-lib.sh (below its base DIT): users in ou=people and in
`ou=dev\\2C ops` under it; groups in ou=groups and `ou=nest\\2Cing` under it, as posixGroup
(memberUid) or groupOfNames + hostiamPosixGroupAux (member DNs and memberUid mixed), some
without a gidNumber or below min_gid (nesting only), one named like a local group, pairs
sharing a name or an id (all left out). Member DNs are written in varied forms (attribute
type and value case, `\\2C`, `\\2c` or `\\,`), point at users, groups, the group itself,
entries that are left out, or nothing; nesting has cycles; memberUid values include names
of no directory user, invalid names and names given twice in other ways.

EXPECTED: the `user` and `group` lines tests/integration/cache-dump must print, sorted,
computed here independently of hostiam (the rules of dir_resolve.c / dir_members.c).
"""
import random
import re
import sys

SUFFIX = "dc=example,dc=com"
MIN_ID = 1000
LOCAL_USERS = {"root", "daemon", "localadmin", "localsvc"}
LOCAL_GROUPS = {"root", "sudo", "localadmin", "localgrp"}
LOCAL_GIDS = {0, 27, 1000, 1600}


def valid_name(s):
    """names.c's rule: no control bytes, space, ':', ',' or '/'; not '-'..., '.', '..',
    all digits; at most 32 bytes."""
    return (bool(s) and not s.startswith("-") and s not in (".", "..") and len(s) <= 32
            and not re.search(r"[\x00-\x20:,/\x7f]", s) and not s.isdigit())


class Entry:
    def __init__(self, kind, name, rdns):
        self.kind, self.name, self.rdns = kind, name, rdns  # rdns: [(type, value)], leaf first
        self.id = None          # uidNumber / gidNumber (None: none)
        self.member_uids = []
        self.member_dns = []    # (text, target Entry or None)
        self.classes = []

    def dn(self):
        return ",".join("%s=%s" % (t, v.replace(",", "\\2C")) for t, v in self.rdns)


def variant(rng, e):
    """A DN naming e written another way: the server keeps it as written."""
    out = []
    for t, v in e.rdns:
        t = rng.choice([t, t.upper(), t.capitalize()])
        v = "".join(c.upper() if rng.random() < 0.3 else c for c in v)
        v = v.replace(",", rng.choice(["\\2C", "\\2c", "\\,"]))
        out.append("%s=%s" % (t, v))
    return ",".join(out)


def make(rng):
    people = [("ou", "people"), ("dc", "example"), ("dc", "com")]
    devops = [("ou", "dev, ops")] + people
    groups_ou = [("ou", "groups"), ("dc", "example"), ("dc", "com")]
    nesting = [("ou", "nest,ing")] + groups_ou
    users, groups = [], []
    for i in range(40):
        name = "usr%02d" % i
        u = Entry("user", name, [("uid", name)] + (devops if i % 3 == 0 else people))
        u.id = 5000 + i
        users.append(u)
    twin = Entry("user", "usr05", [("uid", "usr05")] + (people if users[5].rdns[1:] == devops else devops))
    twin.id = 5900
    users.append(twin)                      # same name as usr05: both left out
    users[7].id = users[8].id               # same uidNumber: both left out
    low = Entry("user", "lowuid", [("uid", "lowuid")] + people)
    low.id = 500                            # below min_uid: quietly left out
    users.append(low)
    for i in range(30):
        name = "grp%02d" % i
        g = Entry("group", name, [("cn", name)] + (nesting if i % 4 == 0 else groups_ou))
        g.id = 7000 + i
        g.classes = ["posixGroup"] if i % 5 == 1 else ["groupOfNames", "hostiamPosixGroupAux"]
        groups.append(g)
    groups[9].id = None                     # nesting only (groupOfNames without gidNumber)
    groups[9].classes = ["groupOfNames"]
    groups[10].id = 600                     # below min_gid: nesting only
    groups[12].name = "localgrp"              # a local group's name: nesting only
    groups[12].rdns[0] = ("cn", "localgrp")
    groups[14].id = groups[15].id            # same gidNumber: both left out
    dup = Entry("group", "grp03", [("cn", "grp03")] + nesting)
    dup.id = 7999
    dup.classes = ["groupOfNames", "hostiamPosixGroupAux"]
    groups.append(dup)                      # same name as grp03: both left out
    names = [u.name for u in users] + ["ghostname", "localadmin", "USR01", "bad name",
                                        "12345", "-dash", "a/b"]
    ghost = Entry("user", "nobody", [("uid", "nobody")] + people)
    for g in groups:
        for _ in range(rng.randint(0, 6)):
            if "posixGroup" in g.classes or (len(g.classes) > 1 and rng.random() < 0.5):
                v = rng.choice(names)
                if v not in g.member_uids:
                    g.member_uids.append(v)
        if "posixGroup" in g.classes:
            continue
        for _ in range(rng.randint(1, 7)):
            r = rng.random()
            t = rng.choice(users) if r < 0.45 else rng.choice(groups) if r < 0.9 else \
                g if r < 0.95 else ghost
            g.member_dns.append((variant(rng, t), t if t is not ghost else None))
    return users, groups


def ldif(users, groups):
    out = ["dn: ou=dev\\2C ops,ou=people,%s\nobjectClass: organizationalUnit\nou: dev, ops\n"
           % SUFFIX,
           "dn: ou=nest\\2Cing,ou=groups,%s\nobjectClass: organizationalUnit\nou: nest,ing\n"
           % SUFFIX]
    for u in users:
        out.append("dn: %s\nobjectClass: account\nobjectClass: posixAccount\nuid: %s\ncn: %s\n"
                   "uidNumber: %d\ngidNumber: 5000\nhomeDirectory: /home/%s\n"
                   % (u.dn(), u.name, u.name.upper(), u.id, u.name))
    for i, g in enumerate(groups):
        s = "dn: %s\n" % g.dn() + "".join("objectClass: %s\n" % c for c in g.classes)
        s += "cn: %s\n" % g.name
        if g.id is not None:
            s += "gidNumber: %d\n" % g.id
        # attribute types in other cases: the server answers with the schema's
        mu, me = ("memberUid", "member") if i % 2 else ("MEMBERUID", "Member")
        s += "".join("%s: %s\n" % (mu, v) for v in g.member_uids)
        seen = set()
        for text, t in g.member_dns:
            key = id(t) if t else text.lower()
            if key not in seen:  # the server refuses equal values, however written
                s += "%s: %s\n" % (me, text)
                seen.add(key)
        if "groupOfNames" in g.classes and not g.member_dns:
            s += "member: cn=nothing,%s\n" % SUFFIX
        out.append(s)
    return "\n".join(out)


def kept(entries, local_names, local_ids):
    """Entries that are cached (ids unique, names unique) and the nesting-only ones."""
    keep, nest = [], []
    for e in entries:
        if e.kind == "group" and (e.id is None or e.id < MIN_ID):
            nest.append(e)
        elif e.kind == "user" and e.id < MIN_ID:
            continue
        elif e.name in local_names or e.id in local_ids:
            (nest if e.kind == "group" else []).append(e)
        else:
            keep.append(e)
    by_name, by_id = {}, {}
    for e in keep:
        by_name.setdefault(e.name, []).append(e)
        by_id.setdefault(e.id, []).append(e)
    keep = [e for e in keep if len(by_name[e.name]) == 1 and len(by_id[e.id]) == 1]
    return keep, nest


def expected(users, groups):
    ku, _ = kept(users, LOCAL_USERS, set())
    kg, nest = kept(groups, LOCAL_GROUPS, LOCAL_GIDS)
    user_ids = {id(u) for u in ku}
    node_ids = {id(g) for g in kg + nest}
    lines = ["user %s:%d:5000:%s:/home/%s: keys=0" % (u.name, u.id, u.name.upper(), u.name)
             for u in ku]
    for g in kg:
        members, seen, stack = set(), {id(g)}, [g]
        while stack:
            h = stack.pop()
            members.update(v for v in h.member_uids if valid_name(v))
            for _, t in h.member_dns:
                if t is None:
                    continue
                if id(t) in user_ids:
                    members.add(t.name)
                elif id(t) in node_ids and id(t) not in seen:
                    seen.add(id(t))
                    stack.append(t)
        ms = sorted(members, key=lambda s: s.encode())
        lines.append("group %s:%d:%s" % (g.name, g.id, ",".join(ms)))
    return sorted(lines, key=lambda s: s.encode())


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    rng = random.Random(int(sys.argv[1]))
    users, groups = make(rng)
    with open(sys.argv[2], "w") as f:
        f.write(ldif(users, groups))
    with open(sys.argv[3], "w") as f:
        f.write("".join(line + "\n" for line in expected(users, groups)))


if __name__ == "__main__":
    main()
