/*
 * record.c - JSON Lines records as spans, and the pass-through writer
 * (record.h).
 */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/json.h"
#include "vet/record.h"

void
vet_record_init(struct vet_record *r)
{
	r->fields = NULL;
	r->n = 0;
	r->cap = 0;
}

void
vet_record_release(struct vet_record *r)
{
	free(r->fields);
	vet_record_init(r);
}

int
vet_record_parse(struct vet_record *r, const char *p, size_t n,
    struct vet_error *err)
{
	size_t i;
	int rc;

	r->n = 0;
	for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	    p[i] == '\r'); i++)
		;
	if (i < n && p[i] != '{') {
		/* Say what is wrong with invalid text; valid text that is not
		 * an object gets the record-level message. */
		if ((rc = vet_json_validate(p, n, err)) < 0)
			return rc;
		return vet_error_set(err, VET_EDATA, NULL, 0, (long)i + 1,
		    "record is not a JSON object");
	}
	if ((rc = vet_json_scan_record(p, n, r, err)) < 0) {
		r->n = 0;
		return rc;
	}
	return 0;
}

/* True when field f's key decodes to the n bytes k. */
static inline int
key_is(const struct vet_field *f, const char *k, size_t n)
{
	struct vet_span q;

	if (!f->key_escaped)
		return f->key.n == n && memcmp(f->key.p, k, n) == 0;
	/* The key span sits between its quotes in the line. */
	q.p = f->key.p - 1;
	q.n = f->key.n + 2;
	return vet_json_string_eq_n(q, k, n);
}

const struct vet_field *
vet_record_get(const struct vet_record *r, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < r->n; i++)
		if (key_is(&r->fields[i], key, n))
			return &r->fields[i];
	return NULL;
}

int
vet_record_once(const struct vet_record *r, const char *key,
    const char *line, struct vet_error *err)
{
	size_t i, n = strlen(key);
	int seen = 0;

	for (i = 0; i < r->n; i++) {
		if (!key_is(&r->fields[i], key, n))
			continue;
		if (seen++)
			return vet_error_set(err, VET_EDATA, NULL, 0,
			    (long)(r->fields[i].key.p - line),
			    "field '%s' given twice", key);
	}
	return 0;
}

int
vet_record_str(const struct vet_record *r, const char *key,
    struct vet_buf *tmp, struct vet_span *out)
{
	const struct vet_field *f = vet_record_get(r, key);
	int rc;

	if (f == NULL || f->type == VET_JSON_NULL)
		return 0;
	if (f->type != VET_JSON_STRING)
		return VET_EDATA;
	if ((rc = vet_json_string(f->val, tmp, out)) < 0)
		return rc;
	return 1;
}

int
vet_record_bool(const struct vet_record *r, const char *key, int *out)
{
	const struct vet_field *f = vet_record_get(r, key);

	if (f == NULL || f->type == VET_JSON_NULL)
		return 0;
	if (f->type != VET_JSON_TRUE && f->type != VET_JSON_FALSE)
		return VET_EDATA;
	*out = f->type == VET_JSON_TRUE;
	return 1;
}

int
vet_record_num(const struct vet_record *r, const char *key, double *out)
{
	const struct vet_field *f = vet_record_get(r, key);

	if (f == NULL || f->type == VET_JSON_NULL)
		return 0;
	if (f->type != VET_JSON_NUMBER || vet_json_number(f->val, out) < 0)
		return VET_EDATA;
	return 1;
}

int
vet_record_int(const struct vet_record *r, const char *key, int64_t *out)
{
	const struct vet_field *f = vet_record_get(r, key);

	if (f == NULL || f->type == VET_JSON_NULL)
		return 0;
	if (f->type != VET_JSON_NUMBER || vet_json_int(f->val, out) < 0)
		return VET_EDATA;
	return 1;
}

int
vet_record_opt_str(const struct vet_record *r, const char *key,
    struct vet_buf *tmp, struct vet_span *out, struct vet_error *err)
{
	int rc = vet_record_str(r, key, tmp, out);

	if (rc == VET_ENOMEM)
		return vet_error_nomem(err);
	if (rc == VET_EDATA)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field '%s' is not a string", key);
	return rc;
}

int
vet_record_need_str(const struct vet_record *r, const char *key,
    struct vet_buf *tmp, struct vet_span *out, struct vet_error *err)
{
	int rc = vet_record_opt_str(r, key, tmp, out, err);

