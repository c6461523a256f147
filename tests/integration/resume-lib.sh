# SPDX-License-Identifier: BSD-2-Clause
# Sourceable helpers for the follow-resume*.sh tests (after slapd-lib.sh): run the agent
# until it has published once, and compare its cache with a fresh full sync.

# Start the agent with config $1, wait until it published (a "sync published" line beyond
# the ones already in agent.log), then stop it. Prints the milliseconds from start to publish.
agent_round() {
	local before start
	touch "$T/agent.log"
	before=$(grep -c "sync published" "$T/agent.log" 2>/dev/null)
	start=$(now_us)
	agent_start "$1"
	wait_for 10 '[ "$(grep -c "sync published" "$T/agent.log")" -gt "${before:-0}" ]' ||
		{ cat "$T/agent.log"; fail "the agent did not publish"; }
	echo "$(( ($(now_us) - start) / 1000 ))"
	agent_stop 2 >/dev/null || fail "the agent exited with an error"
}

# The refresh lines of the agent's last run for users and groups (the last two).
last_refreshes() {
	grep "sync refresh" "$T/agent.log" | tail -2
}

# The agent's cache as text without its generation, and auth.cache, in $1.
agent_dump() {
	cache_dump | grep -v '^generation ' > "$1"
	cat "$T/cache/auth.cache" >> "$1"
}

# A one-shot full sync of the same directory into $T/fresh; its dump like agent_dump in $1.
fresh_dump() {
	sed "s|cache = { dir = \"$T/cache\"; };|cache = { dir = \"$T/fresh\"; };|" \
		"$T/hostiam.conf" > "$T/fresh.conf"
	rm -rf "$T/fresh"
	"$HOSTIAM" --config "$T/fresh.conf" sync 2>"$T/fresh.err" || { cat "$T/fresh.err"; fail "full sync"; }
	"$top_builddir/tests/integration/cache-dump" "$T/fresh/nss.cache" | grep -v '^generation ' > "$1"
	cat "$T/fresh/auth.cache" >> "$1"
}

# Fail unless the agent's cache answers exactly as a fresh full sync does.
same_as_full_sync() {
	agent_dump "$T/agent.dump"
	fresh_dump "$T/fresh.dump"
	diff -u "$T/fresh.dump" "$T/agent.dump" || fail "the resumed cache differs from a full sync ($1)"
}

# Restart slapd with the line $1 added to the syncprov overlay's settings.
slapd_restart_with() {
	slapd_stop
	sed -i "/^overlay syncprov/a $1" "$T/slapd.conf"
	slapd_start || fail "slapd did not restart with '$1'"
}

# The common start: slapd with sample.ldif, $T/hostiam.conf, and one agent run (full).
resume_setup() {
	slapd_require
	slapd_setup "$top_srcdir/tests/integration/sample.ldif" || fail "slapd did not start"
	hostiam_conf > "$T/hostiam.conf"
	agent_round "$T/hostiam.conf" >/dev/null
}
