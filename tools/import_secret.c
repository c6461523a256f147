/* SPDX-License-Identifier: BSD-2-Clause */
/* Secrets from google-authenticator files and pam_oath usersfiles, for hostiam enroll --import. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "import_secret.h"
#include "parse_num.h"
#include "totp.h"

/* A span of the file's text: a line or a field. */
struct span {
	const char *p;
	size_t len;
};

/* Longest period accepted from a file (a day; google-authenticator itself allows 60). */
#define IMPORT_MAX_PERIOD 86400UL

/* Format a reason into why and return err. */
static int fail(char *why, size_t why_len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *why, size_t why_len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return err;
}

/* Next line of [*cur, end) without its "\n" or "\r\n"; false at the end. */
static bool next_line(const char **cur, const char *end, struct span *line)
{
	const char *nl;

	if (*cur >= end)
		return false;
	nl = memchr(*cur, '\n', (size_t)(end - *cur));
	line->p = *cur;
	line->len = (size_t)((nl ? nl : end) - *cur);
	*cur = nl ? nl + 1 : end;
	if (line->len > 0 && line->p[line->len - 1] == '\r')
		line->len--;
	return true;
}

/* Whether c separates fields (liboath takes any whitespace). */
static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* Next whitespace-separated field of *rest; false when none is left. */
static bool next_field(struct span *rest, struct span *field)
{
	size_t i = 0, start;

	while (i < rest->len && blank(rest->p[i]))
		i++;
	start = i;
	while (i < rest->len && !blank(rest->p[i]))
		i++;
	field->p = rest->p + start;
	field->len = i - start;
	rest->p += i;
	rest->len -= i;
	return field->len > 0;
}

/* Whether span s is exactly the string word. */
static bool span_is(struct span s, const char *word)
{
	return s.len == strlen(word) && memcmp(s.p, word, s.len) == 0;
}

