/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where the secret of hostiam enroll comes from: the CSPRNG (then confirmed by a code),
 * --secret, or --import of another tool's file; and the recovery codes that go with it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "enroll.h"
#include "errors.h"
#include "import_secret.h"
#include "otpauth_uri.h"
#include "qr_terminal.h"
#include "totp.h"

/* 160 bits, as RFC 4226 recommends and authenticator apps expect. */
#define NEW_SECRET_LEN 20
/* Below 80 bits a secret is refused, below 128 the admin is warned; over 8192 bits is
 * no TOTP secret (and more than the enrolment store takes). */
#define MIN_SECRET_LEN 10
#define GOOD_SECRET_LEN 16
#define MAX_SECRET_LEN 1024

void enroll_default_params(const struct hostiam_config *cfg, const struct enroll_args *a,
			   struct hostiam_totp_params *p)
{
	p->algorithm = a->has_algorithm ? a->algorithm : cfg->mfa.algorithm;
	p->digits = a->digits ? a->digits : cfg->mfa.digits;
	p->period = a->period ? a->period : cfg->mfa.period;
}

int enroll_new_secret(struct hostiam_mfa_enrolment *e)
{
	size_t got = 0;
	ssize_t n;

	if ((e->secret = malloc(NEW_SECRET_LEN)) == NULL) {
		fprintf(stderr, "hostiam: enroll: out of memory\n");
		return EXIT_FAILED;
	}
	e->secret_len = NEW_SECRET_LEN;
	while (got < NEW_SECRET_LEN) {
		n = getrandom(e->secret + got, NEW_SECRET_LEN - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "hostiam: enroll: getrandom: %s\n", strerror(errno));
			return EXIT_FAILED;
		}
		got += (size_t)n;
	}
	return EXIT_OK;
}

/* Check a secret's length: refuse under 80 bits or over 8192, warn under 128. */
static int check_length(size_t len)
{
	if (len < MIN_SECRET_LEN) {
		fprintf(stderr,
			"hostiam: enroll: the secret has %zu bits; at least %d are needed\n",
			len * 8, MIN_SECRET_LEN * 8);
		return EXIT_FAILED;
	}
	if (len > MAX_SECRET_LEN) {
		fprintf(stderr, "hostiam: enroll: the secret has %zu bits; at most %d are taken\n",
			len * 8, MAX_SECRET_LEN * 8);
		return EXIT_FAILED;
	}
	if (len < GOOD_SECRET_LEN)
		fprintf(stderr,
			"hostiam: enroll: warning: the secret has only %zu bits "
			"(%d or more are recommended); consider enrolling afresh\n",
			len * 8, GOOD_SECRET_LEN * 8);
	return EXIT_OK;
}

/* A line of standard input into buf (without its newline); -1 at EOF or when too long. */
static int read_line(char *buf, size_t len)
{
	size_t n;
	int c;

	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n') {
		buf[--n] = '\0';
		return 0;
	}
	if (feof(stdin))
		return 0;
	/* Too long: skip the rest of the line so the next read starts afresh. */
	while ((c = getchar()) != EOF && c != '\n')
		;
	explicit_bzero(buf, len);
	return -1;
}

int enroll_given_secret(char *b32, struct hostiam_mfa_enrolment *e)
{
	char line[1024];
	const char *text = b32;
	int rc;

	if (strcmp(b32, "-") == 0) {
		if (read_line(line, sizeof(line)) < 0) {
			fprintf(stderr, "hostiam: enroll: no secret on standard input\n");
			return EXIT_FAILED;
		}
		text = line;
	}
	rc = hostiam_base32_decode(text, &e->secret, &e->secret_len);
	explicit_bzero(line, sizeof(line));
	explicit_bzero(b32, strlen(b32));
	if (rc < 0) {
		fprintf(stderr, "hostiam: enroll: the secret is not base32 (RFC 4648: A-Z, 2-7)\n");
		return EXIT_USAGE;
	}
	return check_length(e->secret_len);
}

/* Take a value the file gives unless the command line asked for another; 0 or -1. */
static int take(const char *what, int from_file, int from_cli, int *dest, const char *path)
{
	if (from_file == 0)
		return 0;
	if (from_cli != 0 && from_cli != from_file) {
		fprintf(stderr, "hostiam: enroll: %s: the file says %s %d, the command line %d\n",
			path, what, from_file, from_cli);
		return -1;
	}
	*dest = from_file;
	return 0;
}

