/*
 * utf8.h - UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF).
 *
 * Ownership: reads the caller's bytes; nothing allocates.
 */
#ifndef VET_UTF8_H
#define VET_UTF8_H

#include <stddef.h>

/*
 * Returns the length of the longest valid UTF-8 prefix of [p, p + n): n
 * when all of it is valid.  A sequence cut off by the end counts as invalid;
 * callers streaming chunks use vet_utf8_tail() to hold it back.
 */
size_t vet_utf8_valid_prefix(const char *p, size_t n);

/* True when all of [p, p + n) is valid UTF-8. */
int vet_utf8_valid(const char *p, size_t n);

/*
 * How many bytes at the end of [p, p + n) (0 to 3) start a multi-byte
 * sequence that the end cuts off, so a stream can carry them to the next
 * chunk.
 */
size_t vet_utf8_tail(const char *p, size_t n);

#endif