	if (rc < 0)
		return rc;
	if (rc == 0 || out->n == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field '%s'", key);
	return 1;
}

int
vet_record_opt_date(const struct vet_record *r, const char *key,
    struct vet_buf *tmp, vet_day *out, struct vet_error *err)
{
	struct vet_span s;
	int rc = vet_record_str(r, key, tmp, &s);

	if (rc == 0)
		return 0;
	if (rc == VET_ENOMEM)
		return vet_error_nomem(err);
	if (rc == 1 && vet_date_parse(s.p, s.n, out) == 0)
		return 1;
	return vet_error_set(err, VET_EDATA, NULL, 0, 0,
	    "field '%s' is not a date YYYY-MM-DD", key);
}

int
vet_record_need_strs(const struct vet_record *r, const char *key,
    const char *hint, const struct vet_field **f, size_t *n,
    struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span e;

	*n = 0;
	*f = vet_record_get(r, key);
	if (*f == NULL || (*f)->type == VET_JSON_NULL)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing field '%s'%s", key, hint != NULL ? hint : "");
	if ((*f)->type != VET_JSON_ARRAY)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field '%s' is not an array", key);
	vet_json_iter_init(&it, (*f)->val);
	while (vet_json_iter_next(&it, NULL, &e)) {
		if (vet_json_type_of(e) != VET_JSON_STRING)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "field '%s' is not an array of strings", key);
		++*n;
	}
	return 1;
}

void
vet_fieldset_init(struct vet_fieldset *fs)
{
	vet_buf_init(&fs->buf);
	fs->items = NULL;
	fs->n = 0;
	fs->cap = 0;
	fs->open_koff = 0;
	fs->open_klen = 0;
}

void
vet_fieldset_release(struct vet_fieldset *fs)
{
	vet_buf_release(&fs->buf);
	free(fs->items);
	vet_fieldset_init(fs);
}

void
vet_fieldset_reset(struct vet_fieldset *fs)
{
	vet_buf_reset(&fs->buf);
	fs->n = 0;
	fs->open_koff = 0;
	fs->open_klen = 0;
}

/*
 * Records the key at koff/klen with the value at voff/vlen, both already in
 * fs->buf: the value of an existing item with that key is replaced (its
 * place in the order kept), else an item is appended.
 */
static int
fs_commit(struct vet_fieldset *fs, size_t koff, size_t klen, size_t voff,
    size_t vlen)
{
	struct vet_fieldset_item *it;
	size_t i, cap;

	for (i = 0; i < fs->n; i++) {
		it = &fs->items[i];
		if (it->klen == klen && memcmp(fs->buf.data + it->koff,
		    fs->buf.data + koff, klen) == 0) {
			it->voff = voff;
			it->vlen = vlen;
			return 0;
		}
	}
	if (fs->n == fs->cap) {
		cap = fs->cap < 8 ? 8 : fs->cap * 2;
		if (cap > SIZE_MAX / sizeof *it ||
		    (it = realloc(fs->items, cap * sizeof *it)) == NULL)
			return VET_ENOMEM;
		fs->items = it;
		fs->cap = cap;
	}
	it = &fs->items[fs->n++];
	it->koff = koff;
	it->klen = klen;
	it->voff = voff;
	it->vlen = vlen;
	return 0;
}

/* The writers of add_*: each appends one JSON value to b. */
struct fs_val {
	int kind;
	const char *s;
	size_t n;
	int64_t i;
	double d;
};

enum { V_RAW, V_STR, V_INT, V_NUM };