/* Drop leading and trailing blanks of s. */
static struct span trim(struct span s)
{
	while (s.len > 0 && blank(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && blank(s.p[s.len - 1]))
		s.len--;
	return s;
}

/* Append a copy of code to out's scratch codes; 0 or HOSTIAM_ERR_NOMEM. */
static int add_scratch(struct imported_secret *out, struct span code)
{
	char **grown, *copy;

	grown = realloc(out->scratch, (out->n_scratch + 1) * sizeof(*grown));
	if (grown == NULL)
		return HOSTIAM_ERR_NOMEM;
	out->scratch = grown;
	if ((copy = strndup(code.p, code.len)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	out->scratch[out->n_scratch++] = copy;
	return 0;
}

/* Decode base32 held in span s into out's secret. */
static int decode_base32(struct span s, struct imported_secret *out, char *why, size_t why_len)
{
	char *copy;
	int rc;

	if ((copy = strndup(s.p, s.len)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	rc = hostiam_base32_decode(copy, &out->secret, &out->secret_len);
	hostiam_secret_wipe(copy, s.len);
	if (rc == HOSTIAM_ERR_NOMEM)
		return rc;
	if (rc < 0 || out->secret_len == 0)
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
			    "the first line is not a base32 secret");
	return 0;
}

/* Value of one hex digit, or -1. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the hex secret of a usersfile line into out's secret. */
static int decode_hex(struct span s, struct imported_secret *out, char *why, size_t why_len)
{
	size_t i;
	int hi, lo;

	if (s.len == 0 || s.len % 2 != 0)
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
			    "the secret is not an even number of hex digits");
	if ((out->secret = malloc(s.len / 2)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	out->secret_len = s.len / 2;
	for (i = 0; i < s.len; i += 2) {
		hi = hex_value(s.p[i]);
		lo = hex_value(s.p[i + 1]);
		if (hi < 0 || lo < 0)
			return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG, "the secret is not hex");
		out->secret[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

struct ga_modes {
	bool totp, hotp;
};

/* One '" OPTION ...' line of a google-authenticator file. */
static int ga_option(struct span line, unsigned long lineno, struct ga_modes *m,
		     struct imported_secret *out, char *why, size_t why_len)
{
	struct span rest = { line.p + 1, line.len - 1 }, name, value;
	unsigned long n;

	if (!next_field(&rest, &name))
		return 0;
	if (span_is(name, "TOTP_AUTH")) {
		m->totp = true;
	} else if (span_is(name, "HOTP_COUNTER")) {
		m->hotp = true;
	} else if (span_is(name, "STEP_SIZE")) {
		if (!next_field(&rest, &value) ||
		    hostiam_parse_ulong_n(value.p, value.len, 1, IMPORT_MAX_PERIOD, &n) < 0)
			return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
				    "line %lu: STEP_SIZE is not a number of seconds", lineno);
		out->period = (int)n;
	}
	/* RATE_LIMIT, WINDOW_SIZE, DISALLOW_REUSE: hostiam's own mfa settings apply. */
	return 0;
}

/* A google-authenticator file: secret, options, scratch codes. */
static int parse_google(const char *cur, const char *end, struct imported_secret *out, char *why,
			size_t why_len)
{
	struct ga_modes m = { false, false };
	struct span line;
	unsigned long lineno = 1, n;
	int rc;

	out->format = IMPORT_GOOGLE_AUTHENTICATOR;
	if (!next_line(&cur, end, &line) || trim(line).len == 0)
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG, "no secret on the first line");
	if ((rc = decode_base32(trim(line), out, why, why_len)) < 0)
		return rc;
	while (next_line(&cur, end, &line)) {
		lineno++;
		line = trim(line);
		if (line.len == 0)
			continue;
		if (line.p[0] == '"')
			rc = ga_option(line, lineno, &m, out, why, why_len);
		else if (line.len == 8 &&
			 hostiam_parse_ulong_n(line.p, line.len, 0, 99999999, &n) == 0)
			rc = add_scratch(out, line);
		else
			rc = fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
				  "line %lu: neither an option nor an 8-digit scratch code",
				  lineno);
		if (rc < 0)
			return rc;
	}
	if (m.hotp)
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
			    "a counter-based (HOTP_COUNTER) google-authenticator file cannot be "
			    "imported: hostiam does TOTP only; enrol the user afresh");
	if (!m.totp)
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
			    "no TOTP_AUTH option: google-authenticator would not accept time-based "
			    "codes with this file");
	return 0;
}

/* The token type of a usersfile line: period and digits of HOTP/T<period>[/<digits>]. */
static int oath_type(struct span type, unsigned long lineno, struct imported_secret *out, char *why,
		     size_t why_len)
{
	const char *slash;
	unsigned long period, digits = 6;
	size_t plen;

	if (type.len < 6 || memcmp(type.p, "HOTP/T", 6) != 0) {
		if (span_is(type, "HOTP") || (type.len >= 6 && memcmp(type.p, "HOTP/E", 6) == 0))
			return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
				    "line %lu: a counter-based (HOTP) token cannot be imported: "
				    "hostiam does TOTP only; enrol the user afresh",
				    lineno);
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
			    "line %lu: unknown token type '%.*s'", lineno, (int)type.len, type.p);
	}
	slash = memchr(type.p + 6, '/', type.len - 6);
	plen = (size_t)((slash ? slash : type.p + type.len) - (type.p + 6));
	if (hostiam_parse_ulong_n(type.p + 6, plen, 1, IMPORT_MAX_PERIOD, &period) < 0 ||
	    (slash &&
	     hostiam_parse_ulong_n(slash + 1, (size_t)(type.p + type.len - slash - 1), 6, 8,
				   &digits) < 0))
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
			    "line %lu: token type '%.*s' is not HOTP/T<seconds>[/<6..8 digits>]",
			    lineno, (int)type.len, type.p);
	out->period = (int)period;
	out->digits = (int)digits;
	return 0;
}

/* The fields of user's usersfile line (its first four), after the type and user. */
static int oath_line(struct span rest, unsigned long lineno, struct span type,
		     struct imported_secret *out, char *why, size_t why_len)
{
	struct span pin, secret;
	int rc;

	if (!next_field(&rest, &pin) || !next_field(&rest, &secret))
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
			    "line %lu: want TYPE USER PASSWORD SECRET", lineno);
	if ((rc = oath_type(type, lineno, out, why, why_len)) < 0)
		return rc;
	out->had_pin = !span_is(pin, "-");
	return decode_hex(secret, out, why, why_len);
}

