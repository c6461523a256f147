/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Recovery codes: ten characters from an alphabet without look-alikes (no 0/o, 1/l/i),
 * shown as xxxxx-xxxxx, stored only as crypt(3) hashes (yescrypt, else SHA-512) with a
 * random salt. What the user types is normalised (dashes and spaces dropped, lowercased)
 * before hashing, so the printed form and sloppy typing both work.
 */
#include "config.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "errors.h"
#include "mfa.h"
#include "mfa_files.h"

#define CODE_CHARS 10
/* 31 symbols: 10 of them carry about 49.5 bits. */
/* google-authenticator scratch codes, accepted as recovery codes when imported. */
#define SCRATCH_DIGITS 8

static const char alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
#define ALPHABET_LEN (sizeof(alphabet) - 1)

/* Fill buf from the kernel's CSPRNG (blocking only before it is seeded). */
static int random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);

		if (n <= 0)
			return HOSTIAM_ERR_SYSTEM;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Ten uniformly drawn symbols (rejection sampling: no modulo bias), formatted xxxxx-xxxxx. */
int hostiam_recovery_generate(char *out, size_t len)
{
	const unsigned limit = 256 - 256 % ALPHABET_LEN;
	unsigned char rnd[64];
	size_t used = sizeof(rnd), n = 0, at = 0;
	int r = 0;

	if (out == NULL || len < HOSTIAM_RECOVERY_CODE_SIZE)
		return HOSTIAM_ERR_TOO_SMALL;
	while (n < CODE_CHARS) {
		if (used == sizeof(rnd)) {
			if ((r = random_bytes(rnd, sizeof(rnd))) < 0)
				goto out;
			used = 0;
		}
		if (rnd[used] < limit) {
			if (n == CODE_CHARS / 2)
				out[at++] = '-';
			out[at++] = alphabet[rnd[used] % ALPHABET_LEN];
			n++;
		}
		used++;
	}
	out[at] = '\0';
out:
	explicit_bzero(rnd, sizeof(rnd));
	return r;
}

/* True for exactly eight ASCII digits: a google-authenticator scratch code, imported. */
static bool scratch_code(const char *s, size_t n)
{
	size_t i;

	if (n != SCRATCH_DIGITS)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * The canonical form of a typed code into out (CODE_CHARS + 1 bytes): dashes and spaces
 * dropped, ASCII lowercased. False unless what is left is ten alphabet symbols, or an
 * imported eight-digit scratch code.
 */
static bool normalise(const char *code, char *out)
{
	size_t n = 0, i, len = strnlen(code, 64);
	bool ours = true;

	if (len >= 64)
		return false;
	for (i = 0; i < len; i++) {
		char c = code[i];

		if (c == '-' || c == ' ' || c == '\t')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (n == CODE_CHARS)
			return false;
		ours = ours && c != '\0' && strchr(alphabet, c) != NULL;
		out[n++] = c;
	}
	out[n] = '\0';
	return (n == CODE_CHARS && ours) || scratch_code(out, n);
}

/* crypt_r's state is big (tens of KB): on the heap, wiped when done. */
static struct crypt_data *crypt_state(void)
{
	return calloc(1, sizeof(struct crypt_data));
}

/* A "$y$" salt if libxcrypt has yescrypt, else "$6$" (SHA-512). */
static int make_salt(char *salt, size_t len)
{
	unsigned char rnd[32];
	int r;

	if ((r = random_bytes(rnd, sizeof(rnd))) < 0)
		return r;
	if (crypt_gensalt_rn("$y$", 0, (const char *)rnd, sizeof(rnd), salt, (int)len) == NULL &&
	    crypt_gensalt_rn("$6$", 0, (const char *)rnd, 16, salt, (int)len) == NULL)
		r = HOSTIAM_ERR_INTERNAL;
	explicit_bzero(rnd, sizeof(rnd));
	return r;
}

/* The code is normalised first, as it will be at login. */
int hostiam_recovery_hash(const char *code, char **hash)
{
	struct crypt_data *cd = NULL;
	char norm[CODE_CHARS + 1], salt[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *h;
	int r;

	if (code == NULL || hash == NULL || !normalise(code, norm))
		return HOSTIAM_ERR_INVALID_ARG;
	if ((r = make_salt(salt, sizeof(salt))) < 0)
		goto out;
	if ((cd = crypt_state()) == NULL) {
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	h = crypt_r(norm, salt, cd);
	if (h == NULL || h[0] != '$')
		r = HOSTIAM_ERR_INTERNAL;
	else if ((*hash = strdup(h)) == NULL)
		r = HOSTIAM_ERR_NOMEM;
out:
	explicit_bzero(norm, sizeof(norm));
	hostiam_secret_wipe(cd, sizeof(*cd));
	return r;
}

/* Equal length and equal bytes, looking at every byte either way. */
bool hostiam_crypt_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = la != lb;

	for (i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* The first stored hash the code matches; input that cannot be a code costs no crypt. */
int mfa_recovery_match(const struct hostiam_mfa_enrolment *e, const char *code, size_t *index)
{
	struct crypt_data *cd = NULL;
	char norm[CODE_CHARS + 1];
	int r = HOSTIAM_ERR_NOT_FOUND;
	size_t i;

	if (e->n_recovery == 0 || code == NULL || !normalise(code, norm))
		goto out;
	if ((cd = crypt_state()) == NULL) {
		r = HOSTIAM_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < e->n_recovery; i++) {
		const char *h = crypt_r(norm, e->recovery[i], cd);

		if (h != NULL && h[0] == '$' && hostiam_crypt_equal(h, e->recovery[i])) {
			*index = i;
			r = 0;
			break;
		}
	}
out:
	explicit_bzero(norm, sizeof(norm));
	hostiam_secret_wipe(cd, cd ? sizeof(*cd) : 0);
	return r;
}
