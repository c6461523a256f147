#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Benchmark (not in make check): a full `hostiam sync` next to a raw paged ldapsearch of the
# same entries, on the realistic directory of ../shared/peers (gen_realistic.py: log-normal
# group sizes, ~32 groups per user, big groups of 5,000+ members, biguser in 1,000 groups),
# N users and N/5 groups. Prints the medians of SYNC_RUNS pairs, their ratio (the bar is
# <= 1.5x), the peak RSS of the sync process, the agent following changes and restarting,
# and the size of nss.cache.
#
#   top_srcdir=SRC top_builddir=BUILD tests/bench/bench_sync.sh [N ...]   (default 10000;
#   BENCH_100K=1 adds 100000, whose slapd load alone takes minutes)
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}" "${top_builddir:=$PWD}"
export top_srcdir top_builddir
. "$top_srcdir/tests/integration/slapd-lib.sh"
slapd_require
[ -x /usr/bin/time ] || { echo "SKIP: no /usr/bin/time (package time)"; exit 77; }
SIZES=${*:-10000 ${BENCH_100K:+100000}}
NSSWRAP=$top_srcdir/tests/nss/nsswrap.sh
RUNS=${SYNC_RUNS:-3}

# $T/raw.sh: one raw paged search of everything hostiam reads, as hostiam asks for it: bound
# as the same service account (its ACLs cost the server the same), the same filters, and
# the attributes of the default configuration (dir_attrs_new: the account-state ones too).
write_raw_search() {
	tr -d '\n' < "$T/bind.pw" > "$T/raw.pw"
	chmod 600 "$T/raw.pw"
	cat > "$T/raw.sh" <<RAW
ldapsearch -x -D "$READERDN" -y "$T/raw.pw" -LLL -H ldap://127.0.0.1:$LDAP_PORT -E pr=500/noprompt \\
	-b "ou=people,$SUFFIX" "(objectClass=posixAccount)" \\
	uid uidNumber gidNumber gecos cn homeDirectory loginShell sshPublicKey \\
	shadowExpire shadowLastChange shadowMax pwdAccountLockedTime nsAccountLock \\
	userAccountControl accountExpires &&
ldapsearch -x -D "$READERDN" -y "$T/raw.pw" -LLL -H ldap://127.0.0.1:$LDAP_PORT -E pr=500/noprompt \\
	-b "ou=groups,$SUFFIX" "(|(objectClass=posixGroup)(objectClass=groupOfNames))" \\
	cn gidNumber memberUid member
RAW
}

# "seconds peak_rss_kB" of a command (stdout discarded); fails with its stderr shown.
measure() {
	local start=$(now_us)
	/usr/bin/time -o "$T/time.out" -f '%M' "$@" >/dev/null 2>"$T/cmd.err" ||
		{ cat "$T/cmd.err" >&2; return 1; }
	echo "$(echo "scale=3; ($(now_us) - $start) / 1000000" | bc | sed 's/^\./0./') $(tail -1 "$T/time.out")"
}

# Peak and current RSS (MB) of `hostiam sync --follow` once it published its first sync.
agent_rss() {
	local gen
	gen=$(sed -n 's/^generation=//p' "$T/cache/sync.status")
	agent_start "$T/bench.conf"
	wait_for 600 "[ \"\$(sed -n 's/^generation=//p' '$T/cache/sync.status')\" != '$gen' ]" ||
		fail "the agent did not publish"
	sleep 1
	awk '/^VmHWM/ { h = $2 } /^VmRSS/ { r = $2 } END { printf "peak %d MB, after the sync %d MB", h / 1024, r / 1024 }' \
		"/proc/$AGENT_PID/status"
	agent_stop 10 >/dev/null
}

# CPU seconds (user + system) the agent has used so far.
agent_cpu() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$AGENT_PID/stat"
}

# With the agent following: 10 users deleted and 10 memberships added, one at a time. For
# each, the time from the LDAP operation's return to the answer through the NSS module
# (nss_wrapper, a fresh getent process polling); then the agent's CPU per change.
agent_changes() {
	local gen i start cpu0 cpu1 u g
	gen=$(sed -n 's/^generation=//p' "$T/cache/sync.status")
	agent_start "$T/bench.conf"
	wait_for 600 "[ \"\$(sed -n 's/^generation=//p' '$T/cache/sync.status')\" != '$gen' ]" ||
		fail "the agent did not publish"
	sleep 2
	: > "$T/del"; : > "$T/mem"
	cpu0=$(agent_cpu)
	for i in $(seq 1 10); do
		u=$(printf 'u%06d' "$i")
		start=$(now_us)
		ldap_delete "uid=$u,ou=people,$SUFFIX" || fail "ldapdelete $u"
		wait_for 30 "! '$NSSWRAP' '$T/cache/nss.cache' getent passwd $u >/dev/null" ||
			{ tail -5 "$T/agent.log"; "$NSSWRAP" "$T/cache/nss.cache" getent passwd "$u"; fail "$u still there after 30 s"; }
		echo $(( ($(now_us) - start) / 1000 )) >> "$T/del"
		sleep 0.3
	done
	for i in $(seq 1 10); do
		g=$(printf 'g%06d' $((i * 7)))
		start=$(now_us)
		printf 'dn: cn=%s,ou=groups,%s\nchangetype: modify\nadd: memberUid\nmemberUid: newcomer%d\n' \
			"$g" "$SUFFIX" "$i" | ldap_modify || fail "ldapmodify $g"
		wait_for 30 "'$NSSWRAP' '$T/cache/nss.cache' getent group $g | grep -q newcomer$i" ||
			fail "newcomer$i not in $g after 30 s"
		echo $(( ($(now_us) - start) / 1000 )) >> "$T/mem"
		sleep 0.3
	done
	cpu1=$(agent_cpu)
	echo "  user deleted -> gone from NSS (agent following): median $(median < "$T/del") ms (runs $(paste -sd, "$T/del"))"
	echo "  member added -> in getent group:              median $(median < "$T/mem") ms (runs $(paste -sd, "$T/mem"))"
	echo "  agent CPU per change (20 changes, idle polling included): $(echo "scale=1; ($cpu1 - $cpu0) * 1000 / 20" | bc) ms"
	echo "  publishes: $(grep -c ' delta ' "$T/agent.log") as deltas, $(grep -c 'published generation=[0-9]* users=' "$T/agent.log") in full"
	agent_stop 10 >/dev/null
}

