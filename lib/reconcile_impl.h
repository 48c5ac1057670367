/*
 * reconcile_impl.h - private to reconcile*.c: the extract held packed,
 * and the growth of the arrays both files keep.
 *
 * The extract is the one thing vet-reconcile holds whole, so it is held in
 * less than its text: each record as its join id (an 18-character id of
 * the usual form as one 64-bit number), then its fields, each a key
 * number (every distinct key text once, in a dictionary) and a value: true,
 * false and null one byte, the join id itself one byte, a string without
 * its quotes and anything else as its text, after its length.  Records
 * follow each other in one arena, and record i starts at off[i].  A record
 * is unpacked back into a JSON line with the same key and value bytes,
 * and a struct vet_record of spans into it, as vet_record_parse() would
 * have made of the line it came from.
 */
#ifndef VET_RECONCILE_IMPL_H
#define VET_RECONCILE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/hash.h"
#include "vet/record.h"

struct vet_reconcile__key {
	size_t off, len;	/* raw key text in ktext */
	int escaped;
};

struct vet_reconcile__store {
	struct vet_buf pack;	/* the packed records */
	size_t *off;		/* record i starts at pack.data + off[i] */
	size_t n, cap;
	struct vet_buf ktext;	/* the dictionary's key texts */
	struct vet_reconcile__key *key;
	size_t nkey, capkey;
	size_t maxkey;		/* the longest key text */
	struct vet_strmap kmap;	/* key text -> key number */
	size_t *prev;		/* the key numbers of the last record added */
	size_t nprev, capprev;
};

/*
 * Makes room for need elements of size bytes in the array *p of *cap,
 * doubling from 16.  0 or VET_ENOMEM (*p and *cap unchanged then).  The
 * store's arrays and reconcile.c's grow alike.
 */
int vet_reconcile__grow(void **p, size_t *cap, size_t need, size_t size);

void vet_reconcile__store_init(struct vet_reconcile__store *s);
void vet_reconcile__store_release(struct vet_reconcile__store *s);

/*
 * The code of an 18-character id of 17 digits and 0-9 or X, or 0 (for
 * any other id).
 */
uint64_t vet_reconcile__id18_code(const char *p, size_t n);

/*
 * Adds parsed record r, whose join id is id, as record s->n.  0 or
 * VET_ENOMEM (nothing added then).
 */
int vet_reconcile__store_add(struct vet_reconcile__store *s,
    const struct vet_record *r, struct vet_span id);

/*
 * The join id of record i into *id, pointing into the record or into buf.
 * *code gets its vet_reconcile__id18_code() (0 when it has none); with
 * buf NULL, an id of a code is not written (id->p is NULL).
 */
void vet_reconcile__store_id(const struct vet_reconcile__store *s, size_t i,
    char buf[18], struct vet_span *id, uint64_t *code);

/*
 * Record i unpacked into r, its spans pointing into text (reset first),
 * and its join id into *id, pointing into text too.  0 or VET_ENOMEM.
 */
int vet_reconcile__store_get(const struct vet_reconcile__store *s, size_t i,
    struct vet_record *r, struct vet_buf *text, struct vet_span *id);

#endif
