/*
 * report_partial.c - the partial of vet-report (report.h): a run's counters
 * written as JSON, and read back and added by --merge, so that split runs
 * give the bytes of one run.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/hash.h"
#include "vet/json.h"
#include "vet/mask.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/report.h"
#include "vet/schema.h"
#include "report_impl.h"

/* ---- partials ----------------------------------------------------------- */

static const char *const by_names[] = { "district", "street", "community" };

/*
 * The writers of the partial collect the failure of every append in one
 * flag (a failed append leaves the buffer unchanged, so carrying on is
 * harmless) and return VET_ENOMEM at the end: a partial with a hole in it
 * must never be written.
 */
static int
add_rtab_json(struct vet_buf *o, const struct rtab *t,
    const struct vet_report_schema *s)
{
	size_t *ix, i, j;
	int64_t *c;
	int e = 0;

	if ((ix = rtab_order(t, s)) == NULL)
		return VET_ENOMEM;
	e |= vet_buf_addch(o, '[') < 0;
	for (i = 0; i < t->n; i++) {
		if (i)
			e |= vet_buf_addch(o, ',') < 0;
		e |= vet_buf_addch(o, '[') < 0;
		e |= vet_json_add_string(o, t->names.data + t->noff[ix[i]],
		    t->nlen[ix[i]]) < 0;
		e |= vet_buf_addstr(o, ",[") < 0;
		c = rtab_row(t, ix[i]);
		for (j = 0; j < t->k; j++)
			e |= vet_buf_addf(o, j ? ",%lld" : "%lld",
			    (long long)c[j]) < 0;
		e |= vet_buf_addstr(o, "]]") < 0;
	}
	free(ix);
	e |= vet_buf_addch(o, ']') < 0;
	return e ? VET_ENOMEM : 0;
}

int
report_side_json(const struct vet_report *r, struct vet_buf *o)
{
	int e = 0;

	if (!r->side)
		return vet_buf_addstr(o, "null") < 0 ? VET_ENOMEM : 0;
	e |= vet_buf_addf(o, "{\"events\":%s,\"audit\":%s,\"jobs\":%s,"
	    "\"districts\":", r->have_events ? "true" : "false",
	    r->have_findings ? "true" : "false",
	    r->have_jobs ? "true" : "false") < 0;
	e |= add_rtab_json(o, &r->dside, r->s) < 0;
	e |= vet_buf_addstr(o, ",\"findings\":") < 0;
	e |= add_rtab_json(o, &r->findings, NULL) < 0;
	e |= vet_buf_addch(o, '}') < 0;
	return e ? VET_ENOMEM : 0;
}

static int
add_str_array(struct vet_buf *o, const char **v, size_t n)
{
	size_t i;
	int e = 0;

	e |= vet_buf_addch(o, '[') < 0;
	for (i = 0; i < n; i++) {
		if (i)
			e |= vet_buf_addch(o, ',') < 0;
		e |= vet_json_add_string(o, v[i], strlen(v[i])) < 0;
	}
	e |= vet_buf_addch(o, ']') < 0;
	return e ? VET_ENOMEM : 0;
}

/* The header fields a partial must share with the report it merges into. */
static int
add_partial_head(const struct vet_report *r, struct vet_buf *o)
{
	char f[11], t[11], a[11];
	int e = 0;

	vet_date_format(r->pd.from, f);
	vet_date_format(r->pd.to, t);
	vet_date_format(r->pd.as_of, a);
	e |= vet_buf_addstr(o, "\"policy\":") < 0;
	e |= vet_json_add_string(o, r->s->policy_id,
	    strlen(r->s->policy_id)) < 0;
	e |= vet_buf_addf(o, ",\"by\":\"%s\",\"period\":",
	    by_names[r->by]) < 0;
	e |= vet_json_add_string(o, r->pd.label, strlen(r->pd.label)) < 0;
	e |= vet_buf_addf(o, ",\"from\":\"%s\",\"to\":\"%s\",\"as_of\":\"%s\","
	    "\"categories\":", f, t, a) < 0;
	e |= add_str_array(o, r->s->cats, r->s->ncat) < 0;
	e |= vet_buf_addstr(o, ",\"links\":") < 0;
	e |= add_str_array(o, r->s->links, r->s->nlinks) < 0;
	e |= vet_buf_addf(o, ",\"counters\":%zu", r->k) < 0;
	return e ? VET_ENOMEM : 0;
}

