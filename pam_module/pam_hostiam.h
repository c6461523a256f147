/*
 * pam_hostiam internals shared by the files of the module (and, for the data key, by the
 * auth side that the MFA release adds). Nothing here is exported from the .so: the version
 * script leaves only the pam_sm_* entry points visible.
 */
#ifndef PAM_HOSTIAM_H
#define PAM_HOSTIAM_H

#include <stdbool.h>

#include <security/pam_modules.h>

/*
 * pam_set_data() key, set in the auth stack when a TOTP code was accepted in this PAM
 * transaction. Any non-NULL value means "MFA succeeded"; the account stack then lets an
 * `mfa` decision through. Set only by the module itself (applications cannot set data).
 */
#define HOSTIAM_PAM_MFA_OK "hostiam_mfa_ok"

/* The user named when the configuration cannot be read: it is always let in. */
#define HOSTIAM_PAM_BREAK_GLASS "root"

/* Module options from the PAM stack line. */
struct pam_hostiam_options {
	const char *config;            /* config=FILE; points into argv, or the default */
	bool debug;                    /* debug: log the trace and LOG_DEBUG lines */
};

/* What the policy (or the failure to apply it) says about this login. */
enum pam_hostiam_verdict {
	PAM_HOSTIAM_ALLOW,             /* let in */
	PAM_HOSTIAM_DENY,              /* the policy denies; message says why */
	PAM_HOSTIAM_MFA,               /* a second factor is required */
	PAM_HOSTIAM_ERROR,             /* could not decide; err says why; fails closed */
};

struct pam_hostiam_outcome {
	enum pam_hostiam_verdict verdict;
	int err;                       /* HOSTIAM_ERR_* for PAM_HOSTIAM_ERROR */
	int pam_err;                   /* a PAM code to return as is (0: none), e.g. from
	                                  pam_get_user */
	bool mfa_fresh;                /* MFA: a TOTP success within mfa_max_age counts */
	char message[256];             /* for the user when denied; "" for a default */
};

/* The PAM items a decision is made on; pointers are owned by libpam. */
struct pam_hostiam_items {
	const char *user;
	const char *service;
	const char *rhost;             /* NULL: local */
	const char *tty;               /* NULL: none */
};

/* options.c: fill *opts from argv; unknown options are logged and ignored. */
void pam_hostiam_options_parse(pam_handle_t *pamh, int argc, const char **argv,
			       struct pam_hostiam_options *opts);

/* log_sink.c: route hostiam_log() to pam_syslog(pamh) until pam_hostiam_log_end(). */
void pam_hostiam_log_begin(pam_handle_t *pamh, bool debug);
void pam_hostiam_log_end(void);

struct hostiam_config_errors;

/* log_sink.c: log each configuration error ("configuration error: FILE:LINE: KEY: ..."). */
void pam_hostiam_log_config_errors(const char *path, int rc,
				   const struct hostiam_config_errors *errs);

/*
 * items.c: read PAM_USER, PAM_SERVICE, PAM_RHOST, PAM_TTY; returns a PAM code. With
 * may_prompt, an unset user is asked for (pam_get_user); else it is an error.
 */
int pam_hostiam_get_items(pam_handle_t *pamh, bool may_prompt, struct pam_hostiam_items *it);

/* decide.c: evaluate the policy for this transaction and log the decision line. */
void pam_hostiam_decide(pam_handle_t *pamh, const struct pam_hostiam_options *opts,
			struct pam_hostiam_outcome *out);

/*
 * result.c: turn an outcome into the PAM code to return, telling the user why when denied
 * (unless flags has PAM_SILENT). deny_code is PAM_PERM_DENIED (account) or PAM_AUTH_ERR
 * (auth).
 */
int pam_hostiam_enforce(pam_handle_t *pamh, int flags, const struct pam_hostiam_outcome *out,
			int deny_code);

/* result.c: the PAM code for a hostiam error; deny_code for anything not a system error. */
int pam_hostiam_err_to_pam(int err, int deny_code);

/* session.c: record this login in the state directory; returns a PAM code. */
int pam_hostiam_record_login(pam_handle_t *pamh, const struct pam_hostiam_options *opts);

#endif
