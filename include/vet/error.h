/*
 * error.h - status codes and the error record every lib function fills.
 *
 * Ownership: a struct vet_error is plain storage owned by the caller; it holds
 * no pointers and needs no release.  Every lib function that can fail takes a
 * struct vet_error * (which may be NULL when the caller does not care), fills
 * it, and returns a negative enum vet_status.  The library never prints and
 * never exits; only cmd/ and lib/cli.c turn a status into a message and an
 * exit code.
 *
 * Messages follow the project style: lowercase, no trailing period, the
 * subject quoted ('trainng_hours').  A message never contains a full id or
 * phone number: use vet_mask_id()/vet_mask_phone() from mask.h.
 */
#ifndef VET_ERROR_H
#define VET_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum vet_status {
	VET_OK = 0,
	VET_ENOMEM = -1,	/* out of memory (exit 70) */
	VET_EIO = -2,		/* read or write failed (exit 74) */
	VET_EDATA = -3,		/* bad input record or value (exit 65) */
	VET_EUSAGE = -4,	/* bad argument (exit 64) */
	VET_ECONFIG = -5,	/* bad policy or mapping file (exit 78) */
	VET_ENOENT = -6,	/* cannot open input (exit 66) */
	VET_EINTERNAL = -7	/* a bug (exit 70) */
};

struct vet_error {
	int status;		/* an enum vet_status */
	char file[256];		/* "" when not about a file */
	long line;		/* 1-based; 0 when unknown */
	long col;		/* 1-based byte column; 0 when unknown */
	char msg[512];
};

/*
 * Fills e (when not NULL) and returns status, so that a caller can write
 * `return vet_error_set(err, VET_EDATA, NULL, 0, 0, "bad '%s'", s);`.
 * file may be NULL.
 */
int vet_error_set(struct vet_error *e, int status, const char *file,
    long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* vet_error_set() with the arguments of fmt as a va_list. */
int vet_error_vset(struct vet_error *e, int status, const char *file,
    long line, long col, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

/*
 * Fills e with the one out-of-memory error ("out of memory", no file) and
 * returns VET_ENOMEM: `return vet_error_nomem(err);`.
 */
int vet_error_nomem(struct vet_error *e);

/* Resets e to "no error": status 0, file and msg empty, line and col 0. */
void vet_error_clear(struct vet_error *e);

/*
 * Writes "FILE:LINE:COL: MSG" into out (size n, always NUL-terminated),
 * leaving out the parts that are unknown.  Returns out.
 */
char *vet_error_format(const struct vet_error *e, char *out, size_t n);

/* The sysexits-style exit code of SPEC section 3 for a status. */
int vet_status_exit(int status);

#endif
