/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <string.h>

#include "names.h"

/* True for bytes that would break passwd/group lines or shell word splitting. */
static bool bad_byte(unsigned char ch)
{
	if (ch < 0x20 || ch == 0x7f) /* control characters, tabs, newlines */
		return true;
	return ch == ' ' || ch == ':' || ch == ',' || ch == '/';
}

/* The shared rule behind user and group names. */
static bool valid_name(const char *name)
{
	bool all_digits = true;
	size_t i;

	if (!name || !name[0] || name[0] == '-')
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; name[i]; i++) {
		if (i >= HOSTIAM_NAME_MAX || bad_byte((unsigned char)name[i]))
			return false;
		if (name[i] < '0' || name[i] > '9')
			all_digits = false;
	}
	return !all_digits;
}

bool hostiam_valid_user_name(const char *name)
{
	return valid_name(name);
}

bool hostiam_valid_group_name(const char *name)
{
	return valid_name(name);
}