# An agent restart with nothing changed since it stopped: the time from its start to both
# sessions refreshed from the stored cookie (no full search), what the server sent then, and
# the resumed agent's RSS. sync.state is written at full publishes only, so the changes of
# agent_changes since the last one are sent again: they are in the counts.
agent_restart() {
	local lines start ms
	lines=$(wc -l < "$T/agent.log")
	start=$(now_us)
	agent_start "$T/bench.conf"
	wait_for 600 "[ \$(tail -n +$((lines + 1)) '$T/agent.log' | grep -c 'sync refresh ') -ge 2 ]" ||
		{ tail -5 "$T/agent.log"; fail "the restarted agent did not refresh"; }
	ms=$(( ($(now_us) - start) / 1000 ))
	echo "  agent restart -> current again: $ms ms"
	tail -n +$((lines + 1)) "$T/agent.log" | sed -n 's/.*sync refresh /    refresh /p' | cut -c1-150
	# The first publish after a start is full: its resolver and cache image are freed (and
	# trimmed) once it is out, so the RSS is read after it, as agent_rss does.
	wait_for 600 "tail -n +$((lines + 1)) '$T/agent.log' | grep -q 'published generation=[0-9]* users='" ||
		fail "the restarted agent did not publish"
	sleep 1
	awk '/^VmHWM/ { h = $2 } /^VmRSS/ { r = $2 } END { printf "    resumed agent RSS peak %d MB, after its first publish %d MB\n", h / 1024, r / 1024 }' \
		"/proc/$AGENT_PID/status"
	agent_stop 10 >/dev/null
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for n in $SIZES; do
	slapd_stop
	rm -rf "$T/db" "$T/cache"
	python3 "$top_srcdir/tests/bench/gen_realistic.py" "$n" $((n / 5)) \
		>"$T/bench.ldif" 2>"$T/gen.err" || { cat "$T/gen.err"; fail "generator"; }
	start=$(now_us)
	SLAPD_READER_UNLIMITED=1 SLAPD_SIZELIMIT=500 SLAPD_MAXSIZE=8589934592 slapd_setup "$T/bench.ldif" ||
		fail "slapd did not start"
	load_s=$(( ($(now_us) - start) / 1000000 ))
	# As the service account: paged like anyone (size limit 500), and allowed the one big
	# search of a syncrepl refresh, as an agent's account is on a real server.
	printf '%s\n' "$READERPW" > "$T/bind.pw"
	chmod 600 "$T/bind.pw"
	HOSTIAM_PAGE_SIZE=500 HOSTIAM_TIMEOUT=60 \
		hostiam_conf "bind_dn = \"$READERDN\"; bind_password_file = \"$T/bind.pw\";" > "$T/bench.conf"
	write_raw_search
	bash "$T/raw.sh" > /dev/null || fail "ldapsearch"   # warm slapd's caches for both
	: > "$T/raw"; : > "$T/sync"; : > "$T/rss"
	for i in $(seq "$RUNS"); do
		m=$(measure bash "$T/raw.sh") || fail "ldapsearch"
		echo "${m% *}" >> "$T/raw"
		m=$(measure "$HOSTIAM" --config "$T/bench.conf" sync --force) || fail "hostiam sync"
		echo "${m% *}" >> "$T/sync"
		echo "${m#* }" >> "$T/rss"
	done
	raw=$(median < "$T/raw")
	sync=$(median < "$T/sync")
	echo "== $n users, $((n / 5)) groups: $(grep -c '^memberUid' "$T/bench.ldif") memberships (slapd load ${load_s}s)"
	echo "  cached: $(grep -E '^(users|groups)=' "$T/cache/sync.status" | tr '\n' ' ')"
	echo "  raw paged ldapsearch  ${raw}s  (runs $(paste -sd, "$T/raw"))"
	echo "  hostiam sync --force  ${sync}s  (runs $(paste -sd, "$T/sync"))"
	echo "  ratio                 $(echo "scale=2; $sync / $raw" | bc)x  (bar <= 1.5x)"
	echo "  sync peak RSS         $(( $(median < "$T/rss") / 1024 )) MB"
	echo "  agent (--follow) RSS  $(agent_rss)"
	agent_changes
	agent_restart
	echo "  nss.cache             $(stat -c %s "$T/cache/nss.cache") bytes"
done