int
vet_report_write_partial(const struct vet_report *r, struct vet_buf *o)
{
	int e = 0;

	e |= vet_buf_addstr(o, "{\"vet_report_partial\":1,") < 0;
	e |= add_partial_head(r, o) < 0;
	e |= vet_buf_addstr(o, ",\"districts\":") < 0;
	e |= add_rtab_json(o, &r->districts, r->s) < 0;
	e |= vet_buf_addstr(o, ",\"groups\":") < 0;
	e |= add_rtab_json(o, &r->groups, r->s) < 0;
	e |= vet_buf_addstr(o, ",\"side\":") < 0;
	e |= report_side_json(r, o) < 0;
	e |= vet_buf_addstr(o, "}\n") < 0;
	return e ? VET_ENOMEM : 0;
}

static int
bad_partial(struct vet_error *err, const char *what)
{
	return vet_error_set(err, VET_EDATA, NULL, 0, 0,
	    "not a vet-report partial: %s", what);
}

/* Adds the rows of a JSON array [[name,[counts...]],...] into t. */
static int
merge_rows(struct rtab *t, struct vet_span arr, struct vet_buf *tmp,
    struct vet_error *err)
{
	struct vet_json_iter it, it2, it3;
	struct vet_span row, name, cnt, v, s;
	int64_t x, *c;
	long i;
	size_t j;

	if (vet_json_type_of(arr) != VET_JSON_ARRAY)
		return bad_partial(err, "rows are not an array");
	vet_json_iter_init(&it, arr);
	while (vet_json_iter_next(&it, NULL, &row)) {
		if (vet_json_type_of(row) != VET_JSON_ARRAY)
			return bad_partial(err, "a row is not an array");
		vet_json_iter_init(&it2, row);
		if (!vet_json_iter_next(&it2, NULL, &name) ||
		    vet_json_type_of(name) != VET_JSON_STRING ||
		    !vet_json_iter_next(&it2, NULL, &cnt) ||
		    vet_json_type_of(cnt) != VET_JSON_ARRAY ||
		    vet_json_iter_next(&it2, NULL, &v))
			return bad_partial(err, "a row is not [name,[counts]]");
		if (vet_json_string(name, tmp, &s) < 0 ||
		    (i = rtab_get(t, s.p, s.n)) < 0)
			return vet_error_nomem(err);
		c = rtab_row(t, (size_t)i);
		vet_json_iter_init(&it3, cnt);
		for (j = 0; vet_json_iter_next(&it3, NULL, &v); j++) {
			/* Counts are bounded far above any population so
			 * that sums and percentages cannot overflow. */
			if (j >= t->k || vet_json_int(v, &x) < 0 || x < 0 ||
			    x > REPORT_MAX_COUNT - c[j])
				return bad_partial(err, "bad counts");
			c[j] += x;
		}
		if (j != t->k)
			return bad_partial(err, "bad counts");
	}
	return 0;
}

/*
 * Whether JSON values a and b are equal as values, whatever their spacing
 * and escapes (a partial re-serialised by jq): 1, 0 or VET_ENOMEM.
 * Members of objects are compared in order.
 */
static int
json_equal(struct vet_span a, struct vet_span b, struct vet_buf *ta,
    struct vet_buf *tb)
{
	struct vet_json_iter ia, ib;
	struct vet_span ka, va, kb, vb, sa, sb;
	enum vet_json_type t = vet_json_type_of(a);
	double x, y;
	int na, nb, rc;

	if (t != vet_json_type_of(b))
		return 0;
	switch (t) {
	case VET_JSON_STRING:
		if (vet_json_string(a, ta, &sa) < 0 ||
		    vet_json_string(b, tb, &sb) < 0)
			return VET_ENOMEM;
		return sa.n == sb.n && memcmp(sa.p, sb.p, sa.n) == 0;
	case VET_JSON_NUMBER:
		return vet_json_number(a, &x) == 0 &&
		    vet_json_number(b, &y) == 0 && x == y;
	case VET_JSON_ARRAY:
	case VET_JSON_OBJECT:
		vet_json_iter_init(&ia, a);
		vet_json_iter_init(&ib, b);
		for (;;) {
			na = vet_json_iter_next(&ia, &ka, &va);
			nb = vet_json_iter_next(&ib, &kb, &vb);
			if (!na || !nb)
				return na == nb;
			if (t == VET_JSON_OBJECT &&
			    (rc = json_equal(ka, kb, ta, tb)) != 1)
				return rc;
			if ((rc = json_equal(va, vb, ta, tb)) != 1)
				return rc;
		}
	default:
		return 1;
	}
}

