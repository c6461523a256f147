#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The password never shows: not in the helper's (or any process's) command line or
# environment while it runs, not in any line it logs, not in its reply.
. "$top_srcdir/tests/password/password-lib.sh"
PW='Secret-Pw-7q2X'
NEW='Secret-New-9kZ4'
add_user keeper 40031 "$PW"

# Freeze slapd so the helper waits in its bind, with the password read, and look at it.
kill -STOP "$SLAPD_PID"
printf '%s' "$PW" | env -i "${HELPER_ENV[@]}" "$HELPER" --config "$T/h.conf" verify keeper \
	> "$T/reply" &
hpid=$!
wait_for 2 'tr "\0" " " < /proc/$hpid/cmdline 2>/dev/null | grep -q "hostiam-auth .*verify keeper"' ||
	expect "the helper runs" "no" "yes"
sleep 0.3 # it has read stdin and is waiting for slapd
tr '\0' ' ' < "/proc/$hpid/cmdline"; echo
leaks=
for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do
	grep -qaF -e "$PW" "$f" 2>/dev/null && leaks="$leaks $f"
done
expect "password in no /proc/*/cmdline or environ" "${leaks:-none}" "none"
# The helper makes itself non-dumpable: where root lacks CAP_SYS_PTRACE (containers) its
# environ cannot be read at all, which protects it as well; where it can, it was checked.
if [ -r "/proc/$hpid/environ" ] && tr '\0' '\n' < "/proc/$hpid/environ" 2>/dev/null |
	grep -q '^HOSTIAM_TEST_SYSLOG='; then
	echo "  (the helper's environ was read and checked)"
else
	echo "  (the helper's environ cannot be read: it is not dumpable)"
fi
kill -CONT "$SLAPD_PID"
wait "$hpid"
expect "it then answers" "$(joined < "$T/reply")" "ok"

# Every kind of reply once, then look through everything logged and replied.
verify keeper 'Wrong-Pw-3j8' > "$T/replies"; echo >> "$T/replies"
change keeper "$PW" 'sh0rt' >> "$T/replies"; echo >> "$T/replies"
change keeper "$PW" "$NEW" >> "$T/replies"; echo >> "$T/replies"
verify keeper "$NEW" >> "$T/replies"; echo >> "$T/replies"
verify nobody "$NEW" >> "$T/replies"; echo >> "$T/replies"
for i in 1 2 3; do verify keeper "Wrong-Pw-$i" >> "$T/replies"; echo >> "$T/replies"; done
verify keeper "$NEW" >> "$T/replies"; echo >> "$T/replies"
cat "$T/replies"
[ "$(wc -l < "$SYSLOG")" -ge 10 ] || expect "lines logged" "$(wc -l < "$SYSLOG")" "at least 10"
for secret in "$PW" "$NEW" 'Wrong-Pw-3j8' 'Wrong-Pw-1' 'sh0rt'; do
	grep -qF -e "$secret" "$SYSLOG" && expect "'$secret' in the log" "found" "absent"
	grep -qF -e "$secret" "$T/replies" "$T/reply" && expect "'$secret' in a reply" "found" "absent"
done
expect "the log has no password" "checked" "checked"
finish
