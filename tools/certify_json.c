/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The JSON form of a decisions file: [ {"user": "alice", "decision": "keep", "note": "..."},
 * ... ] — an array of flat objects whose values are strings. Only what that needs is
 * parsed (strings through json_read.h); anything else is refused with the line it is on.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "certify_cli.h"
#include "json_read.h"
#include "names.h"

/* One object into in; false after a message. */
static bool object(struct json_cur *c, struct certify_input *in)
{
	char key[16], word[16] = "";
	bool more = true;

	memset(in, 0, sizeof(*in));
	in->line = c->line;
	if (!json_eat(c, '{'))
		return false;
	if (json_eat(c, '}'))
		more = false;
	while (more) {
		if (!json_string(c, key, sizeof(key)) || !json_eat(c, ':'))
			return false;
		if (strcmp(key, "user") == 0 && !json_string(c, in->user, sizeof(in->user)))
			return false;
		else if (strcmp(key, "decision") == 0 && !json_string(c, word, sizeof(word)))
			return false;
		else if (strcmp(key, "note") == 0 && !json_string(c, in->note, sizeof(in->note)))
			return false;
		else if (strcmp(key, "user") && strcmp(key, "decision") && strcmp(key, "note"))
			return false;
		if (json_eat(c, ','))
			continue;
		if (!json_eat(c, '}'))
			return false;
		more = false;
	}
	return hostiam_valid_user_name(in->user) &&
		certify_choice_of(word, strlen(word), &in->choice);
}

/* See certify_cli.h. */
int certify_read_json(const char *text, const char *path, struct certify_input **out, size_t *n)
{
	struct json_cur c = { text, path, 1 };
	struct certify_input in;

	if (!json_eat(&c, '['))
		goto bad;
	if (!json_eat(&c, ']')) {
		do {
			if (!object(&c, &in) || certify_input_add(out, n, &in) < 0)
				goto bad;
		} while (json_eat(&c, ','));
		if (!json_eat(&c, ']'))
			goto bad;
	}
	json_ws(&c);
	if (*c.p == '\0')
		return 0;
bad:
	fprintf(stderr,
		"hostiam: certify: %s:%d: expected an array of {\"user\": NAME, \"decision\": "
		"\"keep\"|\"revoke\", \"note\": TEXT}\n",
		path, c.line);
	return -1;
}
