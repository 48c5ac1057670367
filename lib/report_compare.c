/*
 * report_compare.c - --compare (report.h): last period's report read back,
 * its counts and rates kept to show the change.
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

/* ---- --compare ---------------------------------------------------------- */

static int
bad_compare(struct vet_error *err, const char *what)
{
	return vet_error_set(err, VET_EDATA, NULL, 0, 0,
	    "not a vet-report json report: %s", what);
}

/* Reads {code: count, ...} into v (ncat), ignoring unknown codes. */
static int
read_counts(const struct vet_report *r, struct vet_span obj, int64_t *v,
    struct vet_buf *tmp, struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span key, val, s;
	int64_t x;
	size_t i;

	if (vet_json_type_of(obj) != VET_JSON_OBJECT)
		return bad_compare(err, "counts are not an object");
	vet_json_iter_init(&it, obj);
	while (vet_json_iter_next(&it, &key, &val)) {
		if (vet_json_int(val, &x) < 0 || x < 0 ||
		    x > REPORT_MAX_COUNT)
			return bad_compare(err, "a count is not an integer "
			    "from 0 to 2^50");
		if (vet_json_string(key, tmp, &s) < 0)
			return vet_error_nomem(err);
		for (i = 0; i < r->s->ncat; i++)
			if (strlen(r->s->cats[i]) == s.n &&
			    memcmp(r->s->cats[i], s.p, s.n) == 0)
				v[i] = x;
	}
	return 0;
}

/*
 * The label of the previous period is printed in every format, so it is
 * masked and cleaned like a name from the data: an id or phone in it masked,
 * control characters shown as U+FFFD, and cut only between characters.
 */
static int
set_prev_label(struct vet_report *r, struct vet_span s)
{
	const unsigned char *p;
	size_t i, k, len, o = 0, cap = sizeof r->prev_label - 1;

	vet_buf_reset(&r->mpart);
	if (vet_mask_text(&r->mpart, s.p, s.n) < 0)
		return VET_ENOMEM;
	p = (const unsigned char *)r->mpart.data;
	for (i = 0; i < r->mpart.len; i += len) {
		/* The string is valid UTF-8 (the JSON was validated). */
		len = 1;
		if (p[i] >= 0xC0)
			for (len = 1; i + len < r->mpart.len &&
			    (p[i + len] & 0xC0) == 0x80; len++)
				;
		if (p[i] < 0x20 || p[i] == 0x7F || (p[i] == 0xC2 &&
		    len == 2 && p[i + 1] <= 0x9F)) {
			if (o + 3 > cap)
				break;
			memcpy(r->prev_label + o, "\xEF\xBF\xBD", 3);
			o += 3;
			continue;
		}
		if (o + len > cap)
			break;
		for (k = 0; k < len; k++)
			r->prev_label[o++] = (char)p[i + k];
	}
	r->prev_label[o] = '\0';
	return 0;
}

/* A count of a previous report: 0 and *out, or -1 when not one. */
static int
prev_count(struct vet_span v, int64_t *out)
{
	return vet_json_type_of(v) == VET_JSON_NUMBER &&
	    vet_json_int(v, out) == 0 && *out >= 0 &&
	    *out <= REPORT_MAX_COUNT ? 0 : -1;
}

/* {"met":N,"due":N} of a previous compliance rate into v; null leaves it
 * unknown. */
static int
prev_rate(struct vet_span obj, int64_t *v, struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span k, val;
	int64_t m = -1, d = -1;

	if (vet_json_type_of(obj) == VET_JSON_NULL)
		return 0;
	if (vet_json_type_of(obj) != VET_JSON_OBJECT)
		return bad_compare(err, "a compliance rate is not an object");
	vet_json_iter_init(&it, obj);
	while (vet_json_iter_next(&it, &k, &val))
		if ((vet_json_string_eq(k, "met") && prev_count(val, &m) < 0) ||
		    (vet_json_string_eq(k, "due") && prev_count(val, &d) < 0))
			return bad_compare(err, "a compliance rate is not "
			    "counts");
	if (m < 0 || d < 0 || m > d)
		return bad_compare(err, "a compliance rate is not met <= due");
	v[0] = m;
	v[1] = d;
	return 0;
}

/*
 * The previous compliance (training, monthly_contact) and chain: a link is
 * {"planned":N,"delivered":N|null}, or a bare count (a report made before
 * delivered existed: its count was the planned one).
 */
static int
prev_figures(struct vet_report *r, struct vet_span key, struct vet_span val,
    struct vet_error *err)
{
	struct vet_json_iter it, it2;
	struct vet_span k, v, k2, v2, s;
	size_t i;
	int rc;

