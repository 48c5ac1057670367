/*
 * buf.h - a growable byte buffer, modelled on git's strbuf.
 *
 * Ownership: a struct vet_buf owns data.  vet_buf_init() (or VET_BUF_INIT)
 * makes an empty buffer with data == NULL; every successful add leaves data
 * NUL-terminated (the NUL is not counted in len) so it can be used as a C
 * string.  vet_buf_release() frees data and returns the buffer to its initial
 * state; vet_buf_reset() keeps the memory for reuse, which is what the per
 * record hot paths do.  Functions that grow return 0, or VET_ENOMEM with the
 * buffer unchanged.
 */
#ifndef VET_BUF_H
#define VET_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct vet_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define VET_BUF_INIT { NULL, 0, 0 }

/* A view of bytes owned by someone else; not NUL-terminated. */
struct vet_span {
	const char *p;
	size_t n;
};

void vet_buf_init(struct vet_buf *b);
void vet_buf_release(struct vet_buf *b);
/* Sets len to 0, keeping the allocation. */
void vet_buf_reset(struct vet_buf *b);
/* Ensures room for extra more bytes plus the NUL. */
int vet_buf_grow(struct vet_buf *b, size_t extra);
int vet_buf_add(struct vet_buf *b, const void *p, size_t n);
int vet_buf_addstr(struct vet_buf *b, const char *s);
int vet_buf_addch(struct vet_buf *b, int c);
int vet_buf_addf(struct vet_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* vet_buf_addf() with the arguments as a va_list (ap is used up). */
int vet_buf_vaddf(struct vet_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Shrinks len to n (n <= len). */
void vet_buf_truncate(struct vet_buf *b, size_t n);
/* data, or "" when nothing was ever added. */
const char *vet_buf_str(const struct vet_buf *b);

/* True when the span equals the NUL-terminated string s. */
int vet_span_eq(struct vet_span s, const char *cstr);

#endif