/* The most members a partial has (header, data and side). */
#define PARTIAL_MEMBERS 16

/* The members of a partial that hold data; the others are its head. */
struct parts {
	struct vet_span d, g, side;
};

/* A member given twice would be read as the last one: key against the
 * nkeys before it.  0 or a status. */
static int
member_once(struct vet_report *r, const struct vet_span *keys, size_t nkeys,
    struct vet_span key, struct vet_buf *tb, struct vet_error *err)
{
	size_t i;
	int eq;

	for (i = 0; i < nkeys; i++)
		if ((eq = json_equal(keys[i], key, &r->tmp, tb)) != 0)
			return eq < 0 ? vet_error_nomem(err) : vet_error_set(err,
			    VET_EDATA, NULL, 0, 0, "not a vet-report "
			    "partial: member '%.*s' given twice",
			    (int)(key.n > 42 ? 40 : key.n - 2), key.p + 1);
	return 0;
}

/*
 * Reads the members of partial top into *pt: the head must be, value for
 * value and in order, what this report would write (hspan); the data
 * members are kept for merging.  0 or a status.
 */
static int
read_members(struct vet_report *r, struct vet_span top, struct vet_span hspan,
    struct parts *pt, struct vet_buf *tb, struct vet_error *err)
{
	struct vet_json_iter it, hit;
	struct vet_span key, val, hk, hv, keys[PARTIAL_MEMBERS];
	int64_t version;
	size_t nkeys = 0;
	int rc = 0, marker = 0, eq;

	vet_json_iter_init(&hit, hspan);
	vet_json_iter_init(&it, top);
	while (rc == 0 && vet_json_iter_next(&it, &key, &val)) {
		if ((rc = member_once(r, keys, nkeys, key, tb, err)) < 0)
			break;
		if (nkeys == PARTIAL_MEMBERS) {
			rc = bad_partial(err, "too many members");
			break;
		}
		keys[nkeys++] = key;
		if (vet_json_string_eq(key, "vet_report_partial")) {
			/* Version 1 exactly: a later format must not be read
			 * as this one. */
			if (vet_json_type_of(val) != VET_JSON_NUMBER ||
			    vet_json_int(val, &version) < 0 || version != 1)
				rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
				    "partial of version %.*s: this vet-report "
				    "reads version 1", (int)(val.n > 20 ? 20 :
				    val.n), val.p);
			marker = 1;
		} else if (vet_json_string_eq(key, "districts"))
			pt->d = val;
		else if (vet_json_string_eq(key, "groups"))
			pt->g = val;
		else if (vet_json_string_eq(key, "side"))
			pt->side = val;
		else if (!vet_json_iter_next(&hit, &hk, &hv) ||
		    (eq = json_equal(key, hk, &r->tmp, tb)) == 0 ||
		    (eq > 0 && (eq = json_equal(val, hv, &r->tmp, tb)) == 0))
			rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "partial was made with another policy, period, "
			    "grouping or --as-of");
		else if (eq < 0)
			rc = vet_error_nomem(err);
	}
	if (rc == 0 && (!marker || pt->d.p == NULL || pt->g.p == NULL ||
	    pt->side.p == NULL))
		rc = bad_partial(err, "missing members");
	else if (rc == 0 && vet_json_iter_next(&hit, &hk, &hv))
		rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "partial was made with another policy, period, grouping "
		    "or --as-of");
	return rc;
}

/*
 * The side data (events, findings, jobs) of a partial: the same file in
 * every partial, so it must agree and is counted once.  "null" (no
 * --events, no --findings) must agree too, or the contacts of some parts
 * would be missing from the figures of the others.
 */
