/*
 * test_report_policy.c - the report schema from the real policy
 * (report_policy.c): the links evaluated from the fields of the report's
 * one pass (links_fields) must count, and reject, exactly as the policy's
 * own fill on the whole record (links_deliver).  Every field of every
 * veteran of tests/data/report/links-vets.jsonl is mutated (wrong types,
 * escapes, numbers a double cannot hold, bad dates and codes, duplicate,
 * null and escaped keys) and each variant is added to two reports, one per
 * path; their results and their partials must be equal.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/io.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/report.h"

static vet_day
D(const char *s)
{
	vet_day d;

	cr_assert_eq(vet_date_parse(s, strlen(s), &d), 0);
	return d;
}

/* Two reports on one policy: fast by links_fields, slow by the fill. */
struct pair {
	struct vet_policy *p;
	struct vet_report_schema fast, slow;
	struct vet_report *rf, *rs;
	struct vet_record rec;
	long added, rejected;
};

static void
pair_init(struct pair *t, int events)
{
	struct vet_report_period pd;
	struct vet_error err;
	struct vet_buf b = VET_BUF_INIT;
	size_t i, j;
	char path[512];

	vet_error_clear(&err);
	cr_assert_eq(vet_policy_load(&t->p, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(vet_report_schema_from_policy(&t->fast, t->p,
	    D("2026-09-30"), &err), 0, "%s", err.msg);
	cr_assert_not_null(t->fast.links_fields,
	    "the built-in policy's links take the one-pass evaluator");
	t->slow = t->fast;
	t->slow.links_fields = NULL;
	cr_assert_eq(vet_report_period_parse(&pd, NULL, NULL, NULL,
	    D("2026-09-30"), &err), 0);
	cr_assert_eq(vet_report_new(&t->rf, &t->fast, &pd,
	    VET_REPORT_BY_COMMUNITY, &err), 0);
	cr_assert_eq(vet_report_new(&t->rs, &t->slow, &pd,
	    VET_REPORT_BY_COMMUNITY, &err), 0);
	vet_record_init(&t->rec);
	t->added = t->rejected = 0;
	if (!events)
		return;
	snprintf(path, sizeof path, "%s/report/links-events.jsonl",
	    VET_TEST_DATA);
	cr_assert_eq(vet_input_slurp(path, &b, &err), 0, "%s", err.msg);
	for (i = 0; i < b.len; i = j + 1) {
		for (j = i; j < b.len && b.data[j] != '\n'; j++)
			;
		cr_assert_eq(vet_record_parse(&t->rec, b.data + i, j - i,
		    &err), 0);
		cr_assert_eq(vet_report_add_event(t->rf, &t->rec, &err), 0,
		    "%s", err.msg);
		cr_assert_eq(vet_report_add_event(t->rs, &t->rec, &err), 0,
		    "%s", err.msg);
	}
	vet_buf_release(&b);
}

/* Adds line [p, p + n) to both reports; both must say the same. */
static void
both(struct pair *t, const char *p, size_t n)
{
	struct vet_error e1, e2;
	int r1, r2;

	vet_error_clear(&e1);
	vet_error_clear(&e2);
	if (vet_record_parse(&t->rec, p, n, &e1) != 0)
		return;
	r1 = vet_report_add(t->rf, &t->rec, &e1);
	r2 = vet_report_add(t->rs, &t->rec, &e2);
	cr_assert_eq(r1, r2, "%.*s: %d (%s) against %d (%s)", (int)n, p, r1,
	    e1.msg, r2, e2.msg);
	cr_assert_str_eq(e1.msg, e2.msg, "%.*s", (int)n, p);
	if (r1 < 0)
		t->rejected++;
	else
		t->added++;
}

static void
pair_check(struct pair *t)
{
	struct vet_buf a = VET_BUF_INIT, b = VET_BUF_INIT;

	cr_assert_eq(vet_report_write_partial(t->rf, &a), 0);
	cr_assert_eq(vet_report_write_partial(t->rs, &b), 0);
	cr_assert(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	    "the partials differ:\n%.*s\n%.*s", (int)a.len, a.data,
	    (int)b.len, b.data);
	vet_buf_release(&a);
	vet_buf_release(&b);
	vet_record_release(&t->rec);
	vet_report_free(t->rf);
	vet_report_free(t->rs);
	vet_report_schema_release(&t->fast);
	vet_policy_free(t->p);
}

/* Values every field takes in turn: each type, and the values a type
 * check alone lets through (codes, dates, numbers beyond a double). */
static const char *const values[] = {
	"null", "true", "false", "0", "-0", "7", "2.5", "1e999", "-1e999",
	"123456789012345678901234", "\"\"", "\"x\"", "\"2026-02-30\"",
	"\"2026-08-01\"", "\"202\\u0036-08-01\"", "\"autonomous\"",
	"\"auto\\u006eomous\"", "\"unemployed\"", "\"a\\\"b\"", "[]",
	"[1]", "[\"x\",2]", "[\"adaptive_training\",\"vocational_training\"]",
	"[\"job_recommendation\",\"public_\\u0077elfare_post\"]",
	"[\"hard_to_place\",\"out_of_scope\"]", "{}", "{\"a\":1}",
	"[ ]", "[\r\n]", "[ \"adaptive_training\" ,\t\"x\" ]",
	"[\"a\\\"b\", \"\\\\\", 3]", "[\"\\u0022\", [\"x\"]]",
	"[\"out_of_scope\",{\"a\":\"b\"}]",
};

/* One key of the record with the span of its value, found by a scan of
 * the member list at depth one. */
struct member {
	size_t kb, ke;		/* the key with its quotes */
	size_t vb, ve;		/* the value */
};

static size_t
members(const struct vet_record *r, const char *line, struct member *m,
    size_t cap)
{
	size_t i;

	for (i = 0; i < r->n && i < cap; i++) {
		m[i].kb = (size_t)(r->fields[i].key.p - 1 - line);
		m[i].ke = m[i].kb + r->fields[i].key.n + 2;
		m[i].vb = (size_t)(r->fields[i].val.p - line);
		m[i].ve = m[i].vb + r->fields[i].val.n;
	}
	return i;
}

/* Every variant of one veteran line [p, p + n). */
static void
mutate(struct pair *t, const char *line, size_t n)
{
	struct vet_record r;
	struct vet_error err;
	struct member m[128];
	struct vet_buf b = VET_BUF_INIT;
	size_t nm, i, k;

	vet_record_init(&r);
	cr_assert_eq(vet_record_parse(&r, line, n, &err), 0);
	nm = members(&r, line, m, 128);
	both(t, line, n);
	for (i = 0; i < nm; i++) {
		for (k = 0; k < sizeof values / sizeof values[0]; k++) {
			/* The value replaced. */
			vet_buf_reset(&b);
			vet_buf_add(&b, line, m[i].vb);
			vet_buf_addstr(&b, values[k]);
			vet_buf_add(&b, line + m[i].ve, n - m[i].ve);
			both(t, b.data, b.len);
			/* A second member of the key before it: the first
			 * counts (a null one too, for the policy's fill). */
			vet_buf_reset(&b);
			vet_buf_add(&b, line, m[i].kb);
			vet_buf_add(&b, line + m[i].kb, m[i].ke - m[i].kb);
			vet_buf_addch(&b, ':');
			vet_buf_addstr(&b, values[k]);
			vet_buf_addch(&b, ',');
			vet_buf_add(&b, line + m[i].kb, n - m[i].kb);
			both(t, b.data, b.len);
		}
		/* The key escaped: \u0061 for its first byte. */
		vet_buf_reset(&b);
		vet_buf_add(&b, line, m[i].kb + 1);
		vet_buf_addstr(&b, "\\u00");
		vet_buf_addch(&b, "0123456789abcdef"[
		    (unsigned char)line[m[i].kb + 1] >> 4]);
		vet_buf_addch(&b, "0123456789abcdef"[
		    (unsigned char)line[m[i].kb + 1] & 15]);
		vet_buf_add(&b, line + m[i].kb + 2, n - m[i].kb - 2);
		both(t, b.data, b.len);
		/* The member removed. */
		vet_buf_reset(&b);
		vet_buf_add(&b, line, m[i].kb);
		k = m[i].ve;
		if (k < n && line[k] == ',')
			k++;
		else if (b.len > 1 && b.data[b.len - 1] == ',')
			b.len--;
		vet_buf_add(&b, line + k, n - k);
		both(t, b.data, b.len);
	}
	vet_buf_release(&b);
	vet_record_release(&r);
}

static void
run(int events)
{
	struct pair t;
	struct vet_buf in = VET_BUF_INIT;
	struct vet_error err;
	char path[512];
	size_t i, j;

	pair_init(&t, events);
	snprintf(path, sizeof path, "%s/report/links-vets.jsonl",
	    VET_TEST_DATA);
	cr_assert_eq(vet_input_slurp(path, &in, &err), 0, "%s", err.msg);
	for (i = 0; i < in.len; i = j + 1) {
		for (j = i; j < in.len && in.data[j] != '\n'; j++)
			;
		mutate(&t, in.data + i, j - i);
	}
	cr_assert_gt(t.added, 1000);
	cr_assert_gt(t.rejected, 1000);
	vet_buf_release(&in);
	pair_check(&t);
}

Test(report_policy, one_pass_links_as_the_fill)
{
	run(0);
}

Test(report_policy, one_pass_links_as_the_fill_with_events)
{
	run(1);
}