	if (vet_json_type_of(val) != VET_JSON_OBJECT)
		return bad_compare(err, "'chain' or 'compliance' is not an "
		    "object");
	vet_json_iter_init(&it, val);
	while (vet_json_iter_next(&it, &k, &v)) {
		if (vet_json_string_eq(key, "compliance")) {
			if (vet_json_string_eq(k, "training") &&
			    (rc = prev_rate(v, r->prev_comp[0], err)) < 0)
				return rc;
			if (vet_json_string_eq(k, "monthly_contact") &&
			    (rc = prev_rate(v, r->prev_comp[1], err)) < 0)
				return rc;
			continue;
		}
		if (vet_json_string(k, &r->tmp, &s) < 0)
			return vet_error_nomem(err);
		for (i = 0; i < r->s->nlinks; i++)
			if (strlen(r->s->links[i]) == s.n &&
			    memcmp(r->s->links[i], s.p, s.n) == 0)
				break;
		if (i == r->s->nlinks)
			continue;
		if (vet_json_type_of(v) == VET_JSON_NUMBER) {
			if (prev_count(v, &r->prev_link[2 * i]) < 0)
				return bad_compare(err, "a link is not a count");
			continue;
		}
		if (vet_json_type_of(v) != VET_JSON_OBJECT)
			return bad_compare(err, "a link is not an object");
		vet_json_iter_init(&it2, v);
		while (vet_json_iter_next(&it2, &k2, &v2)) {
			if (vet_json_type_of(v2) == VET_JSON_NULL)
				continue;
			if ((vet_json_string_eq(k2, "planned") &&
			    prev_count(v2, &r->prev_link[2 * i]) < 0) ||
			    (vet_json_string_eq(k2, "delivered") &&
			    prev_count(v2, &r->prev_link[2 * i + 1]) < 0))
				return bad_compare(err, "a link is not counts");
		}
	}
	return 0;
}

int
vet_report_set_compare(struct vet_report *r, const char *p, size_t n,
    struct vet_error *err)
{
	struct vet_json_iter it, it2;
	struct vet_span key, val, top = { p, n }, s, dk, dv;
	int have_tot = 0, have_dist = 0, suppressed = 0, rc;
	long row;
	size_t i;
	int64_t *c, x;

	if (vet_json_validate(p, n, err) < 0)
		return VET_EDATA;
	while (top.n > 0 && (top.p[0] == ' ' || top.p[0] == '\t' ||
	    top.p[0] == '\n' || top.p[0] == '\r')) {
		top.p++;
		top.n--;
	}
	if (top.n == 0 || vet_json_type_of(top) != VET_JSON_OBJECT)
		return bad_compare(err, "not a JSON object");
	vet_json_iter_init(&it, top);
	while (vet_json_iter_next(&it, &key, &val)) {
		if (vet_json_string_eq(key, "period")) {
			if (vet_json_type_of(val) != VET_JSON_STRING)
				return bad_compare(err, "'period' is not a "
				    "string");
			if (vet_json_string(val, &r->tmp, &s) < 0 ||
			    set_prev_label(r, s) < 0)
				return vet_error_nomem(err);
		} else if (vet_json_string_eq(key, "totals")) {
			if ((rc = read_counts(r, val, r->prev_tot, &r->tmp,
			    err)) < 0)
				return rc;
			have_tot = 1;
		} else if (vet_json_string_eq(key, "chain") ||
		    vet_json_string_eq(key, "compliance")) {
			if ((rc = prev_figures(r, key, val, err)) < 0)
				return rc;
		} else if (vet_json_string_eq(key, "suppressed")) {
			if (vet_json_int(val, &x) < 0 || x < 0)
				return bad_compare(err, "'suppressed' is not "
				    "a count");
			suppressed = x > 0;
		} else if (vet_json_string_eq(key, "by_district")) {
			if (vet_json_type_of(val) != VET_JSON_OBJECT)
				return bad_compare(err, "'by_district' is not "
				    "an object");
			have_dist = 1;
			vet_json_iter_init(&it2, val);
			while (vet_json_iter_next(&it2, &dk, &dv)) {
				if (vet_json_string(dk, &r->key, &s) < 0 ||
				    report_mask_name(&r->mpart, &s) < 0 ||
				    (row = rtab_get(&r->prev_dist, s.p,
				    s.n)) < 0)
					return vet_error_nomem(err);
				c = rtab_row(&r->prev_dist, (size_t)row);
				for (i = 0; i < r->s->ncat; i++)
					c[i] = INT64_MIN;
				if ((rc = read_counts(r, dv, c, &r->tmp,
				    err)) < 0)
					return rc;
			}
		}
	}
	if (!have_tot)
		return bad_compare(err, "no 'totals'");
	/*
	 * A district missing from the previous by_district had no veteran
	 * then, unless the previous report left groups out (--min-cell) or had
	 * no by_district at all: then its count is unknown and the change null.
	 */
	r->prev_all_districts = have_dist && !suppressed;
	r->have_prev = 1;
	return 0;
}
