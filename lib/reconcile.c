/*
 * reconcile.c - 数据比对 (reconcile.h): the extract in memory, indexed by id
 * and by name + birth date, the ledger streamed against it, and the diff
 * records and --apply changes SPEC 3 "The default reconcile, exactly" asks
 * for.
 *
 * Memory: the extract is held packed (reconcile_impl.h), in less than its
 * text, with an offset per record and two open-addressing indexes of
 * 8-byte slots (a 32-bit fingerprint of the hash and a record number), by
 * id and by name + birth date, and a bit per record for "its id is in the
 * ledger".  A ledger record costs nothing kept when its id is in the
 * extract (that bit finds its duplicates); one whose id the extract lacks
 * costs its id, to find duplicates, and its rendered only_in_ledger line,
 * since whether a probable match explains it is only known at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/hash.h"
#include "vet/id.h"
#include "vet/json.h"
#include "vet/policy.h"
#include "vet/reconcile.h"
#include "vet/record.h"

#include "reconcile_impl.h"

/* vet_reconcile_end() hands the diff back to the caller at about this size. */
#define END_CHUNK ((size_t)64 << 10)

/* Longest field name looked up in the policy's authority lists. */
#define KEY_MAX 128

/* Records with at most this many fields are searched without a table. */
#define XK_LINEAR 16

/*
 * An index of numbered things (extract records, the ledger ids the
 * extract lacks, the fields of a wide extract record): slots of the
 * hash's upper 32 bits (which also place the slot, so the table grows
 * without hashing again) and the number + 1 (0: empty).  Equal keys (the
 * name + birth date index) each have a slot; the caller compares the
 * keys of the numbers itab_next() offers.
 */
struct itab {
	uint64_t *s;
	size_t cap;		/* a power of two, at most 2^32, or 0 */
	size_t n;
};

/* A ledger record that may be the other half of a probable match. */
struct cand {
	size_t ent;		/* the extract record */
	size_t pend;		/* its pending only_in_ledger, index + 1, or 0 */
	size_t off, len;	/* the rendered probable_match line in c_text */
};

/* A candidate's place in the order of vet_reconcile_end(). */
struct corder {
	size_t ent;		/* its extract record */
	size_t c;		/* its index in cand */
};

/* A rendered only_in_ledger line, written at the end unless explained. */
struct pend {
	size_t off, len;	/* in p_text */
	int explained;
};

/* One change --apply makes. */
struct change {
	size_t lf;		/* ledger field index, or SIZE_MAX when absent */
	size_t xf;		/* extract field index */
};

/*
 * The ledger ids seen, for `duplicate`: every ledger record adds one, so
 * the ids of the usual form, 17 digits and a check character 0-9 or X,
 * are kept as one 64-bit number each (17 digits x 11 < 2^64) in a table of
 * those numbers, about 16 bytes a record instead of the id's bytes, its
 * length and a hash slot.  Other ids go to lids and lid.
 */
struct idset {
	uint64_t *s;		/* 0: empty; else the code + 1 */
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

struct vet_reconcile {
	const struct vet_policy *pol;
	const char *source;
	char date[11];
	int apply;
	int started;		/* the first ledger line was taken */

	struct vet_reconcile__store x;	/* the extract records */
	struct itab xid;	/* by id */
	struct itab xnb;	/* by name + birth date */
	uint64_t *seen;		/* a bit per extract record: id in the ledger */

	/* The ledger ids the extract lacks, for `duplicate`. */
	struct vet_buf lids;	/* their bytes, one after another */
	size_t *lidoff;		/* ledger id k starts at lids.data + lidoff[k] */
	size_t nlid, caplid;
	struct itab lid;	/* by id */
	struct idset lid18;	/* ledger ids of the 18-character form */

	struct cand *cand;
	size_t ncand, capcand;
	struct corder *corder;	/* at the end: cand by extract record */
	struct vet_buf c_text;
	struct pend *pend;
	size_t npend, cappend;
	struct vet_buf p_text;

	/* per-record scratch, reused */
	struct vet_record lrec, xrec, vrec;
	struct vet_buf t_id, t_name, t_birth, t_key, t_xkeys, t_nb;
	struct vet_buf t_xtext, t_vtext, t_vnb;	/* unpacked records */
	struct vet_span *xkey;	/* decoded keys of xrec's fields */
	unsigned char *xused;
	size_t capx, capused;
	struct itab xk;		/* xrec's fields by decoded key */
	struct change *chg;
	size_t capchg;
	struct vet_fieldset fs;

	/* vet_reconcile_end() */
	int end_phase;
	size_t end_i, end_c;

