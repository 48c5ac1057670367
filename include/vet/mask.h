/*
 * mask.h - masking of sensitive personal information (PIPL) for messages
 * and reports (SPEC 4: an id keeps its first 6 and last 4 characters,
 * 110105********123X; a phone 138****5678).
 *
 * Ownership: results go into caller storage; vet_mask_text appends to a
 * caller's buffer.
 */
#ifndef VET_MASK_H
#define VET_MASK_H

#include <stddef.h>

#include "vet/buf.h"

/*
 * Masks an id of n bytes into out (size outsz, NUL-terminated): the first 6
 * and last 4 characters kept, the rest '*'.  Ids shorter than 11 characters
 * are masked whole.  Returns out.
 */
char *vet_mask_id(const char *id, size_t n, char *out, size_t outsz);

/* Masks a phone: an 11-digit mobile keeps 3 + 4 ("138****5678"); anything
 * else keeps its first 3 and last 2 characters at most.  Returns out. */
char *vet_mask_phone(const char *phone, size_t n, char *out, size_t outsz);

/*
 * Appends text with every run that looks like an id or a phone masked: runs
 * of 12 or more digits (a final 'X' or 'x' included) as ids, runs of exactly
 * 11 digits beginning with '1' as mobiles, and the same typed in groups
 * joined by one space or '-' (ids 6-8-4 or 6-6-3, mobiles 3-4-4: the
 * separators are kept); shorter runs (dates, counts, line numbers) are left
 * alone so messages stay readable.  This is the last line of defence in the cli
 * message printer; code that knows it prints an id masks it itself.
 * Returns 0 or VET_ENOMEM.
 */
int vet_mask_text(struct vet_buf *out, const char *s, size_t n);

#endif