/* Appends i in decimal; printf would cost more than the rest of a field. */
static int
add_int(struct vet_buf *b, int64_t i)
{
	char d[24], *e = d + sizeof d;
	uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;

	do {
		*--e = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (i < 0)
		*--e = '-';
	return vet_buf_add(b, e, (size_t)(d + sizeof d - e));
}

static int
fs_add(struct vet_fieldset *fs, const char *key, const struct fs_val *v)
{
	size_t koff = fs->buf.len, klen = strlen(key), voff;
	int rc;

	if (vet_buf_add(&fs->buf, key, klen) < 0)
		return VET_ENOMEM;
	voff = fs->buf.len;
	switch (v->kind) {
	case V_RAW:
		rc = vet_buf_add(&fs->buf, v->s, v->n);
		break;
	case V_STR:
		rc = vet_json_add_string(&fs->buf, v->s, v->n);
		break;
	case V_INT:
		rc = add_int(&fs->buf, v->i);
		break;
	default:
		rc = vet_json_add_number(&fs->buf, v->d);
		break;
	}
	if (rc < 0 || (rc = fs_commit(fs, koff, klen, voff,
	    fs->buf.len - voff)) < 0) {
		vet_buf_truncate(&fs->buf, koff);
		return rc;
	}
	return 0;
}

int
vet_fieldset_add_raw(struct vet_fieldset *fs, const char *key,
    const char *json, size_t n)
{
	struct fs_val v = { V_RAW, json, n, 0, 0 };

	return fs_add(fs, key, &v);
}

int
vet_fieldset_add_str(struct vet_fieldset *fs, const char *key,
    const char *s, size_t n)
{
	struct fs_val v = { V_STR, s, n, 0, 0 };

	return fs_add(fs, key, &v);
}

int
vet_fieldset_add_int(struct vet_fieldset *fs, const char *key, int64_t i)
{
	struct fs_val v = { V_INT, NULL, 0, i, 0 };

	return fs_add(fs, key, &v);
}

int
vet_fieldset_add_num(struct vet_fieldset *fs, const char *key, double d)
{
	struct fs_val v = { V_NUM, NULL, 0, 0, d };

	return fs_add(fs, key, &v);
}

int
vet_fieldset_add_bool(struct vet_fieldset *fs, const char *key, int b)
{
	return b ? vet_fieldset_add_raw(fs, key, "true", 4) :
	    vet_fieldset_add_raw(fs, key, "false", 5);
}

int
vet_fieldset_drop(struct vet_fieldset *fs, const char *key)
{
	return vet_fieldset_add_raw(fs, key, "", 0);
}

int
vet_fieldset_add_null(struct vet_fieldset *fs, const char *key)
{
	return vet_fieldset_add_raw(fs, key, "null", 4);
}

struct vet_buf *
vet_fieldset_begin(struct vet_fieldset *fs, const char *key)
{
	size_t klen = strlen(key);

	fs->open_koff = fs->buf.len;
	if (vet_buf_add(&fs->buf, key, klen) < 0) {
		fs->open_klen = 0;
		return NULL;
	}
	fs->open_klen = klen;
	return &fs->buf;
}

int
vet_fieldset_end(struct vet_fieldset *fs)
{
	size_t voff = fs->open_koff + fs->open_klen;
	int rc;

	if (voff > fs->buf.len)
		return VET_EINTERNAL;
	rc = fs_commit(fs, fs->open_koff, fs->open_klen, voff,
	    fs->buf.len - voff);
	if (rc < 0)
		vet_buf_truncate(&fs->buf, fs->open_koff);
	fs->open_koff = fs->buf.len;
	fs->open_klen = 0;
	return rc;
}

/* The item of own whose key field f has, or -1. */
static inline long
own_index(const struct vet_fieldset *own, const struct vet_field *f)
{
	const struct vet_fieldset_item *it;
	size_t i;

	for (i = 0; i < own->n; i++) {
		it = &own->items[i];
		if (key_is(f, own->buf.data + it->koff, it->klen))
			return (long)i;
	}
	return -1;
}

/* True when one of the first n fields of in has own's item j's key. */
static int
seen_before(const struct vet_record *in, size_t n,
    const struct vet_fieldset *own, size_t j)
{
	const struct vet_fieldset_item *it = &own->items[j];
	size_t i;

	for (i = 0; i < n; i++)
		if (key_is(&in->fields[i], own->buf.data + it->koff,
		    it->klen))
			return 1;
	return 0;
}

static int
put_own(struct vet_buf *out, const struct vet_fieldset *own, size_t j)
{
	const struct vet_fieldset_item *it = &own->items[j];

	if (vet_json_add_string(out, own->buf.data + it->koff, it->klen) < 0 ||
	    vet_buf_addch(out, ':') < 0 ||
	    vet_buf_add(out, own->buf.data + it->voff, it->vlen) < 0)
		return VET_ENOMEM;
	return 0;
}

/* Copies the pending run of input bytes [rs, re) to out, if any. */
#define FLUSH_RUN() do { \
	if (rs != NULL) { \
		n = (size_t)(re - rs); \
		memcpy(out->data + out->len, rs, n); \
		out->len += n; \
		rs = NULL; \
	} \
} while (0)

