/*
 * error.c - filling and formatting struct vet_error (error.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vet/error.h"

int
vet_error_set(struct vet_error *e, int status, const char *file, long line,
    long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vet_error_vset(e, status, file, line, col, fmt, ap);
	va_end(ap);
	return status;
}

int
vet_error_vset(struct vet_error *e, int status, const char *file, long line,
    long col, const char *fmt, va_list ap)
{
	if (e == NULL)
		return status;
	e->status = status;
	snprintf(e->file, sizeof e->file, "%s", file != NULL ? file : "");
	e->line = line;
	e->col = col;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	return status;
}

int
vet_error_nomem(struct vet_error *e)
{
	return vet_error_set(e, VET_ENOMEM, NULL, 0, 0, "out of memory");
}

void
vet_error_clear(struct vet_error *e)
{
	if (e == NULL)
		return;
	/* Not a memset of all 784 bytes: the record loops clear before
	 * every line, and an empty string is all that "no error" needs. */
	e->status = 0;
	e->file[0] = '\0';
	e->line = e->col = 0;
	e->msg[0] = '\0';
}

char *
vet_error_format(const struct vet_error *e, char *out, size_t n)
{
	size_t len = 0;
	int k;

	out[0] = '\0';
	if (e->file[0] != '\0') {
		if (e->line > 0 && e->col > 0)
			k = snprintf(out, n, "%s:%ld:%ld: ", e->file, e->line,
			    e->col);
		else if (e->line > 0)
			k = snprintf(out, n, "%s:%ld: ", e->file, e->line);
		else
			k = snprintf(out, n, "%s: ", e->file);
		if (k > 0)
			len = (size_t)k < n ? (size_t)k : n - 1;
	}
	snprintf(out + len, n - len, "%s", e->msg);
	return out;
}

int
vet_status_exit(int status)
{
	switch (status) {
	case VET_OK:
		return 0;
	case VET_EIO:
		return 74;
	case VET_EDATA:
		return 65;
	case VET_EUSAGE:
		return 64;
	case VET_ECONFIG:
		return 78;
	case VET_ENOENT:
		return 66;
	case VET_ENOMEM:
	case VET_EINTERNAL:
	default:
		return 70;
	}
}