/* A pam_oath usersfile: the one line for user. */
static int parse_oath(const char *cur, const char *end, const char *user,
		      struct imported_secret *out, char *why, size_t why_len)
{
	struct span line, type, name;
	unsigned long lineno = 0, found = 0;
	int rc;

	out->format = IMPORT_PAM_OATH;
	while (next_line(&cur, end, &line)) {
		lineno++;
		if (!next_field(&line, &type) || type.p[0] == '#')
			continue;
		if (!next_field(&line, &name) || !span_is(name, user))
			continue;
		if (found != 0)
			return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG,
				    "lines %lu and %lu are both for %s: keep one and retry", found,
				    lineno, user);
		found = lineno;
		if ((rc = oath_line(line, lineno, type, out, why, why_len)) < 0)
			return rc;
	}
	if (found == 0)
		return fail(why, why_len, HOSTIAM_ERR_NOT_FOUND, "no line for user %s", user);
	return 0;
}

/* Whether the text is a usersfile: its first meaningful field is a HOTP token type. */
static bool looks_like_oath(const char *cur, const char *end)
{
	struct span line, type;

	while (next_line(&cur, end, &line)) {
		if (!next_field(&line, &type) || type.p[0] == '#')
			continue;
		return type.len >= 4 && memcmp(type.p, "HOTP", 4) == 0 &&
			(type.len == 4 || type.p[4] == '/');
	}
	return false;
}

void import_secret_wipe(struct imported_secret *s)
{
	size_t i;

	hostiam_secret_wipe(s->secret, s->secret_len);
	for (i = 0; i < s->n_scratch; i++)
		hostiam_secret_wipe(s->scratch[i], strlen(s->scratch[i]));
	free(s->scratch);
	memset(s, 0, sizeof(*s));
}

int import_secret_parse(const char *text, size_t len, const char *user, struct imported_secret *out,
			char *why, size_t why_len)
{
	struct imported_secret s;
	int rc;

	memset(&s, 0, sizeof(s));
	if (memchr(text, '\0', len) != NULL) {
		rc = fail(why, why_len, HOSTIAM_ERR_INVALID_ARG, "a binary file (NUL bytes)");
		goto out;
	}
	if (looks_like_oath(text, text + len))
		rc = parse_oath(text, text + len, user, &s, why, why_len);
	else
		rc = parse_google(text, text + len, &s, why, why_len);
out:
	if (rc < 0) {
		import_secret_wipe(&s);
		return rc;
	}
	*out = s;
	return 0;
}

/* Read all of fd (a regular file of at most IMPORT_MAX_FILE bytes) into *buf. */
static int read_all(int fd, char **buf, size_t *len, char *why, size_t why_len)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	char *p;

	if (fstat(fd, &st) < 0)
		return fail(why, why_len, HOSTIAM_ERR_SYSTEM, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG, "not a regular file");
	if (st.st_size > IMPORT_MAX_FILE)
		return fail(why, why_len, HOSTIAM_ERR_INVALID_ARG, "larger than %d bytes",
			    IMPORT_MAX_FILE);
	if ((p = malloc((size_t)st.st_size + 1)) == NULL)
		return HOSTIAM_ERR_NOMEM;
	while (got < (size_t)st.st_size) {
		n = read(fd, p + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			hostiam_secret_wipe(p, (size_t)st.st_size + 1);
			return fail(why, why_len, HOSTIAM_ERR_SYSTEM, "short read");
		}
		got += (size_t)n;
	}
	*buf = p;
	*len = got;
	return (st.st_mode & 077) != 0;
}

int import_secret_read(const char *path, const char *user, struct imported_secret *out, char *why,
		       size_t why_len)
{
	char *text = NULL;
	size_t len = 0;
	int fd, rc, exposed;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return fail(why, why_len, HOSTIAM_ERR_SYSTEM, "%s",
			    errno == ELOOP ? "a symbolic link (give the file itself)" :
					     strerror(errno));
	exposed = read_all(fd, &text, &len, why, why_len);
	close(fd);
	if (exposed < 0)
		return exposed;
	rc = import_secret_parse(text, len, user, out, why, why_len);
	hostiam_secret_wipe(text, len + 1);
	if (rc == 0)
		out->exposed = exposed == 1;
	return rc;
}