int
vet_record_write(struct vet_buf *out, const struct vet_record *in,
    const struct vet_fieldset *own)
{
	const struct vet_field *f;
	const char *rs = NULL, *re = NULL, *ks, *ve;
	uint64_t done = 0;	/* own items 0..63 already written */
	uint64_t lens = 0;	/* the lengths of own's keys, modulo 64 */
	size_t i, n, need = 3, nown = own != NULL ? own->n : 0;
	long j;
	int first = 1;

	/*
	 * Room for everything (an owned key escapes to at most 6 bytes a
	 * byte), so the pass-through copies below need no checks.
	 */
	if (in->n > 0) {
		/* The fields' text in the line, from the first key's quote to
		 * the end of the last value, holds every byte they output. */
		f = &in->fields[in->n - 1];
		need += (size_t)(f->val.p + f->val.n - (in->fields[0].key.p - 1));
	}
	for (i = 0; i < nown; i++) {
		need += own->items[i].klen * 6 + own->items[i].vlen + 4;
		lens |= UINT64_C(1) << (own->items[i].klen & 63);
	}
	if (vet_buf_grow(out, need) < 0)
		return VET_ENOMEM;
	out->data[out->len++] = '{';
	/*
	 * Unowned fields written compactly in the input ('"key":value' with
	 * nothing between, ',' between fields) are copied as one run of
	 * bytes: for a compact line that is one copy for the whole record.
	 */
	for (i = 0; i < in->n; i++) {
		f = &in->fields[i];
		/* A plain key of a length no owned key has is not owned. */
		if (nown == 0 || (!f->key_escaped &&
		    (lens & (UINT64_C(1) << (f->key.n & 63))) == 0))
			j = -1;
		else
			j = own_index(own, f);
		if (j < 0) {
			ks = f->key.p - 1;
			ve = f->val.p + f->val.n;
			if (f->val.p != f->key.p + f->key.n + 2) {
				FLUSH_RUN();
				if (!first)
					out->data[out->len++] = ',';
				out->data[out->len++] = '"';
				memcpy(out->data + out->len, f->key.p, f->key.n);
				out->len += f->key.n;
				out->data[out->len++] = '"';
				out->data[out->len++] = ':';
				memcpy(out->data + out->len, f->val.p, f->val.n);
				out->len += f->val.n;
			} else if (rs != NULL && re + 1 == ks && *re == ',')
				re = ve;
			else {
				FLUSH_RUN();
				if (!first)
					out->data[out->len++] = ',';
				rs = ks;
				re = ve;
			}
			first = 0;
			continue;
		}
		if (j < 64) {
			if (done & (UINT64_C(1) << j))
				continue;
			done |= UINT64_C(1) << j;
		} else if (seen_before(in, i, own, (size_t)j))
			continue;
		/* A dropped field (vet_fieldset_drop) is not written. */
		if (own->items[j].vlen == 0)
			continue;
		FLUSH_RUN();
		if ((!first && vet_buf_addch(out, ',') < 0) ||
		    put_own(out, own, (size_t)j) < 0)
			return VET_ENOMEM;
		first = 0;
	}
	FLUSH_RUN();
	for (i = 0; i < nown; i++) {
		if ((i < 64 ? (done & (UINT64_C(1) << i)) != 0 :
		    seen_before(in, in->n, own, i)) || own->items[i].vlen == 0)
			continue;
		if ((!first && vet_buf_addch(out, ',') < 0) ||
		    put_own(out, own, i) < 0)
			return VET_ENOMEM;
		first = 0;
	}
	out->data[out->len++] = '}';
	out->data[out->len++] = '\n';
	out->data[out->len] = '\0';
	return 0;
}

/* Replaces the locale's decimal point in the number at s with '.'. */
static void
fix_decimal_point(char *s)
{
	const char *dp = localeconv()->decimal_point;
	size_t dn;
	char *q;

	if (dp == NULL || strcmp(dp, ".") == 0 || dp[0] == '\0')
		return;
	dn = strlen(dp);
	if ((q = strstr(s, dp)) != NULL) {
		*q = '.';
		memmove(q + 1, q + dn, strlen(q + dn) + 1);
	}
}

int
vet_json_add_number(struct vet_buf *out, double v)
{
	char b[64], *e;
	const char *dp;
	int prec;

	if (isnan(v) || isinf(v))
		return vet_buf_add(out, "null", 4);
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return add_int(out, (int64_t)v);
	/* The fewest significant digits, from 15 up, that read back as v;
	 * 17 always do. */
	for (prec = 15; prec < 17; prec++) {
		snprintf(b, sizeof b, "%.*g", prec, v);
		if (strtod(b, &e) == v)
			break;
	}
	if (prec == 17)
		snprintf(b, sizeof b, "%.17g", v);
	dp = localeconv()->decimal_point;
	if (dp != NULL && strcmp(dp, ".") != 0)
		fix_decimal_point(b);
	return vet_buf_addstr(out, b);
}