static int
merge_side(struct vet_report *r, struct vet_span side, struct vet_buf *tb,
    struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span key, val, have;
	int rc = 0, eq;

	if (vet_json_type_of(side) != VET_JSON_NULL &&
	    vet_json_type_of(side) != VET_JSON_OBJECT)
		return bad_partial(err, "bad side");
	if (r->nmerged++ > 0 || r->side) {
		if (r->side_text.len == 0 && report_side_json(r,
		    &r->side_text) < 0)
			return vet_error_nomem(err);
		have.p = r->side_text.data;
		have.n = r->side_text.len;
		if ((eq = json_equal(have, side, &r->tmp, tb)) < 0)
			return vet_error_nomem(err);
		if (eq == 0)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "partials were made with different --events or "
			    "--findings");
		return 0;
	}
	if (vet_json_type_of(side) == VET_JSON_NULL)
		return 0;
	vet_json_iter_init(&it, side);
	while (vet_json_iter_next(&it, &key, &val)) {
		if (vet_json_string_eq(key, "events") ||
		    vet_json_string_eq(key, "audit"))
			vet_report_expect(r, vet_json_string_eq(key,
			    "events") && vet_json_type_of(val) == VET_JSON_TRUE,
			    vet_json_string_eq(key, "audit") &&
			    vet_json_type_of(val) == VET_JSON_TRUE);
		else if (vet_json_string_eq(key, "jobs"))
			r->have_jobs |= vet_json_type_of(val) == VET_JSON_TRUE;
		else if (vet_json_string_eq(key, "districts"))
			rc = merge_rows(&r->dside, val, &r->tmp, err);
		else if (vet_json_string_eq(key, "findings"))
			rc = merge_rows(&r->findings, val, &r->tmp, err);
		else
			rc = bad_partial(err, "bad side");
		if (rc < 0)
			return rc;
	}
	r->side = 1;
	return 0;
}

int
vet_report_merge(struct vet_report *r, const char *p, size_t n,
    struct vet_error *err)
{
	struct vet_span top = { p, n }, hspan;
	struct vet_buf head = VET_BUF_INIT, tb = VET_BUF_INIT;
	struct parts pt;
	int rc;

	if (vet_json_validate(p, n, err) < 0)
		return VET_EDATA;
	while (top.n > 0 && (top.p[0] == ' ' || top.p[0] == '\t' ||
	    top.p[0] == '\n' || top.p[0] == '\r')) {
		top.p++;
		top.n--;
	}
	if (top.n == 0 || vet_json_type_of(top) != VET_JSON_OBJECT)
		return bad_partial(err, "not a JSON object");
	/* The head this report would write, to compare; then the data is
	 * added. */
	if (vet_buf_addch(&head, '{') < 0 || add_partial_head(r, &head) < 0 ||
	    vet_buf_addch(&head, '}') < 0) {
		vet_buf_release(&head);
		return vet_error_nomem(err);
	}
	hspan.p = head.data;
	hspan.n = head.len;
	memset(&pt, 0, sizeof pt);
	rc = read_members(r, top, hspan, &pt, &tb, err);
	vet_buf_release(&head);
	if (rc == 0 && (rc = merge_rows(&r->districts, pt.d, &r->tmp,
	    err)) == 0 && (rc = merge_rows(&r->groups, pt.g, &r->tmp,
	    err)) == 0)
		rc = merge_side(r, pt.side, &tb, err);
	vet_buf_release(&tb);
	return rc;
}

/*
 * The length of the JSON value at p (an object or an array, by its
 * brackets outside strings), or of the rest of the line for anything
 * else: vet_report_merge says what is wrong with it.
 */
static size_t
value_len(const char *p, size_t n)
{
	size_t i, depth = 0;
	int str = 0;

	if (p[0] != '{' && p[0] != '[') {
		for (i = 0; i < n && p[i] != '\n'; i++)
			;
		return i;
	}
	for (i = 0; i < n; i++) {
		if (str) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				str = 0;
		} else if (p[i] == '"')
			str = 1;
		else if (p[i] == '{' || p[i] == '[')
			depth++;
		else if ((p[i] == '}' || p[i] == ']') && --depth == 0)
			return i + 1;
	}
	return n;
}

int
vet_report_merge_text(struct vet_report *r, const char *p, size_t n,
    long long *nparts, struct vet_error *err)
{
	size_t i = 0, k;
	long line = 1;
	int rc;

	*nparts = 0;
	for (;;) {
		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
		    p[i] == '\n'))
			line += p[i++] == '\n';
		if (i >= n)
			break;
		k = value_len(p + i, n - i);
		if ((rc = vet_report_merge(r, p + i, k, err)) < 0) {
			err->line = line;
			return rc;
		}
		(*nparts)++;
		for (; k > 0; k--, i++)
			line += p[i] == '\n';
	}
	/* A part lost on the way (an empty file) must not go unnoticed. */
	if (*nparts == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "no partial in the file: a part of the report is missing");
	return 0;
}