/* Say what an import leaves behind or should worry about. */
static void import_warnings(const struct imported_secret *s, const char *path)
{
	if (s->exposed)
		fprintf(stderr,
			"hostiam: enroll: warning: %s is readable by group or others: "
			"the secret may be known to others\n",
			path);
	if (s->had_pin)
		fprintf(stderr,
			"hostiam: enroll: warning: the pam_oath password of this line is not "
			"carried over (hostiam asks for the code alone)\n");
}

/*
 * The scratch codes of a google-authenticator file as recovery codes (eight digits, which
 * the core accepts). One it still refuses (INVALID_ARG: not eight digits) is left behind,
 * and the admin is told to issue new ones.
 */
static int import_scratch(struct hostiam_mfa_enrolment *e, const struct imported_secret *s,
			  const char *path)
{
	size_t i, refused = 0;
	int rc;

	for (i = 0; i < s->n_scratch; i++) {
		rc = enroll_add_recovery(e, s->scratch[i]);
		if (rc == HOSTIAM_ERR_INVALID_ARG)
			refused++;
		else if (rc < 0)
			return EXIT_FAILED;
	}
	if (refused > 0)
		fprintf(stderr,
			"hostiam: enroll: warning: %zu scratch code(s) of %s were not "
			"carried over (not in a recovery code format this hostiam accepts); "
			"issue new ones with --recovery-codes\n",
			refused, path);
	return EXIT_OK;
}

int enroll_import(const struct enroll_args *a, const char *user, struct hostiam_mfa_enrolment *e)
{
	struct imported_secret s;
	char why[256];
	int rc;

	rc = import_secret_read(a->import, user, &s, why, sizeof(why));
	if (rc < 0) {
		fprintf(stderr, "hostiam: enroll: %s: %s\n", a->import, why);
		return EXIT_FAILED;
	}
	import_warnings(&s, a->import);
	rc = EXIT_USAGE;
	if (take("a period of", s.period, a->period, &e->params.period, a->import) < 0 ||
	    take("digits", s.digits, a->digits, &e->params.digits, a->import) < 0)
		goto out;
	if ((rc = check_length(s.secret_len)) != EXIT_OK ||
	    (rc = import_scratch(e, &s, a->import)) != EXIT_OK)
		goto out;
	e->secret = s.secret;
	e->secret_len = s.secret_len;
	s.secret = NULL;
	s.secret_len = 0;
	printf("Imported the secret of %s from %s (%s)%s.\n", user, a->import,
	       s.format == IMPORT_PAM_OATH ? "pam_oath usersfile" : "google-authenticator file",
	       s.n_scratch ? ", scratch codes as recovery codes" : "");
out:
	import_secret_wipe(&s);
	return rc;
}

int enroll_add_recovery(struct hostiam_mfa_enrolment *e, const char *code)
{
	char **grown, *hash = NULL;
	int rc;

	grown = realloc(e->recovery, (e->n_recovery + 1) * sizeof(*grown));
	if (grown == NULL) {
		fprintf(stderr, "hostiam: enroll: out of memory\n");
		return HOSTIAM_ERR_NOMEM;
	}
	e->recovery = grown;
	rc = hostiam_recovery_hash(code, &hash);
	if (rc == HOSTIAM_ERR_INVALID_ARG)
		return rc;
	if (rc < 0) {
		fprintf(stderr, "hostiam: enroll: cannot hash a recovery code: %s\n",
			hostiam_strerror(rc));
		return rc;
	}
	e->recovery[e->n_recovery++] = hash;
	return 0;
}

void enroll_wipe_codes(char **codes, size_t n)
{
	size_t i;

	if (codes == NULL)
		return;
	for (i = 0; i < n; i++)
		if (codes[i])
			hostiam_secret_wipe(codes[i], strlen(codes[i]));
	free(codes);
}

/* The key in groups of four for typing by hand: "ABCD EFGH ...". */
static void print_key(const char *b32)
{
	size_t i;

	printf("Key: ");
	for (i = 0; b32[i] != '\0'; i++)
		printf("%s%c", i > 0 && i % 4 == 0 ? " " : "", b32[i]);
	printf("\n");
}

/*
 * The URI, the QR code and the key of e; EXIT_OK or EXIT_FAILED. The QR code needs colour
 * escapes to read on any terminal theme, so it is drawn only on a terminal: redirected to a
 * file or a pipe, the output is plain text, the URI and the key.
 */
