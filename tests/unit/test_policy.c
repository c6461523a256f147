/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The policy engine, table-driven: each row a situation (configuration, who, from where,
 * when, account state) and the decision it must get, with the rule and the reason.
 */
#include "config.h"

#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"
#include "policy_testutil.h"

/* The engine must never resolve a host name: these stand in for libc's and count calls. */
static int dns_calls;

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	(void)node, (void)service, (void)hints, (void)res;
	dns_calls++;
	return EAI_FAIL;
}

struct hostent *gethostbyname(const char *name)
{
	(void)name;
	dns_calls++;
	return NULL;
}

enum cfg_id {
	C_MAIN,
	C_FROM,
	C_TIME,
	C_TTY,
	C_STATE,
	C_MFA,
	C_COMBO,
	C_REPORT,
	C_DEF_ALLOW,
	C_DEF_MFA,
	C_NO_EXEMPT,
	C_COUNT
};

static const char *const cfg_text[C_COUNT] = {
	[C_MAIN] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; default = \"deny\"; exempt = [ \"root\", \"breakglass\" ]; "
	"rules = (\n"
	" { name = \"blocked\"; user = [ \"mallory\", \"trudy\" ]; action = \"deny\";\n"
	"   message = \"Access revoked.\"; },\n"
	" { name = \"sudo-step-up\"; service = [ \"sudo\" ]; group = [ \"admins\" ];\n"
	"   action = \"mfa\"; mfa_max_age = 0; },\n"
	" { name = \"office\"; service = [ \"sshd\" ]; from = [ \"10.0.0.0/8\", \"fd00::/8\" ];\n"
	"   action = \"allow\"; },\n"
	" { name = \"contractors\"; group = [ \"contractors\" ]; time = [ \"Mon-Fri 08:00-18:00\" "
	"];\n"
	"   action = \"mfa\"; },\n"
	" { name = \"contractors-off-hours\"; group = [ \"contractors\" ]; action = \"deny\";\n"
	"   message = \"Contractors: Mon-Fri 08:00-18:00 only.\"; },\n"
	" { name = \"stale\"; inactive_days = 90; action = \"deny\"; },\n"
	" { name = \"everyone-else\"; action = \"mfa\"; mfa_max_age = 3600; }\n"
	"); };\n",

	/* One rule per service, so the service picks the rule under test. */
	[C_FROM] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; rules = (\n"
	" { name = \"v4any\"; service = [ \"v4any\" ]; from = [ \"0.0.0.0/0\" ]; action = "
	"\"allow\"; },\n"
	" { name = \"v6any\"; service = [ \"v6any\" ]; from = [ \"::/0\" ]; action = \"allow\"; "
	"},\n"
	" { name = \"host32\"; service = [ \"host32\" ]; from = [ \"192.0.2.7\" ]; action = "
	"\"allow\"; },\n"
	" { name = \"host128\"; service = [ \"host128\" ]; from = [ \"2001:db8::1\" ]; action = "
	"\"allow\"; },\n"
	" { name = \"net\"; service = [ \"net\" ]; from = [ \"10.0.0.0/8\", \"fd00::/8\" ];\n"
	"   action = \"allow\"; },\n"
	" { name = \"mapped\"; service = [ \"mapped\" ]; from = [ \"::ffff:192.0.2.0/120\" ];\n"
	"   action = \"allow\"; },\n"
	" { name = \"local\"; service = [ \"local\" ]; from = [ \"local\" ]; action = \"allow\"; "
	"},\n"
	" { name = \"localornet\"; service = [ \"localornet\" ]; from = [ \"local\", "
	"\"10.0.0.0/8\" ];\n"
	"   action = \"allow\"; }\n"
	"); };\n",

	[C_TIME] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; rules = (\n"
	" { name = \"work\"; service = [ \"work\" ]; time = [ \"Mon-Fri 08:00-18:00\" ]; action = "
	"\"allow\"; },\n"
	" { name = \"night\"; service = [ \"night\" ]; time = [ \"Fri 22:00-06:00\" ]; action = "
	"\"allow\"; },\n"
	" { name = \"weekend\"; service = [ \"weekend\" ]; time = [ \"Sat,Sun 00:00-24:00\" ];\n"
	"   action = \"allow\"; },\n"
	" { name = \"multi\"; service = [ \"multi\" ];\n"
	"   time = [ \"Mon 09:00-10:00\", \"Wed 14:00-15:00\" ]; action = \"allow\"; },\n"
	" { name = \"late\"; service = [ \"late\" ]; time = [ \"* 23:00-01:00\" ]; action = "
	"\"allow\"; }\n"
	"); };\n",

	[C_TTY] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; rules = (\n"
	" { name = \"console\"; service = [ \"console\" ]; tty = [ \"console\", \"tty[1-6]\" ];\n"
	"   action = \"allow\"; },\n"
	" { name = \"pts\"; service = [ \"pts\" ]; tty = [ \"pts/*\" ]; action = \"allow\"; }\n"
	"); };\n",

	[C_STATE] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; default = \"allow\"; rules = (\n"
	" { name = \"stale\"; service = [ \"stale\" ]; inactive_days = 90; action = \"deny\"; },\n"
	" { name = \"need-enrol\"; service = [ \"need-enrol\" ]; enrolled = false; action = "
	"\"deny\";\n"
	"   message = \"Enrol first.\"; },\n"
	" { name = \"offline\"; service = [ \"offline\" ]; offline = true; action = \"deny\"; },\n"
	" { name = \"online\"; service = [ \"online\" ]; offline = false; action = \"mfa\"; }\n"
	"); };\n",

	[C_MFA] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; default = \"mfa\"; rules = (\n"
	" { name = \"max0\"; service = [ \"max0\" ]; action = \"mfa\"; mfa_max_age = 0; },\n"
	" { name = \"unset\"; service = [ \"unset\" ]; action = \"mfa\"; },\n"
	" { name = \"max300\"; service = [ \"max300\" ]; action = \"mfa\"; mfa_max_age = 300; }\n"
	"); };\n",

	[C_COMBO] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; rules = (\n"
	" { name = \"combo\"; user = [ \"alice\" ]; group = [ \"ops\" ]; service = [ \"sshd\" ];\n"
	"   from = [ \"10.0.0.0/8\" ]; tty = [ \"pts/*\" ]; time = [ \"Mon-Fri 08:00-18:00\" ];\n"
	"   enrolled = true; offline = false; action = \"allow\"; }\n"
	"); };\n",

	[C_REPORT] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; mode = \"report\"; default = \"deny\"; rules = (\n"
	" { name = \"office\"; service = [ \"sshd\" ]; from = [ \"10.0.0.0/8\" ]; action = "
	"\"allow\"; },\n"
	" { name = \"blocked\"; user = [ \"mallory\" ]; action = \"deny\"; message = \"No.\"; },\n"
	" { name = \"remote\"; from = [ \"0.0.0.0/0\", \"::/0\" ]; action = \"mfa\"; }\n"
	"); };\n",

	[C_DEF_ALLOW] = TEST_DIRECTORY "access = { timezone = \"UTC\"; default = \"allow\"; };\n",

	[C_DEF_MFA] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; default = \"mfa\"; rules = (\n"
	" { name = \"never\"; user = [ \"nobody-at-all\" ]; action = \"allow\"; }\n"
	"); };\n",

	/* No break-glass account at all: root gets what everyone gets. */
	[C_NO_EXEMPT] = TEST_DIRECTORY
	"access = { timezone = \"UTC\"; exempt = [ ]; default = \"allow\"; rules = (\n"
	" { name = \"lockdown\"; action = \"deny\"; }\n"
	"); };\n",
};

/* Account state as the row needs it; zero-initialised rows get the common case. */
enum {
	E_UNKNOWN,
	E_NO,
	E_YES
};

struct row {
	const char *what;
	enum cfg_id cfg;
	const char *user;   /* NULL: "bob" */
	const char *groups; /* "a,b"; NULL: "users" */
	const char *service;
	const char *rhost;
	const char *tty;
	time_t at; /* 0: Wednesday 10:00 */
	bool offline;
	int enrolled;   /* E_* */
	long login_ago; /* seconds before now; 0: none recorded */
	long mfa_ago;   /* seconds before now (negative: in the future); 0: never */
	/* expected */
	const char *act;  /* enforced action */
	const char *pol;  /* policy action; NULL: same as act */
	const char *rule; /* deciding rule, "default" or "exempt" */
	bool fresh;
	const char *why_rule; /* whose trace holds why; NULL: the decision's reason */
	const char *why;      /* substring expected there; NULL: not checked */
	const char *message;  /* expected message; NULL: none */
};

#define DAYS(n) ((long)(n)*86400)

static const struct row rows[] = {
	/* C_MAIN: the shape of DESIGN.md's example, first match wins */
	{ "admin sudo needs mfa, max_age 0 never fresh", C_MAIN, "alice", "users,admins", "sudo",
	  NULL, "pts/1", 0, false, E_YES, DAYS(1), 10, "mfa", NULL, "sudo-step-up", false, NULL,
	  "matched rule sudo-step-up: group admins, service sudo", NULL },
	{ "office network allows ssh", C_MAIN, "alice", "users,admins", "sshd", "10.1.2.3", NULL, 0,
	  false, E_YES, DAYS(1), 0, "allow", NULL, "office", false, NULL,
	  "matched rule office: from 10.0.0.0/8, service sshd", NULL },
	{ "office over IPv6", C_MAIN, "alice", "users", "sshd", "fd00:1::5", NULL, 0, false, E_YES,
	  0, 0, "allow", NULL, "office", false, NULL, "from fd00::/8", NULL },
	{ "non-admin sudo falls through", C_MAIN, "bob", "users", "sudo", NULL, NULL, 0, false,
	  E_YES, DAYS(1), 0, "mfa", NULL, "everyone-else", false, "sudo-step-up",
	  "group: bob not in admins", NULL },
	{ "admins as the third group", C_MAIN, "alice", "users,devs,admins", "sudo", NULL, NULL, 0,
	  false, E_UNKNOWN, 0, 0, "mfa", NULL, "sudo-step-up", false, NULL, "group admins", NULL },
	{ "contractor remote in hours", C_MAIN, "carol", "contractors", "sshd", "203.0.113.7", NULL,
	  AT(WED, 10, 0), false, E_YES, DAYS(2), 0, "mfa", NULL, "contractors", false, "office",
	  "from: 203.0.113.7 not in 10.0.0.0/8, fd00::/8", NULL },
	{ "contractor out of hours denied with message", C_MAIN, "carol", "contractors", "sshd",
	  "203.0.113.7", NULL, AT(SAT, 23, 10), false, E_YES, DAYS(2), 0, "deny", NULL,
	  "contractors-off-hours", false, "contractors",
	  "time: Sat 23:10 outside Mon-Fri 08:00-18:00", "Contractors: Mon-Fri 08:00-18:00 only." },
	{ "contractor in the office: office first", C_MAIN, "carol", "contractors", "sshd",
	  "10.9.9.9", NULL, AT(SAT, 23, 10), false, E_YES, 0, 0, "allow", NULL, "office", false,
	  NULL, NULL, NULL },
	{ "blocked user before office", C_MAIN, "mallory", "users", "sshd", "10.1.1.1", NULL, 0,
	  false, E_YES, 0, 0, "deny", NULL, "blocked", false, NULL, "user mallory",
	  "Access revoked." },
	{ "stale remote login denied", C_MAIN, "dave", "users", "sshd", "198.51.100.1", NULL, 0,
	  false, E_YES, DAYS(100), 0, "deny", NULL, "stale", false, NULL,
	  "inactive_days 90 (last login 100 days ago)", NULL },
	{ "stale but in the office: office first", C_MAIN, "dave", "users", "sshd", "10.0.0.1",
	  NULL, 0, false, E_YES, DAYS(100), 0, "allow", NULL, "office", false, NULL, NULL, NULL },
	{ "everyone else, fresh mfa", C_MAIN, "eve", "users", "login", NULL, "tty1", 0, false,
	  E_YES, DAYS(1), 100, "mfa", NULL, "everyone-else", true, "stale",
	  "inactive_days: last login 1 days ago (< 90)", NULL },
	{ "root is exempt, never prompted", C_MAIN, "root", "root", "sshd", "203.0.113.9", NULL, 0,
	  false, E_NO, 0, 0, "allow", NULL, "exempt", false, NULL, "exempt account", NULL },
	{ "exempt account from a host name", C_MAIN, "breakglass", NULL, "sshd", "evil.example.com",
	  NULL, 0, true, E_NO, DAYS(400), 0, "allow", NULL, "exempt", false, NULL, "exempt account",
	  NULL },
	{ "exempt beats a deny rule on the name", C_MAIN, "breakglass", "contractors", "sshd", NULL,
	  NULL, AT(SUN, 3, 0), false, E_UNKNOWN, 0, 0, "allow", NULL, "exempt", false, NULL, NULL,
	  NULL },
	{ "exempt names match exactly", C_MAIN, "rootx", NULL, "sshd", NULL, NULL, 0, false, E_YES,
	  0, 0, "mfa", NULL, "everyone-else", false, NULL, "no conditions", NULL },

	/* C_FROM: networks and origins */
	{ "/0 takes any IPv4", C_FROM, NULL, NULL, "v4any", "203.0.113.7", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "v4any", false, NULL, "from 0.0.0.0/0", NULL },
	{ "IPv4 /0 does not take IPv6", C_FROM, NULL, NULL, "v4any", "2001:db8::5", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "v4any",
	  "from: 2001:db8::5 not in 0.0.0.0/0", NULL },
	{ "mapped address is IPv4", C_FROM, NULL, NULL, "v4any", "::ffff:203.0.113.7", NULL, 0,
	  false, E_UNKNOWN, 0, 0, "allow", NULL, "v4any", false, NULL, NULL, NULL },
	{ "/0 does not take local", C_FROM, NULL, NULL, "v4any", NULL, NULL, 0, false, E_UNKNOWN, 0,
	  0, "deny", NULL, "default", false, "v4any", "from: local login not in 0.0.0.0/0", NULL },
	{ "localhost is a name, not local", C_FROM, NULL, NULL, "v4any", "localhost", NULL, 0,
	  false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "v4any",
	  "localhost is not an IP address", NULL },
	{ "::/0 takes IPv6", C_FROM, NULL, NULL, "v6any", "2001:db8::5", NULL, 0, false, E_UNKNOWN,
	  0, 0, "allow", NULL, "v6any", false, NULL, NULL, NULL },
	{ "::/0 does not take IPv4", C_FROM, NULL, NULL, "v6any", "203.0.113.7", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "::/0 does not take mapped IPv4", C_FROM, NULL, NULL, "v6any", "::ffff:10.1.2.3", NULL, 0,
	  false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "IPv6 zone id dropped", C_FROM, NULL, NULL, "v6any", "fe80::1%eth0", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "v6any", false, NULL, NULL, NULL },
	{ "bare address is /32", C_FROM, NULL, NULL, "host32", "192.0.2.7", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "host32", false, NULL, "from 192.0.2.7/32", NULL },
	{ "/32 neighbour", C_FROM, NULL, NULL, "host32", "192.0.2.8", NULL, 0, false, E_UNKNOWN, 0,
	  0, "deny", NULL, "default", false, "host32", "192.0.2.8 not in 192.0.2.7/32", NULL },
	{ "/32 by mapped address", C_FROM, NULL, NULL, "host32", "::ffff:192.0.2.7", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "host32", false, NULL, NULL, NULL },
	{ "bare IPv6 is /128", C_FROM, NULL, NULL, "host128", "2001:db8::1", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "host128", false, NULL, "2001:db8::1/128", NULL },
	{ "/128 in long upper-case form", C_FROM, NULL, NULL, "host128", "2001:DB8:0:0:0:0:0:1",
	  NULL, 0, false, E_UNKNOWN, 0, 0, "allow", NULL, "host128", false, NULL, NULL, NULL },
	{ "/128 neighbour", C_FROM, NULL, NULL, "host128", "2001:db8::2", NULL, 0, false, E_UNKNOWN,
	  0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "mapped into 10/8", C_FROM, NULL, NULL, "net", "::ffff:10.1.2.3", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "net", false, NULL, "from 10.0.0.0/8", NULL },
	{ "ULA in fd00::/8", C_FROM, NULL, NULL, "net", "fd12:3456::1", NULL, 0, false, E_UNKNOWN,
	  0, 0, "allow", NULL, "net", false, NULL, "from fd00::/8", NULL },
	{ "link-local not in fd00::/8", C_FROM, NULL, NULL, "net", "fe80::1", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "net",
	  "fe80::1 not in 10.0.0.0/8, fd00::/8", NULL },
	{ "11/8 not in 10/8", C_FROM, NULL, NULL, "net", "11.0.0.1", NULL, 0, false, E_UNKNOWN, 0,
	  0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "host name never matches, never resolved", C_FROM, NULL, NULL, "net", "ten.example.com",
	  NULL, 0, false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "net",
	  "ten.example.com is not an IP address (never resolved)", NULL },
	{ "a CIDR as rhost is not an address", C_FROM, NULL, NULL, "v4any", "10.0.0.0/8", NULL, 0,
	  false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "v4any", "is not an IP address",
	  NULL },
	{ "malformed octet", C_FROM, NULL, NULL, "net", "10.1.2.999", NULL, 0, false, E_UNKNOWN, 0,
	  0, "deny", NULL, "default", false, "net", "is not an IP address", NULL },
	{ "leading blank", C_FROM, NULL, NULL, "net", " 10.1.2.3", NULL, 0, false, E_UNKNOWN, 0, 0,
	  "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "IPv4 with a zone is garbage", C_FROM, NULL, NULL, "net", "10.1.2.3%eth0", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "control bytes in rhost", C_FROM, NULL, NULL, "v4any", "1.2.3.4\nx", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "v4any", "1.2.3.4?x is not", NULL },
	{ "mapped /120 rule takes IPv4", C_FROM, NULL, NULL, "mapped", "192.0.2.55", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "mapped", false, NULL, "from 192.0.2.0/24", NULL },
	{ "local: NULL rhost", C_FROM, NULL, NULL, "local", NULL, NULL, 0, false, E_UNKNOWN, 0, 0,
	  "allow", NULL, "local", false, NULL, "from local", NULL },
	{ "local: empty rhost", C_FROM, NULL, NULL, "local", "", NULL, 0, false, E_UNKNOWN, 0, 0,
	  "allow", NULL, "local", false, NULL, NULL, NULL },
	{ "local: loopback is remote", C_FROM, NULL, NULL, "local", "127.0.0.1", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "local", "127.0.0.1 not in local",
	  NULL },
	{ "local or net: local", C_FROM, NULL, NULL, "localornet", NULL, NULL, 0, false, E_UNKNOWN,
	  0, 0, "allow", NULL, "localornet", false, NULL, NULL, NULL },
	{ "local or net: net", C_FROM, NULL, NULL, "localornet", "10.9.9.9", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "localornet", false, NULL, NULL, NULL },
	{ "local or net: name", C_FROM, NULL, NULL, "localornet", "h.example", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "localornet", "not in local, 10.0.0.0/8",
	  NULL },

	/* C_TIME: windows, day boundaries, midnight */
	{ "work: Wednesday morning", C_TIME, NULL, NULL, "work", NULL, NULL, AT(WED, 10, 0), false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "work", false, NULL, "time Mon-Fri 08:00-18:00", NULL },
	{ "work: Monday 08:00 starts it", C_TIME, NULL, NULL, "work", NULL, NULL, AT(MON, 8, 0),
	  false, E_UNKNOWN, 0, 0, "allow", NULL, "work", false, NULL, NULL, NULL },
	{ "work: Monday 07:59", C_TIME, NULL, NULL, "work", NULL, NULL, AT(MON, 7, 59), false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "work",
	  "time: Mon 07:59 outside Mon-Fri 08:00-18:00", NULL },
	{ "work: Friday 17:59", C_TIME, NULL, NULL, "work", NULL, NULL, AT(FRI, 17, 59), false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "work", false, NULL, NULL, NULL },
	{ "work: Friday 18:00 ends it", C_TIME, NULL, NULL, "work", NULL, NULL, AT(FRI, 18, 0),
	  false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "work: Saturday", C_TIME, NULL, NULL, "work", NULL, NULL, AT(SAT, 10, 0), false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "work", "Sat 10:00 outside", NULL },
	{ "night: Friday 23:00", C_TIME, NULL, NULL, "night", NULL, NULL, AT(FRI, 23, 0), false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "night", false, NULL, "time Fri 22:00-06:00", NULL },
	{ "night: Saturday 03:00 belongs to Friday", C_TIME, NULL, NULL, "night", NULL, NULL,
	  AT(SAT, 3, 0), false, E_UNKNOWN, 0, 0, "allow", NULL, "night", false, NULL, NULL, NULL },
	{ "night: Saturday 05:59", C_TIME, NULL, NULL, "night", NULL, NULL, AT(SAT, 5, 59), false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "night", false, NULL, NULL, NULL },
	{ "night: Saturday 06:00", C_TIME, NULL, NULL, "night", NULL, NULL, AT(SAT, 6, 0), false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "night: Saturday 23:00 is not Friday", C_TIME, NULL, NULL, "night", NULL, NULL,
	  AT(SAT, 23, 0), false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL,
	  NULL },
	{ "night: Friday 21:59", C_TIME, NULL, NULL, "night", NULL, NULL, AT(FRI, 21, 59), false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "night: Friday 03:00 belongs to Thursday", C_TIME, NULL, NULL, "night", NULL, NULL,
	  AT(FRI, 3, 0), false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "weekend: Saturday 00:00", C_TIME, NULL, NULL, "weekend", NULL, NULL, AT(SAT, 0, 0),
	  false, E_UNKNOWN, 0, 0, "allow", NULL, "weekend", false, NULL, "time Sat,Sun 00:00-24:00",
	  NULL },
	{ "weekend: Sunday 23:59", C_TIME, NULL, NULL, "weekend", NULL, NULL, AT(SUN, 23, 59),
	  false, E_UNKNOWN, 0, 0, "allow", NULL, "weekend", false, NULL, NULL, NULL },
	{ "weekend: Monday 00:00", C_TIME, NULL, NULL, "weekend", NULL, NULL, AT(MON2, 0, 0), false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "weekend", "Mon 00:00 outside", NULL },
	{ "weekend: Friday 23:59", C_TIME, NULL, NULL, "weekend", NULL, NULL, AT(FRI, 23, 59),
	  false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },
	{ "multi: second window", C_TIME, NULL, NULL, "multi", NULL, NULL, AT(WED, 14, 30), false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "multi", false, NULL, "Wed 14:00-15:00", NULL },
	{ "multi: right hour, wrong day", C_TIME, NULL, NULL, "multi", NULL, NULL, AT(MON, 14, 30),
	  false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "multi",
	  "Mon 14:30 outside Mon 09:00-10:00, Wed 14:00-15:00", NULL },
	{ "late: Sunday 23:30", C_TIME, NULL, NULL, "late", NULL, NULL, AT(SUN, 23, 30), false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "late", false, NULL, "time * 23:00-01:00", NULL },
	{ "late: Monday 00:30 from Sunday", C_TIME, NULL, NULL, "late", NULL, NULL, AT(MON2, 0, 30),
	  false, E_UNKNOWN, 0, 0, "allow", NULL, "late", false, NULL, NULL, NULL },
	{ "late: 01:00 ends it", C_TIME, NULL, NULL, "late", NULL, NULL, AT(TUE, 1, 0), false,
	  E_UNKNOWN, 0, 0, "deny", NULL, "default", false, NULL, NULL, NULL },

	/* C_TTY */
	{ "console tty3 with /dev/", C_TTY, NULL, NULL, "console", NULL, "/dev/tty3", 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "console", false, NULL, "tty tty[1-6]", NULL },
	{ "console itself", C_TTY, NULL, NULL, "console", NULL, "/dev/console", 0, false, E_UNKNOWN,
	  0, 0, "allow", NULL, "console", false, NULL, "tty console", NULL },
	{ "tty7 outside the class", C_TTY, NULL, NULL, "console", NULL, "tty7", 0, false, E_UNKNOWN,
	  0, 0, "deny", NULL, "default", false, "console",
	  "tty: tty7 does not match console, tty[1-6]", NULL },
	{ "no tty", C_TTY, NULL, NULL, "console", NULL, NULL, 0, false, E_UNKNOWN, 0, 0, "deny",
	  NULL, "default", false, "console", "tty: no tty", NULL },
	{ "empty tty is no tty", C_TTY, NULL, NULL, "console", NULL, "", 0, false, E_UNKNOWN, 0, 0,
	  "deny", NULL, "default", false, "console", "tty: no tty", NULL },
	{ "pts glob", C_TTY, NULL, NULL, "pts", "10.0.0.1", "/dev/pts/4", 0, false, E_UNKNOWN, 0, 0,
	  "allow", NULL, "pts", false, NULL, "tty pts/*", NULL },
	{ "pts glob without /dev/", C_TTY, NULL, NULL, "pts", NULL, "pts/0", 0, false, E_UNKNOWN, 0,
	  0, "allow", NULL, "pts", false, NULL, NULL, NULL },
	{ "sshd's \"ssh\" tty", C_TTY, NULL, NULL, "pts", NULL, "ssh", 0, false, E_UNKNOWN, 0, 0,
	  "deny", NULL, "default", false, "pts", "ssh does not match pts/*", NULL },

	/* C_STATE: inactive_days, enrolled, offline */
	{ "inactive exactly 90 days", C_STATE, NULL, NULL, "stale", NULL, NULL, 0, false, E_UNKNOWN,
	  DAYS(90), 0, "deny", NULL, "stale", false, NULL, NULL, NULL },
	{ "inactive 90 days less a second", C_STATE, NULL, NULL, "stale", NULL, NULL, 0, false,
	  E_UNKNOWN, DAYS(90) - 1, 0, "allow", NULL, "default", false, "stale",
	  "last login 89 days ago (< 90)", NULL },
	{ "inactive: no login recorded", C_STATE, NULL, NULL, "stale", NULL, NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "default", false, "stale",
	  "inactive_days: no login recorded", NULL },
	{ "inactive: years", C_STATE, NULL, NULL, "stale", NULL, NULL, 0, false, E_UNKNOWN,
	  DAYS(1000), 0, "deny", NULL, "stale", false, NULL, "last login 1000 days ago", NULL },
	{ "inactive: login in the future", C_STATE, NULL, NULL, "stale", NULL, NULL, 0, false,
	  E_UNKNOWN, -DAYS(200), 0, "allow", NULL, "default", false, "stale", "in the future",
	  NULL },
	{ "enrolled unknown", C_STATE, NULL, NULL, "need-enrol", NULL, NULL, 0, false, E_UNKNOWN, 0,
	  0, "allow", NULL, "default", false, "need-enrol", "enrolled: MFA enrolment unknown",
	  NULL },
	{ "not enrolled", C_STATE, NULL, NULL, "need-enrol", NULL, NULL, 0, false, E_NO, 0, 0,
	  "deny", NULL, "need-enrol", false, NULL, "enrolled false", "Enrol first." },
	{ "enrolled", C_STATE, NULL, NULL, "need-enrol", NULL, NULL, 0, false, E_YES, 0, 0, "allow",
	  NULL, "default", false, "need-enrol", "user is enrolled, rule wants false", NULL },
	{ "offline: cache stale", C_STATE, NULL, NULL, "offline", NULL, NULL, 0, true, E_UNKNOWN, 0,
	  0, "deny", NULL, "offline", false, NULL, "offline true", NULL },
	{ "offline: cache current", C_STATE, NULL, NULL, "offline", NULL, NULL, 0, false, E_UNKNOWN,
	  0, 0, "allow", NULL, "default", false, "offline", "cache is current", NULL },
	{ "online rule while online", C_STATE, NULL, NULL, "online", NULL, NULL, 0, false,
	  E_UNKNOWN, 0, 0, "mfa", NULL, "online", false, NULL, "offline false", NULL },
	{ "online rule while offline", C_STATE, NULL, NULL, "online", NULL, NULL, 0, true,
	  E_UNKNOWN, 0, 0, "allow", NULL, "default", false, "online", "rule wants online", NULL },

	/* C_MFA: freshness edges */
	{ "max_age 0 is never fresh", C_MFA, NULL, NULL, "max0", NULL, NULL, 0, false, E_YES, 0, 1,
	  "mfa", NULL, "max0", false, NULL, NULL, NULL },
	{ "max_age unset is never fresh", C_MFA, NULL, NULL, "unset", NULL, NULL, 0, false, E_YES,
	  0, 1, "mfa", NULL, "unset", false, NULL, NULL, NULL },
	{ "exactly max_age is fresh", C_MFA, NULL, NULL, "max300", NULL, NULL, 0, false, E_YES, 0,
	  300, "mfa", NULL, "max300", true, NULL, NULL, NULL },
	{ "max_age + 1 is stale", C_MFA, NULL, NULL, "max300", NULL, NULL, 0, false, E_YES, 0, 301,
	  "mfa", NULL, "max300", false, NULL, NULL, NULL },
	{ "never had mfa", C_MFA, NULL, NULL, "max300", NULL, NULL, 0, false, E_YES, 0, 0, "mfa",
	  NULL, "max300", false, NULL, NULL, NULL },
	{ "mfa in the future is not trusted", C_MFA, NULL, NULL, "max300", NULL, NULL, 0, false,
	  E_YES, 0, -10, "mfa", NULL, "max300", false, NULL, NULL, NULL },
	{ "default mfa is never fresh", C_MFA, NULL, NULL, "other", NULL, NULL, 0, false, E_YES, 0,
	  1, "mfa", NULL, "default", false, NULL, "no rule matched", NULL },

	/* C_COMBO: every condition at once, then each one failing on its own */
	{ "combo: all hold", C_COMBO, "alice", "users,ops", "sshd", "10.2.3.4", "/dev/pts/2",
	  AT(TUE, 9, 0), false, E_YES, 0, 0, "allow", NULL, "combo", false, NULL,
	  "matched rule combo: user alice, group ops, from 10.0.0.0/8, service sshd, tty pts/*, "
	  "time Mon-Fri 08:00-18:00, enrolled true, offline false",
	  NULL },
	{ "combo: user", C_COMBO, "bob", "users,ops", "sshd", "10.2.3.4", "pts/2", AT(TUE, 9, 0),
	  false, E_YES, 0, 0, "deny", NULL, "default", false, "combo", "user: bob not in alice",
	  NULL },
	{ "combo: group", C_COMBO, "alice", "users", "sshd", "10.2.3.4", "pts/2", AT(TUE, 9, 0),
	  false, E_YES, 0, 0, "deny", NULL, "default", false, "combo", "group: alice not in ops",
	  NULL },
	{ "combo: no groups at all", C_COMBO, "alice", "", "sshd", "10.2.3.4", "pts/2",
	  AT(TUE, 9, 0), false, E_YES, 0, 0, "deny", NULL, "default", false, "combo",
	  "group: alice not in ops", NULL },
	{ "combo: from", C_COMBO, "alice", "ops", "sshd", "192.0.2.1", "pts/2", AT(TUE, 9, 0),
	  false, E_YES, 0, 0, "deny", NULL, "default", false, "combo",
	  "from: 192.0.2.1 not in 10.0.0.0/8", NULL },
	{ "combo: service (first failure wins over tty)", C_COMBO, "alice", "ops", "sudo",
	  "10.2.3.4", "ssh", AT(TUE, 9, 0), false, E_YES, 0, 0, "deny", NULL, "default", false,
	  "combo", "service: sudo not in sshd", NULL },
	{ "combo: tty", C_COMBO, "alice", "ops", "sshd", "10.2.3.4", "tty1", AT(TUE, 9, 0), false,
	  E_YES, 0, 0, "deny", NULL, "default", false, "combo", "tty: tty1 does not match pts/*",
	  NULL },
	{ "combo: time", C_COMBO, "alice", "ops", "sshd", "10.2.3.4", "pts/2", AT(SUN, 9, 0), false,
	  E_YES, 0, 0, "deny", NULL, "default", false, "combo", "time: Sun 09:00 outside", NULL },
	{ "combo: enrolment unknown", C_COMBO, "alice", "ops", "sshd", "10.2.3.4", "pts/2",
	  AT(TUE, 9, 0), false, E_UNKNOWN, 0, 0, "deny", NULL, "default", false, "combo",
	  "enrolled: MFA enrolment unknown", NULL },
	{ "combo: offline", C_COMBO, "alice", "ops", "sshd", "10.2.3.4", "pts/2", AT(TUE, 9, 0),
	  true, E_YES, 0, 0, "deny", NULL, "default", false, "combo", "offline: cache missing",
	  NULL },

	/* C_REPORT: evaluate and log, never deny, never prompt */
	{ "report: deny becomes allow", C_REPORT, "mallory", NULL, "login", NULL, NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", "deny", "blocked", false, NULL, "user mallory", "No." },
	{ "report: mfa becomes allow", C_REPORT, NULL, NULL, "sshd", "203.0.113.7", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", "mfa", "remote", false, NULL, NULL, NULL },
	{ "report: allow stays allow", C_REPORT, "mallory", NULL, "sshd", "10.0.0.7", NULL, 0,
	  false, E_UNKNOWN, 0, 0, "allow", "allow", "office", false, NULL, NULL, NULL },
	{ "report: default deny becomes allow", C_REPORT, NULL, NULL, "login", NULL, NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", "deny", "default", false, NULL, "no rule matched", NULL },
	{ "report: exempt", C_REPORT, "root", NULL, "login", NULL, NULL, 0, false, E_UNKNOWN, 0, 0,
	  "allow", "allow", "exempt", false, NULL, NULL, NULL },

	/* defaults and exempt lists */
	{ "no rules, default allow", C_DEF_ALLOW, NULL, NULL, "sshd", "203.0.113.7", NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "default", false, NULL, "no rule matched", NULL },
	{ "default mfa", C_DEF_MFA, NULL, NULL, "sshd", NULL, NULL, 0, false, E_UNKNOWN, 0, 5,
	  "mfa", NULL, "default", false, "never", "user: bob not in nobody-at-all", NULL },
	{ "root is exempt by default", C_DEF_MFA, "root", NULL, "sshd", NULL, NULL, 0, false,
	  E_UNKNOWN, 0, 0, "allow", NULL, "exempt", false, NULL, NULL, NULL },
	{ "empty exempt list: root denied", C_NO_EXEMPT, "root", "root", "login", NULL, "tty1", 0,
	  false, E_UNKNOWN, 0, 0, "deny", NULL, "lockdown", false, NULL, "no conditions", NULL },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static struct hostiam_config *cfgs[C_COUNT];

/* Split "a,b,c" into names pointing into buf. */
static size_t split_groups(const char *list, char *buf, size_t len, const char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL, *tok;

	snprintf(buf, len, "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save))
		out[n++] = tok;
	return n;
}

/* The request a row describes. */
static void row_request(const struct row *t, struct hostiam_request *req, char *buf, size_t len,
			const char **groups, size_t max)
{
	static const enum hostiam_tristate enrolled[] = { HOSTIAM_UNSET, HOSTIAM_FALSE,
							  HOSTIAM_TRUE };

	memset(req, 0, sizeof(*req));
	req->user = t->user ? t->user : "bob";
	req->service = t->service;
	req->rhost = t->rhost;
	req->tty = t->tty;
	req->groups = groups;
	req->n_groups = split_groups(t->groups ? t->groups : "users", buf, len, groups, max);
	req->now = t->at ? t->at : AT(WED, 10, 0);
	req->offline = t->offline;
	req->enrolled = enrolled[t->enrolled];
	req->last_login = t->login_ago ? req->now - t->login_ago : 0;
	req->last_mfa = t->mfa_ago ? req->now - t->mfa_ago : 0;
}

/* Every rule before the decider failed, the decider matched, the rest were not looked at. */
static void check_trace_shape(const struct hostiam_config *cfg, const struct hostiam_decision *d)
{
	size_t i, stop = d->by == HOSTIAM_BY_RULE ? (size_t)d->rule_index : d->n_trace;

	assert_int_equal(d->n_trace, cfg->access.n_rules);
	for (i = 0; i < d->n_trace; i++) {
		const struct hostiam_rule_trace *t = &d->trace[i];

		assert_ptr_equal(t->rule, &cfg->access.rules[i]);
		if (d->by == HOSTIAM_BY_EXEMPT || i > stop) {
			assert_false(t->evaluated);
			continue;
		}
		assert_true(t->evaluated);
		assert_int_equal(t->matched, i == stop && d->by == HOSTIAM_BY_RULE);
		assert_true(t->reason[0] != '\0');
	}
}

/* Where a row's expected reason must appear. */
static const char *row_reason(const struct hostiam_config *cfg, const struct hostiam_decision *d,
			      const char *rule)
{
	size_t i;

	if (rule == NULL)
		return d->reason;
	for (i = 0; i < d->n_trace; i++)
		if (strcmp(cfg->access.rules[i].name, rule) == 0)
			return d->trace[i].reason;
	fail_msg("row names rule %s, which the configuration does not have", rule);
	return NULL;
}

/* One row: decide and compare. */
static void check_row(const struct row *t)
{
	const struct hostiam_config *cfg = cfgs[t->cfg];
	struct hostiam_request req;
	struct hostiam_decision d;
	const char *groups[8], *why;
	char buf[128];

	row_request(t, &req, buf, sizeof(buf), groups, 8);
	assert_int_equal(hostiam_policy_evaluate(cfg, &req, &d), 0);
	print_message("%-48s -> %s/%s by %s: %s\n", t->what, hostiam_action_name(d.action),
		      hostiam_action_name(d.policy_action), d.rule_name, d.reason);
	assert_string_equal(hostiam_action_name(d.action), t->act);
	assert_string_equal(hostiam_action_name(d.policy_action), t->pol ? t->pol : t->act);
	assert_string_equal(d.rule_name, t->rule);
	assert_int_equal(d.mfa_fresh, t->fresh);
	assert_int_equal(d.report_only, cfg->access.mode == HOSTIAM_MODE_REPORT);
	if (t->message)
		assert_string_equal(d.message, t->message);
	else
		assert_null(d.message);
	check_trace_shape(cfg, &d);
	if (t->why) {
		why = row_reason(cfg, &d, t->why_rule);
		if (strstr(why, t->why) == NULL)
			fail_msg("%s: \"%s\" not in \"%s\"", t->what, t->why, why);
	}
	hostiam_decision_free(&d);
}

/* The whole table; no row may touch DNS. */
static void test_table(void **state)
{
	size_t i;

	(void)state;
	assert_true(N_ROWS >= 60);
	dns_calls = 0;
	for (i = 0; i < N_ROWS; i++)
		check_row(&rows[i]);
	assert_int_equal(dns_calls, 0);
}

/* A request without a user or service is refused, not guessed at. */
static void test_invalid(void **state)
{
	struct hostiam_request req = { .user = "bob", .service = "sshd" };
	struct hostiam_decision d;

	(void)state;
	assert_int_equal(hostiam_policy_evaluate(cfgs[C_MAIN], NULL, &d), HOSTIAM_ERR_INVALID_ARG);
	assert_int_equal(hostiam_policy_evaluate(NULL, &req, &d), HOSTIAM_ERR_INVALID_ARG);
	req.user = NULL;
	assert_int_equal(hostiam_policy_evaluate(cfgs[C_MAIN], &req, &d), HOSTIAM_ERR_INVALID_ARG);
	req.user = "";
	assert_int_equal(hostiam_policy_evaluate(cfgs[C_MAIN], &req, &d), HOSTIAM_ERR_INVALID_ARG);
	req.user = "bob";
	req.service = "";
	assert_int_equal(hostiam_policy_evaluate(cfgs[C_MAIN], &req, &d), HOSTIAM_ERR_INVALID_ARG);
	req.service = NULL;
	assert_int_equal(hostiam_policy_evaluate(cfgs[C_MAIN], &req, &d), HOSTIAM_ERR_INVALID_ARG);
}

/* No rules: no trace array, and freeing twice is harmless. */
static void test_no_rules(void **state)
{
	struct hostiam_request req = { .user = "bob", .service = "sshd", .now = AT(MON, 0, 0) };
	struct hostiam_decision d;

	(void)state;
	assert_int_equal(hostiam_policy_evaluate(cfgs[C_DEF_ALLOW], &req, &d), 0);
	assert_null(d.trace);
	assert_int_equal(d.n_trace, 0);
	assert_int_equal(d.by, HOSTIAM_BY_DEFAULT);
	assert_int_equal(d.rule_index, -1);
	hostiam_decision_free(&d);
	hostiam_decision_free(&d);
	hostiam_decision_free(NULL);
}

/* The same request always gets the same decision: nothing is remembered between calls. */
static void test_pure(void **state)
{
	struct hostiam_request req;
	struct hostiam_decision a, b;
	const char *groups[8];
	char buf[128];

	(void)state;
	row_request(&rows[6], &req, buf, sizeof(buf), groups, 8);
	assert_int_equal(hostiam_policy_evaluate(cfgs[rows[6].cfg], &req, &a), 0);
	assert_int_equal(hostiam_policy_evaluate(cfgs[rows[6].cfg], &req, &b), 0);
	assert_int_equal(a.action, b.action);
	assert_string_equal(a.reason, b.reason);
	assert_memory_equal(a.trace, b.trace, a.n_trace * sizeof(*a.trace));
	hostiam_decision_free(&a);
	hostiam_decision_free(&b);
}

/* Names as the configuration spells them; a stray value never reads as a real action. */
static void test_action_name(void **state)
{
	(void)state;
	assert_string_equal(hostiam_action_name(HOSTIAM_ACTION_ALLOW), "allow");
	assert_string_equal(hostiam_action_name(HOSTIAM_ACTION_DENY), "deny");
	assert_string_equal(hostiam_action_name(HOSTIAM_ACTION_MFA), "mfa");
	assert_string_equal(hostiam_action_name((enum hostiam_action)42), "invalid");
}

/* Every shared configuration, loaded once, read in UTC. */
static int setup(void **state)
{
	size_t i;

	(void)state;
	use_utc();
	for (i = 0; i < C_COUNT; i++)
		cfgs[i] = load_cfg(cfg_text[i]);
	return 0;
}

/* Free what setup loaded. */
static int teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < C_COUNT; i++)
		hostiam_config_free(cfgs[i]);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),       cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_no_rules),    cmocka_unit_test(test_pure),
		cmocka_unit_test(test_action_name),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
