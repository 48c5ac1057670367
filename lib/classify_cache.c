/*
 * classify_cache.c - the block of the fields vet-classify writes
 * (classify.h), from pieces escaped once, and the direct-mapped cache of
 * recent decisions' text.
 */
#include <stdlib.h>
#include <string.h>

#include "vet/classify.h"
#include "classify_impl.h"
#include "policy_impl.h"

/* The most bytes put_digits() writes: a sign and 20 digits. */
#define INT_TEXT_MAX	21

/* Writes v in decimal at b's end; room was made by the caller. */
static void
put_digits(struct vet_buf *b, long v)
{
	char d[24], *e = d + sizeof d;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do {
		*--e = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--e = '-';
	vet_classify__put(b, e, (size_t)(d + sizeof d - e));
}


/* "[" the held codes "]", from their pre-escaped JSON strings. */
static int
add_codes(struct vet_classifier *c, struct vet_buf *b, size_t base,
    const unsigned char *held, size_t n)
{
	const struct vet_cpiece *pc;
	size_t i, need = 2;
	int first = 1;

	for (i = 0; i < n; i++)
		if (held[i])
			need += c->pc.code[base + i].len + 1;
	if (vet_buf_grow(b, need) < 0)
		return VET_ENOMEM;
	vet_classify__put(b, "[", 1);
	for (i = 0; i < n; i++) {
		if (!held[i])
			continue;
		if (!first)
			vet_classify__put(b, ",", 1);
		first = 0;
		pc = &c->pc.code[base + i];
		vet_classify__put(b, c->pc.text + pc->off, pc->len);
	}
	vet_classify__put(b, "]", 1);
	return 0;
}

/* The longest '"key":' of the block with its ',', and some more. */
#define KEY_TEXT_MAX	16

/*
 * Starts the value of key k in the block: its '"key":' (after a ',' but
 * for the first) and where it is.  key_at() writes into room the caller
 * made, block_key() makes it, and room more bytes.
 */
static const char block_ktext[B_N][KEY_TEXT_MAX] = { "\"age\":",
	",\"working_age\":", ",\"categories\":", ",\"priority\":",
	",\"measures\":", ",\"reasons\":", ",\"policy\":", ",\"as_of\":" };

static void
key_at(struct vet_classifier *c, int k)
{
	struct vet_buf *b = &c->block;

	/* The whole array element: a copy of a constant size is a few
	 * moves, and the room is there. */
	memcpy(b->data + b->len, block_ktext[k], KEY_TEXT_MAX);
	b->len += vet_classify__block_klen[k] + 3 + (k > 0);
	c->bval[k].off = b->len;
}

static int
block_key(struct vet_classifier *c, int k, size_t room)
{
	if (vet_buf_grow(&c->block, KEY_TEXT_MAX + room) < 0)
		return VET_ENOMEM;
	key_at(c, k);
	return 0;
}

static void
block_end(struct vet_classifier *c, int k)
{
	c->bval[k].len = c->block.len - c->bval[k].off;
}

/* Writes categories, priority and measures into the block. */
static int
add_decision_text(struct vet_classifier *c)
{
	const struct vet_policy *p = c->p;
	struct vet_buf *b = &c->block;
	int e;

	if ((e = block_key(c, B_CATEGORIES, 0)) < 0 ||
	    (e = add_codes(c, b, 0, c->cat, p->ncats)) < 0)
		return e;
	block_end(c, B_CATEGORIES);
	if ((e = block_key(c, B_PRIORITY, INT_TEXT_MAX)) < 0)
		return e;
	put_digits(b, c->priority);
	block_end(c, B_PRIORITY);
	if ((e = block_key(c, B_MEASURES, 0)) < 0 ||
	    (e = add_codes(c, b, p->ncats, c->meas, p->nmeas)) < 0)
		return e;
	block_end(c, B_MEASURES);
	return 0;
}

/*
 * The same from the text of the decision kept in c->dec, made on its
 * first use.  The table is direct-mapped (a decision replaces another of
 * its slot), and all its text is dropped when dtext passes DEC_TEXT_MAX,
 * so it stays small whatever the input.  It is made at the second
 * decision: 22 KB of zeroes (6 page faults) are a tenth of a one-record
 * run's start.  Without the memory for it, records are written as if
 * there were none.
 */
static int
add_decision(struct vet_classifier *c)
{
	static const int bk[3] = { B_CATEGORIES, B_PRIORITY, B_MEASURES };
	struct vet_buf *b = &c->block;
	struct vet_cdecision *d;
	uint64_t h;
	size_t start = b->len, i;
	int e;

	if (c->dec == NULL && !c->dec_off && c->decided++ > 0 &&
	    (c->dec = calloc(DEC_N, sizeof *c->dec)) == NULL)
		c->dec_off = 1;
	if (c->dec == NULL)
		return add_decision_text(c);
	h = (c->dcats * 0x9e3779b97f4a7c15ULL) ^
	    (c->dmeas * 0xc2b2ae3d27d4eb4fULL) ^ (uint64_t)c->priority;
	d = &c->dec[(h ^ h >> 29) & (DEC_N - 1)];
	if (d->used && d->cats == c->dcats && d->meas == c->dmeas &&
	    d->priority == c->priority) {
		if (vet_buf_grow(b, d->len) < 0)
			return VET_ENOMEM;
		vet_classify__put(b, c->dtext.data + d->off, d->len);
		for (i = 0; i < 3; i++) {
			c->bval[bk[i]].off = start + d->val[i].off;
			c->bval[bk[i]].len = d->val[i].len;
		}
		return 0;
	}
	if ((e = add_decision_text(c)) < 0)
		return e;
	if (c->dtext.len + (b->len - start) > DEC_TEXT_MAX) {
		memset(c->dec, 0, DEC_N * sizeof *c->dec);
		vet_buf_reset(&c->dtext);
	}
	d->used = 0;
	if (vet_buf_grow(&c->dtext, b->len - start) < 0)
		return 0;	/* not kept; the block is written */
	d->off = c->dtext.len;
	d->len = b->len - start;
	vet_classify__put(&c->dtext, b->data + start, d->len);
	for (i = 0; i < 3; i++) {
		d->val[i].off = c->bval[bk[i]].off - start;
		d->val[i].len = c->bval[bk[i]].len;
	}
	d->cats = c->dcats;
	d->meas = c->dmeas;
	d->priority = c->priority;
	d->used = 1;
	return 0;
}

int
vet_classify__build_block(struct vet_classifier *c)
{
	const struct vet_policy *p = c->p;
	struct vet_buf *b = &c->block;
	int e, first = 1;

	vet_buf_reset(b);
	/* Room for both keys, the age and "false". */
	if (vet_buf_grow(b, 2 * KEY_TEXT_MAX + INT_TEXT_MAX + 5) < 0)
		return VET_ENOMEM;
	key_at(c, B_AGE);
	put_digits(b, c->age);
	block_end(c, B_AGE);
	key_at(c, B_WORKING_AGE);
	if (c->working_age < 0)
		vet_classify__put(b, "null", 4);
	else if (c->working_age)
		vet_classify__put(b, "true", 4);
	else
		vet_classify__put(b, "false", 5);
	block_end(c, B_WORKING_AGE);
	if ((e = add_decision(c)) < 0)
		return e;
	if ((e = block_key(c, B_REASONS, 1)) < 0)
		return e;
	vet_classify__put(b, "[", 1);
	if ((e = vet_classify__add_reasons(c, b, 0, p->cats, c->cat,
	    p->ncats, c->dcats, &first)) < 0 ||
	    (e = vet_classify__add_reasons(c, b, p->ncats, p->meas, c->meas,
	    p->nmeas, c->dmeas, &first)) < 0 ||
	    (e = vet_classify__add_time_reasons(c, b, &first)) < 0 ||
	    (e = vet_buf_addch(b, ']')) < 0)
		return e;
	block_end(c, B_REASONS);
	/* The policy and the as-of date, pre-escaped at init. */
	if ((e = vet_buf_add(b, c->tail.data, c->tail.len)) < 0)
		return e;
	c->bval[B_POLICY].off = b->len - c->tail.len + c->tail_policy.off;
	c->bval[B_POLICY].len = c->tail_policy.len;
	c->bval[B_AS_OF].off = b->len - 12;
	c->bval[B_AS_OF].len = 12;
	return 0;
}