static int show_secret(const struct hostiam_config *cfg, const char *user,
		       const struct hostiam_mfa_enrolment *e)
{
	char *b32 = NULL, *uri = NULL;
	int rc = EXIT_FAILED, r;
	bool qr = isatty(STDOUT_FILENO);

	if (strchr(cfg->mfa.issuer, ':') != NULL) {
		fprintf(stderr,
			"hostiam: enroll: mfa.issuer must not contain ':' (the otpauth "
			"URI separates issuer and account with it)\n");
		goto out;
	}
	if ((r = hostiam_base32_encode(e->secret, e->secret_len, &b32)) < 0 ||
	    (r = otpauth_uri(cfg->mfa.issuer, user, b32, &e->params, &uri)) < 0) {
		fprintf(stderr, "hostiam: enroll: cannot build the otpauth URI: %s\n",
			hostiam_strerror(r));
		goto out;
	}
	printf("Add %s to an authenticator app: %sopen the URI, or type the key.\n\n%s\n\n", user,
	       qr ? "scan the QR code, or " : "", uri);
	if (qr && (r = qr_terminal_print(stdout, uri)) < 0) {
		fprintf(stderr, "hostiam: enroll: cannot draw the QR code: %s\n",
			hostiam_strerror(r));
		goto out;
	}
	if (qr)
		printf("\n");
	print_key(b32);
	printf("(%s, %d digits, a new code every %d s)\n\n",
	       otpauth_algorithm_name(e->params.algorithm), e->params.digits, e->params.period);
	rc = EXIT_OK;
out:
	if (b32)
		hostiam_secret_wipe(b32, strlen(b32));
	if (uri)
		hostiam_secret_wipe(uri, strlen(uri));
	return rc;
}

/* Drop the blanks a user may type inside a code ("123 456"). */
static void squeeze(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			*w++ = *s;
	*w = '\0';
}

int enroll_confirm(const struct hostiam_config *cfg, const char *user,
		   struct hostiam_mfa_enrolment *e)
{
	int attempts = isatty(STDIN_FILENO) ? 3 : 1, rc;
	uint64_t step;
	char code[64];

	if (show_secret(cfg, user, e) != EXIT_OK)
		return EXIT_FAILED;
	while (attempts-- > 0) {
		printf("Enter the code from your authenticator to confirm: ");
		fflush(stdout);
		if (read_line(code, sizeof(code)) < 0 && feof(stdin))
			break;
		squeeze(code);
		rc = hostiam_totp_verify(e->secret, e->secret_len, &e->params, code, time(NULL),
					 cfg->mfa.window, 0, &step);
		explicit_bzero(code, sizeof(code));
		if (rc == 0) {
			e->used_step = step; /* spent: it cannot open a login afterwards */
			return EXIT_OK;
		}
		if (rc != HOSTIAM_ERR_NOT_FOUND) {
			fprintf(stderr, "hostiam: enroll: cannot verify: %s\n",
				hostiam_strerror(rc));
			return EXIT_FAILED;
		}
		fprintf(stderr, "hostiam: enroll: that code does not match%s\n",
			attempts > 0 ? "; try again" : "");
	}
	fprintf(stderr,
		"hostiam: enroll: %s was not enrolled: no matching code "
		"(check the phone's clock)\n",
		user);
	return EXIT_FAILED;
}

int enroll_recovery_codes(int n, struct hostiam_mfa_enrolment *e, char ***plain)
{
	char **codes;
	int i, rc = 0;

	if ((codes = calloc((size_t)n, sizeof(*codes))) == NULL)
		goto nomem;
	for (i = 0; i < n && rc == 0; i++) {
		if ((codes[i] = malloc(HOSTIAM_RECOVERY_CODE_SIZE)) == NULL)
			goto nomem;
		rc = hostiam_recovery_generate(codes[i], HOSTIAM_RECOVERY_CODE_SIZE);
		if (rc < 0)
			fprintf(stderr, "hostiam: enroll: cannot make a recovery code: %s\n",
				hostiam_strerror(rc));
		else
			rc = enroll_add_recovery(e, codes[i]);
	}
	if (rc < 0) {
		enroll_wipe_codes(codes, (size_t)n);
		return EXIT_FAILED;
	}
	*plain = codes;
	return EXIT_OK;
nomem:
	fprintf(stderr, "hostiam: enroll: out of memory\n");
	enroll_wipe_codes(codes, codes ? (size_t)n : 0);
	return EXIT_FAILED;
}
