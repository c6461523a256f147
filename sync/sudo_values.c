/* SPDX-License-Identifier: BSD-2-Clause */
/* Single sudoRole values into sudoers text, or refused: what may pass, and why not more. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "sudo_values.h"

#define COMMAND_MAX 4096

/* Bytes a name may hold in a sudoers line without quoting: none of sudoers' own. */
static bool name_byte(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
		return true;
	return !first && (c == '.' || c == '-' || c == '@' || c == '$');
}

/* An upper-case word is an alias in sudoers: "ADMINS" would not name a user named so. */
static bool alias_like(const char *s)
{
	if (!(s[0] >= 'A' && s[0] <= 'Z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

int sudo_value_name(const char *name, char *why, size_t why_len)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if (!name_byte(name[i], i == 0) || (name[i] == '$' && name[i + 1]))
			break;
	if (name[i] || !hostiam_valid_user_name(name)) {
		snprintf(why, why_len, "\"%s\" is not a name sudoers can hold as it is", name);
		return SUDO_VALUE_BAD;
	}
	if (alias_like(name)) {
		snprintf(why, why_len, "\"%s\" would read as a sudoers alias", name);
		return SUDO_VALUE_BAD;
	}
	return SUDO_VALUE_OK;
}

/* All digits, 1 to 10 of them: a uid or gid after '#'. */
static bool is_id(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n <= 10 && s[n] == '\0';
}

/* The shared shape: [!] then ALL, a checked name or a form the caller allows. */
static int name_value(const char *v, const char *prefix, struct sudo_buf *b, char *why,
		      size_t why_len)
{
	const char *name = v + (v[0] == '!') + strlen(prefix);
	int r;

	if (strcmp(name, "ALL") == 0 && !prefix[0]) {
		sudo_buf_add(b, v, strlen(v));
		return SUDO_VALUE_OK;
	}
	r = sudo_value_name(name, why, why_len);
	if (r == SUDO_VALUE_OK)
		sudo_buf_add(b, v, strlen(v));
	return r;
}

int sudo_value_user(const char *v, struct sudo_buf *b, char *why, size_t why_len)
{
	const char *s = v + (v[0] == '!');
	bool neg = v[0] == '!';

	/* Forms hostiam does not serve to NSS, or that name accounts by number. */
	if (s[0] == '#' || s[0] == '+' || strncmp(s, "%#", 2) == 0 || strncmp(s, "%:", 2) == 0) {
		snprintf(why, why_len,
			 "sudoUser \"%s\": uids, gids, netgroups and non-Unix groups are not "
			 "rendered",
			 v);
		return neg ? SUDO_VALUE_BAD : SUDO_VALUE_DROP;
	}
	return name_value(v, s[0] == '%' ? "%" : "", b, why, why_len);
}

/* [!]#id for a runas list: the digits checked, then appended. */
static int id_value(const char *v, const char *attr, struct sudo_buf *b, char *why, size_t why_len)
{
	if (!is_id(v + (v[0] == '!') + 1)) {
		snprintf(why, why_len, "%s \"%s\" is not a numeric id", attr, v);
		return SUDO_VALUE_BAD;
	}
	sudo_buf_add(b, v, strlen(v));
	return SUDO_VALUE_OK;
}

int sudo_value_runas_user(const char *v, struct sudo_buf *b, char *why, size_t why_len)
{
	const char *s = v + (v[0] == '!');

	if (s[0] == '#')
		return id_value(v, "sudoRunAsUser", b, why, why_len);
	return name_value(v, s[0] == '%' ? "%" : "", b, why, why_len);
}

int sudo_value_runas_group(const char *v, struct sudo_buf *b, char *why, size_t why_len)
{
	if (v[v[0] == '!'] == '#')
		return id_value(v, "sudoRunAsGroup", b, why, why_len);
	return name_value(v, "", b, why, why_len);
}

/* Bytes of a command's path: a file name, shell wildcards, nothing of sudoers' own. */
static bool path_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		strchr("/._-+@%~*?[]", c) != NULL;
}

/* Skip "sha224:" ... "sha512:" and the digest after it (base64 or hex) and one space. */
static const char *skip_digest(const char *s)
{
	static const char *const algs[] = { "sha224:", "sha256:", "sha384:", "sha512:" };
	size_t i, n;

	for (i = 0; i < 4; i++) {
		if (strncmp(s, algs[i], 7) != 0)
			continue;
		n = strspn(s + 7,
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
		return n > 0 && s[7 + n] == ' ' ? s + 8 + n : NULL;
	}
	return s;
}

/* Append the arguments, sudoers' separators escaped; false when a byte may not pass. */
static bool add_args(const char *a, struct sudo_buf *b)
{
	if (strcmp(a, "\"\"") == 0) {
		sudo_buf_add(b, a, 2);
		return true;
	}
	for (; *a; a++) {
		unsigned char c = (unsigned char)*a;

		if (c < 0x20 || c > 0x7e || c == '\\' || c == '#' || c == '"')
			return false;
		if (c == ',' || c == ':' || c == '=')
			sudo_buf_add(b, "\\", 1);
		sudo_buf_add(b, a, 1);
	}
	return true;
}

int sudo_value_command(const char *v, struct sudo_buf *b, char *why, size_t why_len)
{
	const char *s = v + (v[0] == '!'), *path, *end;
	size_t plen;

	if (strcmp(s, "ALL") == 0) {
		sudo_buf_add(b, v, strlen(v));
		return SUDO_VALUE_OK;
	}
	path = strlen(v) <= COMMAND_MAX ? skip_digest(s) : NULL;
	end = path ? path + strcspn(path, " ") : NULL;
	plen = path ? (size_t)(end - path) : 0;
	if (path && plen == 8 && strncmp(path, "sudoedit", 8) == 0 && *end)
		; /* sudoedit FILE...: the files are its arguments */
	else if (!path || path[0] != '/' || plen < 2)
		goto bad;
	for (; path && path < end; path++)
		if (!path_byte(*path))
			goto bad;
	sudo_buf_add(b, v, (size_t)(end - v));
	if (*end) {
		sudo_buf_add(b, " ", 1);
		if (!add_args(end + 1, b))
			goto bad;
	}
	return SUDO_VALUE_OK;
bad:
	snprintf(why, why_len,
		 "sudoCommand \"%s\" is not ALL or an absolute path with plain arguments", v);
	return SUDO_VALUE_BAD;
}

/* The tags of a rule line and the boolean sudoOption each stands for (sudoers.ldap(5)). */
static const struct {
	const char *option, *yes, *no;
} tags[8] = {
	{ "authenticate", "PASSWD", "NOPASSWD" },    { "noexec", "NOEXEC", "EXEC" },
	{ "intercept", "INTERCEPT", "NOINTERCEPT" }, { "setenv", "SETENV", "NOSETENV" },
	{ "log_input", "LOG_INPUT", "NOLOG_INPUT" }, { "log_output", "LOG_OUTPUT", "NOLOG_OUTPUT" },
	{ "mail_all_cmnds", "MAIL", "NOMAIL" },      { "sudoedit_follow", "FOLLOW", "NOFOLLOW" },
};

/* The options with a value a rule line can carry, in the order of sudo_opts.value. */
static const struct {
	const char *option, *spec;
	bool path;
} valued[5] = {
	{ "command_timeout", "TIMEOUT", false },
	{ "runcwd", "CWD", true },
	{ "runchroot", "CHROOT", true },
	{ "role", "ROLE", false },
	{ "type", "TYPE", false },
};

void sudo_opts_init(struct sudo_opts *o)
{
	memset(o, 0, sizeof(*o));
	memset(o->tag, -1, sizeof(o->tag));
}

/* A value sudoers reads as one word: letters, digits and a few marks; paths may use '/'. */
static bool plain_value(const char *s, bool path)
{
	if (!*s || strlen(s) >= 128)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._-", *s) || (path && strchr("/*~", *s))))
			return false;
	return true;
}

int sudo_value_option(const char *v, struct sudo_opts *o, char *why, size_t why_len)
{
	const char *s = v + (v[0] == '!'), *eq = strchr(v, '=');
	size_t i;

	for (i = 0; i < 8 && !eq; i++) {
		if (strcmp(s, tags[i].option) == 0) {
			o->tag[i] = v[0] != '!';
			return SUDO_VALUE_OK;
		}
	}
	for (i = 0; i < 5 && eq && v[0] != '!'; i++) {
		size_t n = strlen(valued[i].option);

		if ((size_t)(eq - v) == n && strncmp(v, valued[i].option, n) == 0 &&
		    plain_value(eq + 1, valued[i].path)) {
			snprintf(o->value[i], sizeof(o->value[i]), "%s", eq + 1);
			return SUDO_VALUE_OK;
		}
	}
	snprintf(why, why_len, "sudoOption \"%s\" cannot be rendered on a sudoers rule line", v);
	return SUDO_VALUE_BAD;
}

void sudo_opts_render(const struct sudo_opts *o, const char *dates, struct sudo_buf *b)
{
	size_t i;

	for (i = 0; i < 5; i++)
		if (o->value[i][0])
			sudo_buf_addf(b, "%s=%s ", valued[i].spec, o->value[i]);
	/* sudoers wants every option before the first tag. */
	sudo_buf_add(b, dates, strlen(dates));
	for (i = 0; i < 8; i++)
		if (o->tag[i] >= 0)
			sudo_buf_addf(b, "%s: ", o->tag[i] ? tags[i].yes : tags[i].no);
}
