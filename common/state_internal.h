/* SPDX-License-Identifier: BSD-2-Clause */
/* Inside the state store: the record's text form (state_record.c). */
#ifndef HOSTIAM_STATE_INTERNAL_H
#define HOSTIAM_STATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/* A record is a few hundred bytes; anything bigger is not one of ours. */
#define STATE_RECORD_MAX 4096

bool state_record_parse(const char *text, size_t len, struct hostiam_user_state *st);
size_t state_record_format(const struct hostiam_user_state *st, char *buf, size_t len);

/* state_terms.c: the "terms=" lines of a record */
bool state_terms_parse(struct hostiam_user_state *st, const char *v, size_t len);
void state_terms_token(char *dst, size_t size, const char *v);
size_t state_terms_format(const struct hostiam_user_state *st, char *buf, size_t len, size_t used);

/* state_certify.c: the "certify=" line of a record */
bool state_certify_parse(struct hostiam_user_state *st, const char *v, size_t len);
size_t state_certify_format(const struct hostiam_user_state *st, char *buf, size_t len,
			    size_t used);

#endif
