/*
 * buf.c - growable byte buffer (buf.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"

void
vet_buf_init(struct vet_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
vet_buf_release(struct vet_buf *b)
{
	free(b->data);
	vet_buf_init(b);
}

void
vet_buf_reset(struct vet_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

int
vet_buf_grow(struct vet_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return VET_ENOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap < 64 ? 64 : b->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return VET_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
vet_buf_add(struct vet_buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n && vet_buf_grow(b, n) < 0)
		return VET_ENOMEM;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
vet_buf_addstr(struct vet_buf *b, const char *s)
{
	return vet_buf_add(b, s, strlen(s));
}

int
vet_buf_addch(struct vet_buf *b, int c)
{
	if (b->cap - b->len <= 1 && vet_buf_grow(b, 1) < 0)
		return VET_ENOMEM;
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
	return 0;
}

int
vet_buf_addf(struct vet_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vet_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int
vet_buf_vaddf(struct vet_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	/* A second pass may be needed once the length is known, and a
	 * va_list is read once: the copy is for it. */
	va_copy(again, ap);
	if (vet_buf_grow(b, 64) < 0) {
		va_end(again);
		return VET_ENOMEM;
	}
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	if (n < 0) {
		va_end(again);
		/* Only a bad format fails here, and the NUL stays put. */
		b->data[b->len] = '\0';
		return VET_EINTERNAL;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (vet_buf_grow(b, (size_t)n) < 0) {
			va_end(again);
			b->data[b->len] = '\0';
			return VET_ENOMEM;
		}
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, again);
	}
	va_end(again);
	b->len += (size_t)n;
	return 0;
}

void
vet_buf_truncate(struct vet_buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		b->data[n] = '\0';
	}
}

const char *
vet_buf_str(const struct vet_buf *b)
{
	return b->data != NULL ? b->data : "";
}

int
vet_span_eq(struct vet_span s, const char *cstr)
{
	size_t n = strlen(cstr);

	return s.n == n && (n == 0 || memcmp(s.p, cstr, n) == 0);
}
