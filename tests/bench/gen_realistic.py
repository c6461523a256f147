#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The realistic directory of the peer benchmark, as LDIF for slapd-lib.sh (stdout).

Usage: gen_realistic.py N M [--seed S]

N users u000001.. plus `biguser`, M posixGroups g000001.. with memberUid. The shape is the
one ../shared/peers/gen_ldif.py draws (and that PEERS.md's figures come from): every user
wants 10..50 memberships, regular group sizes are log-normal (median ~20 before scaling,
capped at 4,000), max(3, M/400) big groups of 5,000..min(N, 12,000) members, and biguser is
in 1,000 groups (all of them below 1,000). When that script is present (PEERS_GEN, else
next to the source tree in shared/peers/), it is run and its entries under ou=people and
ou=groups are passed on, so both benchmarks load the very same directory; otherwise the
same distribution is drawn here (same parameters, not the same random sequence). The
base DIT is left out: slapd-lib.sh writes its own.
"""
import math
import os
import random
import subprocess
import sys
import tempfile

SUFFIX = "dc=example,dc=com"


def peers_script():
    cand = os.environ.get("PEERS_GEN")
    if cand is None:
        src = os.path.dirname(os.path.abspath(__file__))
        cand = os.path.join(src, "..", "..", "..", "shared", "peers", "gen_ldif.py")
    return cand if os.path.isfile(cand) else None


def from_peers(script, n, m, seed, out):
    """Run the peers' generator and pass on its users and groups."""
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, script, str(n), str(m), d, "--seed", str(seed)],
                       check=True, stdout=sys.stderr)
        keep = (",ou=people," + SUFFIX, ",ou=groups," + SUFFIX)
        with open(os.path.join(d, "data.ldif")) as f:
            for block in f.read().split("\n\n"):
                head = block.split("\n", 1)[0]
                if head.startswith("dn: ") and head.endswith(keep):
                    out.write(block.strip("\n") + "\n\n")


def memberships(n, m, rng):
    """Member lists (user indexes; n stands for biguser) of the M groups."""
    groups = [[] for _ in range(m)]
    big = set(rng.sample(range(10, m), max(3, m // 400)))
    for g in big:
        groups[g] = rng.sample(range(n), min(n, rng.randint(5000, max(5000, min(n, 12000)))))
    wants = [rng.randint(10, 50) for _ in range(n)]
    regular = [g for g in range(m) if g not in big]
    draw = [min(4000.0, math.exp(rng.gauss(math.log(20), 1.9))) for _ in regular]
    factor = sum(wants) / sum(draw)
    # A shuffled bag holding each user as often as it wants groups, dealt out in order.
    bag = [u for u, k in enumerate(wants) for _ in range(k)]
    rng.shuffle(bag)
    at = 0
    for g, d in zip(regular, draw):
        size = min(max(1, round(d * factor)), 4000, n)
        got = set()
        for _ in range(3 * size + 10):
            if len(got) >= size:
                break
            got.add(bag[at % len(bag)])
            at += 1
        groups[g] = sorted(got)
    for g in rng.sample(range(m), min(1000, m)):
        groups[g].append(n)
    return groups


def own(n, m, seed, out):
    """Draw the same distribution here."""
    rng = random.Random(seed)
    names = ["u%06d" % (i + 1) for i in range(n)] + ["biguser"]
    groups = memberships(n, m, rng)
    for i, u in enumerate(names):
        given = "Big" if u == "biguser" else "User%d" % (i + 1)
        out.write("dn: uid=%s,ou=people,%s\n" % (u, SUFFIX))
        for oc in ("top", "person", "organizationalPerson", "inetOrgPerson", "posixAccount",
                   "shadowAccount"):
            out.write("objectClass: %s\n" % oc)
        out.write("uid: %s\ncn: %s Test\nsn: Test\ngivenName: %s\nmail: %s@example.com\n"
                  "uidNumber: %d\ngidNumber: %d\nhomeDirectory: /home/%s\n"
                  "loginShell: /bin/bash\ngecos: %s Test,,,\nshadowLastChange: 19000\n"
                  "shadowMax: 99999\nshadowWarning: 7\n\n"
                  % (u, given, given, u, 200000 + i, 300000 + i % 10, u, given))
    for g, mem in enumerate(groups):
        cn = "g%06d" % (g + 1)
        out.write("dn: cn=%s,ou=groups,%s\nobjectClass: top\nobjectClass: posixGroup\n"
                  "cn: %s\ngidNumber: %d\n" % (cn, SUFFIX, cn, 300000 + g))
        out.write("".join("memberUid: %s\n" % names[u] for u in mem))
        out.write("\n")


def main():
    args = sys.argv[1:]
    seed = 42
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    n, m = int(args[0]), int(args[1])
    script = peers_script()
    out = sys.stdout
    if script and os.environ.get("PEERS_GEN") != "":
        from_peers(script, n, m, seed, out)
    else:
        own(n, m, seed, out)


if __name__ == "__main__":
    main()