	struct vet_reconcile_counts counts;
};

static uint64_t
hash_bytes(const char *p, size_t n)
{
	return vet_hash(p, n);
}

/* A 64-bit mix of an id code, whose low and high bits all vary. */
static uint64_t
mix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

/* The hash of join id [p, p + n) with code (vet_reconcile__id18_code). */
static uint64_t
id_hash(const char *p, size_t n, uint64_t code)
{
	return code != 0 ? mix64(code) : vet_hash(p, n);
}

/* Makes room for one more record, keeping the load at most one half. */
static int
itab_reserve(struct itab *t)
{
	uint64_t *ns;
	size_t ncap, i, j;

	if (t->cap != 0 && (t->n + 1) * 2 <= t->cap)
		return 0;
	ncap = t->cap ? t->cap * 2 : 64;
	if (ncap > ((size_t)1 << 31 << 1) || ncap > SIZE_MAX / sizeof *ns ||
	    (ns = calloc(ncap, sizeof *ns)) == NULL)
		return VET_ENOMEM;
	for (i = 0; i < t->cap; i++) {
		if (t->s[i] == 0)
			continue;
		for (j = (size_t)(t->s[i] >> 32) & (ncap - 1); ns[j] != 0;
		    j = (j + 1) & (ncap - 1))
			;
		ns[j] = t->s[i];
	}
	free(t->s);
	t->s = ns;
	t->cap = ncap;
	return 0;
}

/* Adds record number x under hash h; itab_reserve() made room. */
static void
itab_put(struct itab *t, uint64_t h, size_t x)
{
	size_t i, mask = t->cap - 1;

	for (i = (size_t)(h >> 32) & mask; t->s[i] != 0; i = (i + 1) & mask)
		;
	t->s[i] = (h >> 32 << 32) | (uint64_t)(x + 1);
	t->n++;
}

/*
 * The records under hash h, one at a time: *pos starts at ITAB_START;
 * returns the next record number + 1, or 0 when there are no more.
 */
#define ITAB_START SIZE_MAX

static size_t
itab_next(const struct itab *t, uint64_t h, size_t *pos)
{
	size_t i, mask = t->cap - 1;

	if (t->cap == 0)
		return 0;
	i = *pos == ITAB_START ? (size_t)(h >> 32) & mask :
	    (*pos + 1) & mask;
	for (; t->s[i] != 0; i = (i + 1) & mask)
		if (t->s[i] >> 32 == h >> 32) {
			*pos = i;
			return (size_t)(uint32_t)t->s[i];
		}
	return 0;
}

static void
itab_release(struct itab *t)
{
	free(t->s);
	t->s = NULL;
	t->cap = t->n = 0;
}

/* The extract record of join id (code, hash h) + 1, or 0. */
static size_t
find_extract(const struct vet_reconcile *rc, struct vet_span id,
    uint64_t code, uint64_t h)
{
	struct vet_span e;
	size_t pos = ITAB_START, v;
	uint64_t ecode;

	while ((v = itab_next(&rc->xid, h, &pos)) != 0) {
		vet_reconcile__store_id(&rc->x, v - 1, NULL, &e, &ecode);
		if (code != 0 ? ecode == code : ecode == 0 && e.n == id.n &&
		    memcmp(e.p, id.p, id.n) == 0)
			return v;
	}
	return 0;
}

static int
is_seen(const struct vet_reconcile *rc, size_t i)
{
	return rc->seen != NULL && (rc->seen[i / 64] >> (i % 64) & 1);
}

/* Adds code k (nonzero): 1 when new, 0 when already there, or
 * VET_ENOMEM.  The load stays at most one half. */
static int
idset_add(struct idset *t, uint64_t k)
{
	uint64_t *ns, h;
	size_t ncap, i, j;

	if (t->cap == 0 || (t->n + 1) * 2 > t->cap) {
		ncap = t->cap ? t->cap * 2 : 1024;
		if (ncap > SIZE_MAX / sizeof *ns ||
		    (ns = calloc(ncap, sizeof *ns)) == NULL)
			return VET_ENOMEM;
		for (i = 0; i < t->cap; i++) {
			if (t->s[i] == 0)
				continue;
			h = t->s[i] * 0x9e3779b97f4a7c15ULL;
			for (j = (size_t)(h >> 20) & (ncap - 1); ns[j] != 0;
			    j = (j + 1) & (ncap - 1))
				;
			ns[j] = t->s[i];
		}
		free(t->s);
		t->s = ns;
		t->cap = ncap;
	}
	h = k * 0x9e3779b97f4a7c15ULL;
	for (i = (size_t)(h >> 20) & (t->cap - 1); t->s[i] != 0;
	    i = (i + 1) & (t->cap - 1))
		if (t->s[i] == k)
			return 0;
	t->s[i] = k;
	t->n++;
	return 1;
}

/* Ledger id k (the extract lacks it) + 1 when it is id (hash h), or 0. */
static size_t
find_lid(const struct vet_reconcile *rc, struct vet_span id, uint64_t h)
{
	size_t pos = ITAB_START, v, start, end;

	while ((v = itab_next(&rc->lid, h, &pos)) != 0) {
		start = rc->lidoff[v - 1];
		end = v < rc->nlid ? rc->lidoff[v] : rc->lids.len;
		if (end - start == id.n &&
		    memcmp(rc->lids.data + start, id.p, id.n) == 0)
			return v;
	}
	return 0;
}

/* The field of rc->xrec of decoded key k (hash h), index + 1, or 0. */
static size_t
find_xk(const struct vet_reconcile *rc, struct vet_span k, uint64_t h)
{
	size_t pos = ITAB_START, v;

	while ((v = itab_next(&rc->xk, h, &pos)) != 0)
		if (rc->xkey[v - 1].n == k.n &&
		    memcmp(rc->xkey[v - 1].p, k.p, k.n) == 0)
			return v;
	return 0;
}

int
vet_reconcile_init(struct vet_reconcile **out, const struct vet_policy *p,
    const char *source, vet_day as_of, int apply, struct vet_error *err)
{
	struct vet_reconcile *rc;

	*out = NULL;
	if ((rc = calloc(1, sizeof *rc)) == NULL)
		return vet_error_nomem(err);
	rc->pol = p;
	rc->source = source;
	vet_date_format(as_of, rc->date);
	rc->apply = apply;
	vet_reconcile__store_init(&rc->x);
	vet_buf_init(&rc->lids);
	vet_buf_init(&rc->c_text);
	vet_buf_init(&rc->p_text);
	vet_buf_init(&rc->t_id);
	vet_buf_init(&rc->t_name);
	vet_buf_init(&rc->t_birth);
	vet_buf_init(&rc->t_key);
	vet_buf_init(&rc->t_xkeys);
	vet_buf_init(&rc->t_nb);
	vet_buf_init(&rc->t_xtext);
	vet_buf_init(&rc->t_vtext);
	vet_buf_init(&rc->t_vnb);
	vet_record_init(&rc->lrec);
	vet_record_init(&rc->xrec);
	vet_record_init(&rc->vrec);
	vet_fieldset_init(&rc->fs);
	*out = rc;
	return 0;
}

void
vet_reconcile_release(struct vet_reconcile *rc)
{
	if (rc == NULL)
		return;
	vet_reconcile__store_release(&rc->x);
	vet_buf_release(&rc->lids);
	vet_buf_release(&rc->c_text);
	vet_buf_release(&rc->p_text);
	vet_buf_release(&rc->t_id);
	vet_buf_release(&rc->t_name);
	vet_buf_release(&rc->t_birth);
	vet_buf_release(&rc->t_key);
	vet_buf_release(&rc->t_xkeys);
	vet_buf_release(&rc->t_nb);
	vet_buf_release(&rc->t_xtext);
	vet_buf_release(&rc->t_vtext);
	vet_buf_release(&rc->t_vnb);
	vet_record_release(&rc->lrec);
	vet_record_release(&rc->xrec);
	vet_record_release(&rc->vrec);
	vet_fieldset_release(&rc->fs);
	itab_release(&rc->xid);
	itab_release(&rc->xnb);
	free(rc->seen);
	itab_release(&rc->lid);
	free(rc->lidoff);
	free(rc->lid18.s);
	itab_release(&rc->xk);
	free(rc->cand);
	free(rc->corder);
	free(rc->pend);
	free(rc->xkey);
	free(rc->xused);
	free(rc->chg);
	free(rc);
}

void
vet_reconcile_counts(const struct vet_reconcile *rc,
    struct vet_reconcile_counts *out)
{
	*out = rc->counts;
}


/* Drops a trailing '\r', which CRLF files leave on every line. */
static size_t
trim_cr(const char *p, size_t n)
{
	return n > 0 && p[n - 1] == '\r' ? n - 1 : n;
}

/*
 * SPEC: both sides are read as vet-intake reads them, so an id is joined
 * in its normal form (spaces out, full-width folded, a lower-case x, 15
 * digits upgraded).  One that does not normalise, a mistyped id, is kept
 * as typed: it is what the probable matches are for.  *id may point into
 * tmp; then the normal form is written over it.
 */
static int
join_id(struct vet_buf *tmp, struct vet_span *id)
{
	char out[19];

	if (id->n == 18 && vet_id_valid(id->p, 18))
		return 0;
	/* The birth date is not checked against a day: a ledger of any
	 * date joins the same way. */
	if (vet_id_normalize(id->p, id->n, INT32_MAX, out, NULL, NULL) < 0)
		return 0;
	vet_buf_reset(tmp);
	if (vet_buf_add(tmp, out, 18) < 0)
		return VET_ENOMEM;
	id->p = tmp->data;
	id->n = 18;
	return 0;
}

/* The decoded id of a parsed record, normalised for the join, into *id
 * (pointing into the line or tmp): 0, or VET_EDATA with the reason. */
static int
record_id(const struct vet_record *r, struct vet_buf *tmp,
    struct vet_span *id, struct vet_error *err)
{
	int rc = vet_record_str(r, "id", tmp, id);

