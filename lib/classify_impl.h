/*
 * classify_impl.h - what the files of the classifier share: classify.c
 * (filling the slots, classification, links and the policy's tests),
 * classify_cache.c (the block of the fields it writes, and the cache of
 * recent decisions' text) and classify_reason.c (the reasons).
 */
#ifndef VET_CLASSIFY_IMPL_H
#define VET_CLASSIFY_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/classify.h"
#include "policy_impl.h"

/*
 * The seven fields the event log is the authority for, in the order they
 * are appended when the record lacks them.
 */
enum { F_HOURS, F_REFUSALS, F_EXITED, F_EXIT_DATE, F_EXIT_REASON,
	F_ASSISTED, F_CONTACT };

extern const char *const vet_classify__fact_fields[7];

/* The field of each fact of policy_impl.h, for the `fact:` code. */
extern const int vet_classify__fact_field[VET_FACT_N];

/*
 * The fields classification writes, in the order it appends them (after
 * the changed facts).  vet_classify__build_block() writes them as one run
 * of JSON text '"age":..,...,"as_of":".."', so that a record holding none
 * of them is written as its own text and that run.
 */
enum { B_AGE, B_WORKING_AGE, B_CATEGORIES, B_PRIORITY, B_MEASURES,
	B_REASONS, B_POLICY, B_AS_OF, B_N };

extern const char *const vet_classify__block_keys[B_N];
extern const unsigned char vet_classify__block_klen[B_N];

/* The decisions kept (a power of two) and the most text they hold. */
#define DEC_N		256
#define DEC_TEXT_MAX	(64 * 1024)

/*
 * Writes n bytes at b's end; room was made by the caller (vet_buf_grow),
 * so the block's constant pieces are copied without a check each.
 */
static inline void
vet_classify__put(struct vet_buf *b, const char *s, size_t n)
{
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

/* classify_reason.c: the reasons whose detail cannot change, escaped
 * once at init; the reasons of the held codes (bits: their set, when at
 * most 64); the `fact:` and `dated:` reasons.  0 or VET_ENOMEM. */
int vet_classify__make_reasons(struct vet_classifier *c);
int vet_classify__add_reasons(struct vet_classifier *c, struct vet_buf *b,
    size_t base, const struct vet_pitem *items, const unsigned char *held,
    size_t n, uint64_t bits, int *first);
int vet_classify__add_time_reasons(struct vet_classifier *c,
    struct vet_buf *b, int *first);

/* classify_cache.c: the block of the last record classified, into
 * c->block with each value's place in c->bval.  0 or VET_ENOMEM. */
int vet_classify__build_block(struct vet_classifier *c);

/*
 * The pieces of the built-in policy, written by make (policy_impl.h:
 * struct vet_policy's cpre), and the parameters' values they were made
 * with (per parameter of the policy): a classifier whose as-of date finds
 * the same values takes them instead of making its own, which was a third
 * of a one-record run's instructions.
 */
struct vet_cpre {
	struct vet_cpieces pc;
	size_t nparams;
	const unsigned char *known;
	const double *num;
};

/*
 * classify_emit.c: appends to out the C definition of a const struct
 * vet_cpre named var holding the pieces of p (with no cpre of its own),
 * made for the last date any of its parameters changes value, whose
 * values hold from then on.  0, VET_ENOMEM, or what vet_classify_init()
 * returns, with err set.
 */
int vet_classify__emit_pre(const struct vet_policy *p, const char *var,
    struct vet_buf *out, struct vet_error *err);

#endif