	if (rc == VET_EDATA)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field 'id' must be a string");
	if (rc < 0)
		return vet_error_nomem(err);
	if (rc == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field 'id'");
	if (id->n == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field 'id' is empty");
	if (join_id(tmp, id) < 0)
		return vet_error_nomem(err);
	return 0;
}

/*
 * The name + birth date key of record r with id id into rc->t_nb: 1, or 0
 * when r has no string name or no birth date.  An absent birth_date is
 * read from the id (SPEC 2.1: birth_date is derived from id when absent).
 */
static int
nb_key(struct vet_reconcile *rc, const struct vet_record *r,
    struct vet_span id, struct vet_buf *out)
{
	struct vet_span name, birth;
	char id18[19], date[11];
	vet_day d;
	int k;

	vet_buf_reset(out);
	if (vet_record_str(r, "name", &rc->t_name, &name) != 1 ||
	    name.n == 0 || memchr(name.p, '\0', name.n) != NULL)
		return 0;
	k = vet_record_str(r, "birth_date", &rc->t_birth, &birth);
	if (k < 0)
		return 0;
	if (k == 0) {
		if (id.n == 18)
			memcpy(id18, id.p, 18);
		else if (id.n == 15) {
			memcpy(id18, id.p, 6);
			id18[6] = '1';
			id18[7] = '9';
			memcpy(id18 + 8, id.p + 6, 9);
			id18[17] = '0';
		} else
			return 0;
		id18[18] = '\0';
		if (vet_id_birth(id18, &d) < 0)
			return 0;
		vet_date_format(d, date);
		birth.p = date;
		birth.n = 10;
	}
	if (vet_buf_add(out, name.p, name.n) < 0 ||
	    vet_buf_addch(out, '\0') < 0 ||
	    vet_buf_add(out, birth.p, birth.n) < 0)
		return VET_ENOMEM;
	return 1;
}

static int
add_idstr(struct vet_buf *b, const char *key, const char *p, size_t n)
{
	if (vet_buf_addstr(b, key) < 0)
		return VET_ENOMEM;
	return vet_json_add_string(b, p, n);
}

int
vet_reconcile_extract(struct vet_reconcile *rc, const char *p, size_t n,
    struct vet_buf *diff, struct vet_error *err)
{
	struct vet_span id;
	uint64_t code, h;
	int r;

	if (rc->started)
		return vet_error_set(err, VET_EINTERNAL, NULL, 0, 0,
		    "extract line after the first ledger line");
	n = trim_cr(p, n);
	if ((r = vet_record_parse(&rc->xrec, p, n, err)) < 0 ||
	    (r = vet_record_once(&rc->xrec, "id", p, err)) < 0)
		return r;
	if ((r = record_id(&rc->xrec, &rc->t_id, &id, err)) < 0)
		return r;
	code = vet_reconcile__id18_code(id.p, id.n);
	h = id_hash(id.p, id.n, code);
	if (find_extract(rc, id, code, h) != 0) {
		if (add_idstr(diff, "{\"diff\":\"duplicate\",\"id\":",
		    id.p, id.n) < 0 || vet_buf_addstr(diff,
		    ",\"side\":\"extract\"}\n") < 0)
			return vet_error_nomem(err);
		rc->counts.duplicate++;
		return 0;
	}
	/* Record numbers are 32-bit in the indexes. */
	if (rc->x.n >= UINT32_MAX - 1 || itab_reserve(&rc->xid) < 0 ||
	    itab_reserve(&rc->xnb) < 0)
		return vet_error_nomem(err);
	if ((r = nb_key(rc, &rc->xrec, id, &rc->t_nb)) < 0 ||
	    vet_reconcile__store_add(&rc->x, &rc->xrec, id) < 0)
		return vet_error_nomem(err);
	itab_put(&rc->xid, h, rc->x.n - 1);
	if (r == 1)
		itab_put(&rc->xnb, vet_hash(rc->t_nb.data, rc->t_nb.len),
		    rc->x.n - 1);
	rc->counts.extract_records++;
	return 0;
}

/* A field's key, decoded when it has escapes (into tmp, reset first). */
static int
field_key(const struct vet_field *f, struct vet_buf *tmp,
    struct vet_span *out)
{
	if (!f->key_escaped) {
		*out = f->key;
		return 0;
	}
	vet_buf_reset(tmp);
	/* vet_json_unescape takes the string with its quotes, which the
	 * record's key span lacks but which surround it in the line. */
	if (vet_json_unescape(tmp, (struct vet_span){ f->key.p - 1,
	    f->key.n + 2 }) < 0)
		return VET_ENOMEM;
	out->p = tmp->data != NULL ? tmp->data : "";
	out->n = tmp->len;
	return 0;
}

static int
is_null(struct vet_span v)
{
	return vet_json_type_of(v) == VET_JSON_NULL;
}

/* Only a key shorter than KEY_MAX and without a NUL can be one
 * (apply_changes() copies such a key into a KEY_MAX buffer). */
static int
is_authority(const struct vet_reconcile *rc, struct vet_span key)
{
	if (key.n >= KEY_MAX || memchr(key.p, '\0', key.n) != NULL)
		return 0;
	return vet_policy_is_authority(rc->pol, rc->source, key.p, key.n);
}

/*
 * Indexes the fields of rc->xrec by decoded key, the first occurrence of a
 * key winning, so each ledger field finds its extract field in constant
 * time whatever the size of the records.
 */
static int
index_extract(struct vet_reconcile *rc)
{
	const struct vet_record *x = &rc->xrec;
	size_t i, room = 0;
	uint64_t h;

	if (vet_reconcile__grow((void **)&rc->xkey, &rc->capx, x->n,
	    sizeof *rc->xkey) < 0 ||
	    vet_reconcile__grow((void **)&rc->xused, &rc->capused, x->n, 1) < 0)
		return VET_ENOMEM;
	if (x->n > 0)
		memset(rc->xused, 0, x->n);
	/*
	 * Escaped keys are decoded into one buffer, grown first to the raw
	 * length of them all (decoding never lengthens a JSON string), so
	 * the spans into it stay valid.
	 */
	vet_buf_reset(&rc->t_xkeys);
	for (i = 0; i < x->n; i++)
		if (x->fields[i].key_escaped)
			room += x->fields[i].key.n + 2;
	if (room > 0 && vet_buf_grow(&rc->t_xkeys, room) < 0)
		return VET_ENOMEM;
	for (i = 0; i < x->n; i++) {
		const struct vet_field *f = &x->fields[i];
		size_t o = rc->t_xkeys.len;

		if (!f->key_escaped) {
			rc->xkey[i] = f->key;
			continue;
		}
		if (vet_json_unescape(&rc->t_xkeys, (struct vet_span){
		    f->key.p - 1, f->key.n + 2 }) < 0)
			return VET_ENOMEM;
		rc->xkey[i].p = rc->t_xkeys.data + o;
		rc->xkey[i].n = rc->t_xkeys.len - o;
	}
	/* Small records are searched linearly; a table only pays off, and
	 * is only needed against quadratic time, for large ones. */
	if (x->n <= XK_LINEAR)
		return 0;
	if (rc->xk.cap > 8 * x->n)
		itab_release(&rc->xk);
	rc->xk.n = 0;
	if (rc->xk.cap != 0)
		memset(rc->xk.s, 0, rc->xk.cap * sizeof *rc->xk.s);
	for (i = 0; i < x->n; i++) {
		if (itab_reserve(&rc->xk) < 0)
			return VET_ENOMEM;
		h = hash_bytes(rc->xkey[i].p, rc->xkey[i].n);
		if (find_xk(rc, rc->xkey[i], h) == 0)
			itab_put(&rc->xk, h, i);
	}
	return 0;
}

/* The extract field index + 1 for decoded key k, or 0. */
static size_t
extract_field(struct vet_reconcile *rc, struct vet_span k)
{
	size_t i;

	if (rc->xrec.n <= XK_LINEAR) {
		for (i = 0; i < rc->xrec.n; i++)
			if (rc->xkey[i].n == k.n &&
			    memcmp(rc->xkey[i].p, k.p, k.n) == 0)
				return i + 1;
		return 0;
	}
	return find_xk(rc, k, hash_bytes(k.p, k.n));
}

static int
add_district(struct vet_buf *b, const struct vet_record *l)
{
	const struct vet_field *d = vet_record_get(l, "district");

	if (vet_buf_addstr(b, ",\"district\":") < 0)
		return VET_ENOMEM;
	if (d == NULL)
		return vet_buf_addstr(b, "null");
	return vet_buf_add(b, d->val.p, d->val.n);
}

/* Field f's value is one of the policy's scalars vals (true and false
 * for a JSON bool, a code for a string). */
static int
value_in(const struct vet_field *f, const char *const *vals, size_t n)
{
	size_t i;

	if (f == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (f->type == VET_JSON_STRING ?
		    vet_json_string_eq(f->val, vals[i]) :
		    (f->type == VET_JSON_TRUE || f->type == VET_JSON_FALSE) &&
		    f->val.n == strlen(vals[i]) &&
		    memcmp(f->val.p, vals[i], f->val.n) == 0)
			return 1;
	return 0;
}

/*
 * The policy's contradictions between the ledger record and its extract
 * record, in the policy's order, to diff.  They are found on the records
 * as read, so --apply, which may then set the extract's field, never
 * resolves one.
 */
static int
contradictions(struct vet_reconcile *rc, struct vet_span id,
    struct vet_buf *diff)
{
	const struct vet_policy_contradiction *c;
	const struct vet_field *lf, *xf;
	size_t i;

	for (i = 0; i < vet_policy_ncontradictions(rc->pol); i++) {
		c = vet_policy_contradiction(rc->pol, i);
		lf = vet_record_get(&rc->lrec, c->ledger);
		xf = vet_record_get(&rc->xrec, c->extract);
		if (!value_in(lf, c->ledger_values, c->nledger) ||
		    !value_in(xf, c->extract_values, c->nextract))
			continue;
		if (add_idstr(diff, "{\"diff\":\"contradiction\",\"id\":",
		    id.p, id.n) < 0 || add_district(diff, &rc->lrec) < 0 ||
		    vet_buf_addstr(diff, ",\"fields\":[") < 0 ||
		    vet_json_add_string(diff, c->ledger, strlen(c->ledger)) < 0 ||
		    vet_buf_addch(diff, ',') < 0 ||
		    vet_json_add_string(diff, c->extract,
		    strlen(c->extract)) < 0 ||
		    vet_buf_addstr(diff, "],\"ledger\":") < 0 ||
		    vet_buf_add(diff, lf->val.p, lf->val.n) < 0 ||
		    vet_buf_addstr(diff, ",\"extract\":") < 0 ||
		    vet_buf_add(diff, xf->val.p, xf->val.n) < 0 ||
		    vet_buf_addstr(diff, ",\"hint\":") < 0 ||
		    vet_json_add_string(diff, c->hint, strlen(c->hint)) < 0 ||
		    vet_buf_addstr(diff, "}\n") < 0)
			return VET_ENOMEM;
		rc->counts.contradiction++;
	}
	return 0;
}

/*
 * Compares the ledger record with its extract record: conflict records to
 * diff and, with apply, the changes into rc->chg (*nchg of them).
 */
static int
compare(struct vet_reconcile *rc, struct vet_span id, struct vet_buf *diff,
    size_t *nchg)
{
	const struct vet_record *l = &rc->lrec, *x = &rc->xrec;
	struct vet_span k;
	size_t i, j;
	int auth;

	*nchg = 0;
	if (index_extract(rc) < 0 || vet_reconcile__grow((void **)&rc->chg,
	    &rc->capchg, l->n + x->n, sizeof *rc->chg) < 0)
		return VET_ENOMEM;
	for (i = 0; i < l->n; i++) {
		const struct vet_field *f = &l->fields[i];

		if (field_key(f, &rc->t_key, &k) < 0)
			return VET_ENOMEM;
		if (k.n == 2 && memcmp(k.p, "id", 2) == 0)
			continue;
		if ((j = extract_field(rc, k)) == 0 || rc->xused[j - 1])
			continue;	/* absent, or a repeated ledger key */
		j--;
		rc->xused[j] = 1;
		if (is_null(x->fields[j].val))
			continue;
		auth = is_authority(rc, k);
		if (is_null(f->val)) {
			if (rc->apply && auth)
				rc->chg[(*nchg)++] = (struct change){ i, j };
			continue;
		}
		if (vet_reconcile_json_equal(f->val, x->fields[j].val))
			continue;
		if (add_idstr(diff, "{\"diff\":\"conflict\",\"id\":", id.p,
		    id.n) < 0 || add_district(diff, l) < 0 ||
		    vet_buf_addstr(diff, ",\"field\":") < 0 ||
		    vet_json_add_string(diff, k.p, k.n) < 0 ||
		    vet_buf_addstr(diff, ",\"ledger\":") < 0 ||
		    vet_buf_add(diff, f->val.p, f->val.n) < 0 ||
		    vet_buf_addstr(diff, ",\"extract\":") < 0 ||
		    vet_buf_add(diff, x->fields[j].val.p,
		    x->fields[j].val.n) < 0 ||
		    vet_buf_addstr(diff, auth ? ",\"authority\":true}\n" :
		    ",\"authority\":false}\n") < 0)
			return VET_ENOMEM;
		rc->counts.conflict++;
		if (rc->apply && auth)
			rc->chg[(*nchg)++] = (struct change){ i, j };
	}
	if (contradictions(rc, id, diff) < 0)
		return VET_ENOMEM;
	if (!rc->apply)
		return 0;
	/* Authority fields the ledger lacks, in the extract's order; a key
	 * repeated in the extract counts once, at its first occurrence. */
	for (j = 0; j < x->n; j++) {
		k = rc->xkey[j];
		if (rc->xused[j] || extract_field(rc, k) != j + 1 ||
		    is_null(x->fields[j].val) ||
		    (k.n == 2 && memcmp(k.p, "id", 2) == 0) ||
		    !is_authority(rc, k))
			continue;
		rc->chg[(*nchg)++] = (struct change){ SIZE_MAX, j };
	}
	return 0;
}

/* Writes the changes: each field set, then `reconciled` extended. */
static int
apply_changes(struct vet_reconcile *rc, size_t nchg, struct vet_buf *out)
{
	const struct vet_record *l = &rc->lrec, *x = &rc->xrec;
	const struct vet_field *old;
	struct vet_span k, inner;
	struct vet_buf *v;
	char key[KEY_MAX];
	size_t i;

	vet_fieldset_reset(&rc->fs);
	for (i = 0; i < nchg; i++) {
		const struct vet_field *xf = &x->fields[rc->chg[i].xf];

		k = rc->xkey[rc->chg[i].xf];
		/* is_authority() let only short keys without NUL through. */
		memcpy(key, k.p, k.n);
		key[k.n] = '\0';
		if (vet_fieldset_add_raw(&rc->fs, key, xf->val.p,
		    xf->val.n) < 0)
			return VET_ENOMEM;
	}
	inner.p = "";
	inner.n = 0;
	if ((old = vet_record_get(l, "reconciled")) != NULL &&
	    vet_json_type_of(old->val) == VET_JSON_ARRAY) {
		inner.p = old->val.p + 1;
		inner.n = old->val.n - 2;
		while (inner.n > 0 && (inner.p[0] == ' ' ||
		    inner.p[0] == '\t' || inner.p[0] == '\r' ||
		    inner.p[0] == '\n')) {
			inner.p++;
			inner.n--;
		}
		while (inner.n > 0 && (inner.p[inner.n - 1] == ' ' ||
		    inner.p[inner.n - 1] == '\t' ||
		    inner.p[inner.n - 1] == '\r' ||
		    inner.p[inner.n - 1] == '\n'))
			inner.n--;
	}
	if ((v = vet_fieldset_begin(&rc->fs, "reconciled")) == NULL ||
	    vet_buf_addch(v, '[') < 0 || vet_buf_add(v, inner.p, inner.n) < 0)
		return VET_ENOMEM;
	for (i = 0; i < nchg; i++) {
		const struct vet_field *xf = &x->fields[rc->chg[i].xf];
		const struct vet_field *lf = rc->chg[i].lf == SIZE_MAX ? NULL :
		    &l->fields[rc->chg[i].lf];

		k = rc->xkey[rc->chg[i].xf];
		if ((i > 0 || inner.n > 0) && vet_buf_addch(v, ',') < 0)
			return VET_ENOMEM;
		if (vet_buf_addstr(v, "{\"field\":") < 0 ||
		    vet_json_add_string(v, k.p, k.n) < 0 ||
		    vet_buf_addstr(v, ",\"old\":") < 0 ||
		    (lf == NULL ? vet_buf_addstr(v, "null") :
		    vet_buf_add(v, lf->val.p, lf->val.n)) < 0 ||
		    vet_buf_addstr(v, ",\"new\":") < 0 ||
		    vet_buf_add(v, xf->val.p, xf->val.n) < 0 ||
		    vet_buf_addstr(v, ",\"source\":") < 0 ||
		    vet_json_add_string(v, rc->source,
		    strlen(rc->source)) < 0 ||
		    vet_buf_addstr(v, ",\"date\":\"") < 0 ||
		    vet_buf_addstr(v, rc->date) < 0 ||
		    vet_buf_addstr(v, "\"}") < 0)
			return VET_ENOMEM;
	}
	if (vet_buf_addch(v, ']') < 0 || vet_fieldset_end(&rc->fs) < 0)
		return VET_ENOMEM;
	rc->counts.applied += (long long)nchg;
	return vet_record_write(out, l, &rc->fs);
}

/*
 * Looks for extract records with this ledger record's name and birth date
 * whose id is one mistake away from its id, and keeps each as a candidate
 * probable match; whether the extract id is absent from the ledger is only
 * known at the end.  lcode is the id's code (vet_reconcile__id18_code), pend
 * the record's pending only_in_ledger + 1, or 0.
 */
static int
find_candidates(struct vet_reconcile *rc, struct vet_span id, uint64_t lcode,
    size_t pend)
{
	struct vet_span name, eid, vid;
	enum vet_reconcile_idrel rel;
	const char *nb, *bd;
	size_t v, pos, at = ITAB_START, nbn, namelen;
	struct cand *c;
	uint64_t h, code;
	char buf[18];
	int r;

	if (rc->xnb.n == 0)
		return 0;
	if ((r = nb_key(rc, &rc->lrec, id, &rc->t_nb)) <= 0)
		return r;
	nb = rc->t_nb.data;
	nbn = rc->t_nb.len;
	h = vet_hash(nb, nbn);
	namelen = strlen(nb);	/* the name ends at the key's NUL */
	name.p = nb;
	name.n = namelen;
	bd = nb + namelen + 1;
	while ((v = itab_next(&rc->xnb, h, &at)) != 0) {
		/* Most often the record found is the ledger record's own. */
		vet_reconcile__store_id(&rc->x, v - 1, NULL, &eid, &code);
		if (code != 0 && code == lcode)
			continue;
		vet_reconcile__store_id(&rc->x, v - 1, buf, &eid, &code);
		rel = vet_reconcile_idrel(id.p, id.n, eid.p, eid.n, &pos);
		if (rel == VET_IDREL_NONE)
			continue;
		/* The index holds only the key's hash: the record's own
		 * key must be the same. */
		if (vet_reconcile__store_get(&rc->x, v - 1, &rc->vrec,
		    &rc->t_vtext, &vid) < 0 ||
		    (r = nb_key(rc, &rc->vrec, vid, &rc->t_vnb)) < 0)
			return VET_ENOMEM;
		if (r == 0 || rc->t_vnb.len != nbn ||
		    memcmp(rc->t_vnb.data, nb, nbn) != 0)
			continue;
		eid = vid;
		if (vet_reconcile__grow((void **)&rc->cand, &rc->capcand,
		    rc->ncand + 1, sizeof *rc->cand) < 0)
			return VET_ENOMEM;
		c = &rc->cand[rc->ncand];
		c->ent = v - 1;
		c->pend = pend;
		c->off = rc->c_text.len;
		if (add_idstr(&rc->c_text, "{\"diff\":\"probable_match\","
		    "\"id\":", eid.p, eid.n) < 0 ||
		    add_idstr(&rc->c_text, ",\"ledger_id\":", id.p, id.n) < 0 ||
		    add_idstr(&rc->c_text, ",\"evidence\":{\"name\":", name.p,
		    name.n) < 0 ||
		    add_idstr(&rc->c_text, ",\"birth_date\":", bd,
		    nbn - namelen - 1) < 0 ||
		    vet_buf_addstr(&rc->c_text, ",\"id\":\"") < 0 ||
		    vet_buf_addstr(&rc->c_text,
		    vet_reconcile_idrel_name(rel)) < 0 ||
		    (pos > 0 && vet_buf_addf(&rc->c_text,
		    "\",\"position\":%zu", pos) < 0) ||
		    (pos == 0 && vet_buf_addch(&rc->c_text, '"') < 0) ||
		    vet_buf_addstr(&rc->c_text,
		    vet_id_valid(eid.p, eid.n) ?
		    ",\"extract_id_valid\":true}}\n" :
		    ",\"extract_id_valid\":false}}\n") < 0)
			return VET_ENOMEM;
		c->len = rc->c_text.len - c->off;
		rc->ncand++;
	}
	return 0;
}

/*
 * Records ledger id (code, hash h), which the extract lacks, as seen: 1
 * when it was seen before (the record is a duplicate), 0 when new, or
 * VET_ENOMEM.
 */
static int
ledger_seen(struct vet_reconcile *rc, struct vet_span id, uint64_t code,
    uint64_t h)
{
	int r;

	if (code != 0) {
		if ((r = idset_add(&rc->lid18, code)) < 0)
			return VET_ENOMEM;
		return r == 0;
	}
	if (find_lid(rc, id, h) != 0)
		return 1;
	/* Their numbers are 32-bit in the index, as the extract's are. */
	if (rc->nlid >= UINT32_MAX - 1 || itab_reserve(&rc->lid) < 0 ||
	    vet_reconcile__grow((void **)&rc->lidoff, &rc->caplid,
	    rc->nlid + 1, sizeof *rc->lidoff) < 0)
		return VET_ENOMEM;
	rc->lidoff[rc->nlid] = rc->lids.len;
	if (vet_buf_add(&rc->lids, id.p, id.n) < 0)
		return VET_ENOMEM;
	itab_put(&rc->lid, h, rc->nlid++);
	return 0;
}

/*
 * The ledger record of id has no extract record: its only_in_ledger diff
 * waits for the end, when a probable match may explain it.  Its number
 * (index + 1), or 0 when out of memory.
 */
static size_t
pend_only_in_ledger(struct vet_reconcile *rc, struct vet_span id)
{
	struct pend *pd;

	if (vet_reconcile__grow((void **)&rc->pend, &rc->cappend,
	    rc->npend + 1, sizeof *rc->pend) < 0)
		return 0;
	pd = &rc->pend[rc->npend];
	pd->off = rc->p_text.len;
	pd->explained = 0;
	if (add_idstr(&rc->p_text, "{\"diff\":\"only_in_ledger\","
	    "\"id\":", id.p, id.n) < 0 ||
	    add_district(&rc->p_text, &rc->lrec) < 0 ||
	    vet_buf_addstr(&rc->p_text, "}\n") < 0)
		return 0;
	pd->len = rc->p_text.len - pd->off;
	return ++rc->npend;
}

int
vet_reconcile_line(struct vet_reconcile *rc, const char *p, size_t n,
    struct vet_buf *out, struct vet_buf *diff, struct vet_error *err)
{
	const struct vet_field *f;
	struct vet_span id, xid;
	size_t xi, nchg = 0, pendi = 0;
	uint64_t code, h;
	int r;

	n = trim_cr(p, n);
	if ((r = vet_record_parse(&rc->lrec, p, n, err)) < 0 ||
	    (r = vet_record_once(&rc->lrec, "id", p, err)) < 0)
		return r;
	if ((r = record_id(&rc->lrec, &rc->t_id, &id, err)) < 0)
		return r;
	if (rc->apply && (f = vet_record_get(&rc->lrec, "reconciled")) !=
	    NULL && vet_json_type_of(f->val) != VET_JSON_ARRAY &&
	    !is_null(f->val))
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field 'reconciled' must be an array");
	if (!rc->started && rc->x.n > 0 && (rc->seen = calloc((rc->x.n +
	    63) / 64, sizeof *rc->seen)) == NULL)
		return vet_error_nomem(err);
	rc->started = 1;
	code = vet_reconcile__id18_code(id.p, id.n);
	h = id_hash(id.p, id.n, code);
	/* An id of the extract was seen before when its bit is set; one
	 * the extract lacks, when it is in the ledger's own set. */
	if ((xi = find_extract(rc, id, code, h)) != 0)
		r = is_seen(rc, xi - 1);
	else if ((r = ledger_seen(rc, id, code, h)) < 0)
		return vet_error_nomem(err);
	if (r == 1) {
		if (add_idstr(diff, "{\"diff\":\"duplicate\",\"id\":", id.p,
		    id.n) < 0 || vet_buf_addstr(diff,
		    ",\"side\":\"ledger\"}\n") < 0 ||
		    vet_buf_add(out, p, n) < 0 || vet_buf_addch(out, '\n') < 0)
			return vet_error_nomem(err);
		rc->counts.duplicate++;
		return 0;
	}
	if (xi != 0) {
		rc->seen[(xi - 1) / 64] |= (uint64_t)1 << ((xi - 1) % 64);
		if (vet_reconcile__store_get(&rc->x, xi - 1, &rc->xrec,
		    &rc->t_xtext, &xid) < 0 ||
		    compare(rc, id, diff, &nchg) < 0)
			return vet_error_nomem(err);
	} else if ((pendi = pend_only_in_ledger(rc, id)) == 0)
		return vet_error_nomem(err);
	if (find_candidates(rc, id, code, pendi) < 0)
		return vet_error_nomem(err);
	if (nchg > 0)
		r = apply_changes(rc, nchg, out);
	else if ((r = vet_buf_add(out, p, n)) == 0)
		r = vet_buf_addch(out, '\n');
	return r < 0 ? vet_error_nomem(err) : 0;
}

/* Orders the candidates by extract record, in ledger order for each. */
static int
corder_cmp(const void *a, const void *b)
{
	const struct corder *x = a, *y = b;

	if (x->ent != y->ent)
		return x->ent < y->ent ? -1 : 1;
	return x->c < y->c ? -1 : x->c > y->c;
}

int
vet_reconcile_end(struct vet_reconcile *rc, struct vet_buf *diff,
    struct vet_error *err)
{
	char buf[18];
	struct vet_span eid;
	uint64_t code;
	size_t i, c;

	if (rc->end_phase == 0) {
		/* An extract id the ledger lacks makes each of its
		 * candidates a probable match, which explains the ledger
		 * record's absence from the extract. */
		for (c = 0; c < rc->ncand; c++)
			if (!is_seen(rc, rc->cand[c].ent) &&
			    rc->cand[c].pend != 0)
				rc->pend[rc->cand[c].pend - 1].explained = 1;
		if (rc->ncand > 0) {
			if ((rc->corder = calloc(rc->ncand,
			    sizeof *rc->corder)) == NULL)
				return vet_error_nomem(err);
			for (c = 0; c < rc->ncand; c++) {
				rc->corder[c].ent = rc->cand[c].ent;
				rc->corder[c].c = c;
			}
			qsort(rc->corder, rc->ncand, sizeof *rc->corder,
			    corder_cmp);
		}
		rc->started = 1;
		rc->end_phase = 1;
		rc->end_i = 0;
	}
	if (rc->end_phase == 1) {
		for (; rc->end_i < rc->npend; rc->end_i++) {
			const struct pend *pd = &rc->pend[rc->end_i];

			if (diff->len >= END_CHUNK)
				return 1;
			if (pd->explained)
				continue;
			if (vet_buf_add(diff, rc->p_text.data + pd->off,
			    pd->len) < 0)
				return vet_error_nomem(err);
			rc->counts.only_in_ledger++;
		}
		rc->end_phase = 2;
		rc->end_i = 0;
		rc->end_c = 0;
	}
	if (rc->end_phase == 2) {
		for (; rc->end_i < rc->x.n; rc->end_i++) {
			i = rc->end_i;
			if (diff->len >= END_CHUNK)
				return 1;
			if (is_seen(rc, i))
				continue;
			/* Candidates of records seen in the ledger come
			 * before this one's, if any. */
			while (rc->end_c < rc->ncand &&
			    rc->corder[rc->end_c].ent < i)
				rc->end_c++;
			if (rc->end_c == rc->ncand ||
			    rc->corder[rc->end_c].ent != i) {
				vet_reconcile__store_id(&rc->x, i, buf, &eid,
				    &code);
				if (add_idstr(diff, "{\"diff\":"
				    "\"only_in_extract\",\"id\":", eid.p,
				    eid.n) < 0 || vet_buf_addstr(diff, "}\n") < 0)
					return vet_error_nomem(err);
				rc->counts.only_in_extract++;
				continue;
			}
			for (; rc->end_c < rc->ncand &&
			    rc->corder[rc->end_c].ent == i;
			    rc->end_c++) {
				c = rc->corder[rc->end_c].c;
				if (vet_buf_add(diff, rc->c_text.data +
				    rc->cand[c].off, rc->cand[c].len) < 0)
					return vet_error_nomem(err);
				rc->counts.probable_match++;
			}
		}
		rc->end_phase = 3;
	}
	return 0;
}
