/*
 * test_classify.c - classifying records with the built-in policy: the
 * output fields, reasons, idempotence, rejections and hostile input.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/classify.h"
#include "vet/policy.h"
#include "../../lib/classify_impl.h"
#include "../../lib/policy_impl.h"

static struct vet_policy *pol;
static struct vet_classifier cl;
static struct vet_buf out;

static void
setup(void)
{
	struct vet_error err;
	vet_day d;

	cr_assert_eq(vet_policy_load(&pol, NULL, &err), 0, "%s", err.msg);
	vet_date_parse("2026-09-30", 10, &d);
	cr_assert_eq(vet_classify_init(&cl, pol, d, &err), 0, "%s", err.msg);
	vet_buf_init(&out);
}

static void
teardown(void)
{
	vet_classify_release(&cl);
	vet_policy_free(pol);
	vet_buf_release(&out);
}

#define REJ(lit, why) rejected((lit), sizeof(lit) - 1, (why))

TestSuite(classify, .init = setup, .fini = teardown);

/* Classifies line; returns the output line (without '\n'). */
static const char *
run(const char *line)
{
	struct vet_error err;

	vet_buf_reset(&out);
	cr_assert_eq(vet_classify_line(&cl, line, strlen(line), &out, &err),
	    0, "%s: %s", line, err.msg);
	cr_assert(out.len > 0 && out.data[out.len - 1] == '\n');
	out.data[--out.len] = '\0';
	return out.data;
}

static void
rejected(const char *line, size_t n, const char *why)
{
	struct vet_error err;

	vet_buf_reset(&out);
	vet_error_clear(&err);
	cr_assert_eq(vet_classify_line(&cl, line, n, &out, &err), VET_EDATA,
	    "accepted: %.*s", (int)n, line);
	cr_assert(strstr(err.msg, why) != NULL, "'%s' for %.*s", err.msg,
	    (int)n, line);
	cr_assert_eq(out.len, 0);
}

Test(classify, output_fields_in_order)
{
	const char *o = run("{\"id\":\"110105199005101235\",\"name\":\"张三\","
	    "\"employment_status\":\"flexible\",\"social_insurance_paid\":true}");

	cr_assert_str_eq(o, "{\"id\":\"110105199005101235\",\"name\":\"张三\","
	    "\"employment_status\":\"flexible\",\"social_insurance_paid\":true,"
	    "\"age\":36,\"working_age\":true,"
	    "\"categories\":[\"flexible_employed\"],\"priority\":9,"
	    "\"measures\":[\"social_insurance_subsidy\"],"
	    "\"reasons\":[{\"code\":\"flexible_employed\",\"clause\":\"二(九)\","
	    "\"detail\":\"employment_status == flexible\"},"
	    "{\"code\":\"social_insurance_subsidy\",\"clause\":\"二(九)\","
	    "\"detail\":\"flexible_employed, social_insurance_paid == true\"}],"
	    "\"policy\":\"beijing-2023\",\"as_of\":\"2026-09-30\"}");
}

Test(classify, training_detail)
{
	const char *o = run("{\"sex\":\"M\",\"birth_date\":\"2002-03-01\","
	    "\"placement\":\"autonomous\",\"training_hours\":40,"
	    "\"discharge_date\":\"2025-09-01\",\"employment_status\":\"employed\"}");

	cr_assert(strstr(o, "\"detail\":\"placement == autonomous, "
	    "training_hours 40 < 80, months_since(discharge_date) 12 < 24\"")
	    != NULL, "%s", o);
	cr_assert(strstr(o, "\"categories\":[\"employed\","
	    "\"training_incomplete\"]") != NULL, "%s", o);
}

Test(classify, idempotent_and_replaces_in_place)
{
	char first[4096];
	const char *o, *prefix;

	o = run("{\"sex\":\"F\",\"birth_date\":\"1985-06-01\","
	    "\"employment_status\":\"unemployed\",\"employment_need\":true,"
	    "\"priority\":1,\"categories\":[\"exited\"],\"age\":3}");
	snprintf(first, sizeof first, "%s", o);
	/* Owned fields already present are replaced where they stand. */
	prefix = "{\"sex\":\"F\",\"birth_date\":\"1985-06-01\","
	    "\"employment_status\":\"unemployed\",\"employment_need\":true,"
	    "\"priority\":3,\"categories\":[\"needs_registration\","
	    "\"difficulty_candidate\"],\"age\":41,\"working_age\":true,"
	    "\"measures\":";
	cr_assert(strncmp(first, prefix, strlen(prefix)) == 0, "%s", first);
	cr_assert_str_eq(run(first), first);
}

Test(classify, exited_only)
{
	const char *o = run("{\"sex\":\"M\",\"birth_date\":\"1990-05-10\","
	    "\"exited\":true,\"refusals\":9,\"employment_status\":\"unemployed\","
	    "\"employment_need\":true,\"difficulty_certified\":true,"
	    "\"assisted_since\":\"2020-01-01\"}");

	cr_assert(strstr(o, "\"categories\":[\"exited\"],\"priority\":9,"
	    "\"measures\":[],\"reasons\":[{\"code\":\"exited\",\"clause\":"
	    "\"二(四)\",\"detail\":\"exited == true\"}]") != NULL, "%s", o);
}

Test(classify, results_in_struct)
{
	run("{\"sex\":\"M\",\"birth_date\":\"1990-05-10\","
	    "\"employment_status\":\"unemployed\",\"employment_need\":true,"
	    "\"unemployment_registered\":true,\"difficulty_certified\":true,"
	    "\"assisted_since\":\"2025-12-01\"}");
	cr_assert_eq(cl.priority, 1);
	cr_assert_eq(cl.age, 36);
	cr_assert_eq(cl.working_age, 1);
	cr_assert(cl.cat[5] && cl.cat[7] && cl.cat[10]);
	cr_assert(cl.meas[3] && cl.meas[4] && cl.meas[5] && cl.meas[6]);
}

Test(classify, escapes_nulls_and_duplicates)
{
	const char *o;

	/* An escaped value and an escaped key decode before comparing. */
	o = run("{\"sex\":\"M\",\"birth_date\":\"1990-05-10\","
	    "\"employment_st\\u0061tus\":\"self_employ\\u0065d\"}");
	cr_assert(strstr(o, "\"categories\":[\"self_employed\"]") != NULL,
	    "%s", o);
	/* null is absent: the default applies. */
	o = run("{\"sex\":\"M\",\"birth_date\":\"2002-03-01\","
	    "\"placement\":\"autonomous\",\"training_hours\":null,"
	    "\"discharge_date\":\"2025-09-01\"}");
	cr_assert(strstr(o, "training_hours 0 < 80") != NULL, "%s", o);
	/* The first of duplicate keys counts. */
	o = run("{\"sex\":\"M\",\"birth_date\":\"1990-05-10\","
	    "\"employment_status\":\"employed\","
	    "\"employment_status\":\"flexible\"}");
	cr_assert(strstr(o, "\"categories\":[\"employed\"]") != NULL, "%s", o);
}

Test(classify, rejections)
{
	REJ("[1,2]", "not a JSON object");
	REJ("{\"sex\":\"M\"", "");
	REJ("{\"sex\":\"M\",\"birth_date\":\"1990-05-10\","
	    "\"training_hours\":\"abc\"}",
	    "field 'training_hours' must be a number");
	REJ("{\"name\":\"x\"}",
	    "no valid birth_date, and no valid id");
	REJ("{\"id\":\"110105199005101234\"}",
	    "no valid birth_date, and no valid id");
	REJ("{\"birth_date\":\"1990-05-10\"}",
	    "no valid sex, and no valid id");
	REJ("{\"sex\":\"M\",\"birth_date\":\"1990-02-30\"}",
	    "field 'birth_date' is not a date");
	REJ("{\"sex\":\"X\",\"birth_date\":\"1990-02-03\"}",
	    "field 'sex' has a value that is not one of its codes");
	REJ("{\"sex\":\"M\",\"birth_date\":\"1990-02-03\",\"exited\":1}",
	    "field 'exited' must be true or false");
	REJ("{\"sex\":\"M\",\"birth_date\":\"1990-02-03\","
	    "\"certificates\":[1]}", "must be a list of strings");
	REJ("{\"sex\":\"M\",\"birth_date\":\"2030-01-01\"}",
	    "after the as-of date");
	REJ("{\"sex\":\"M\",\"birth_date\":\"1990-02-03\",\"x\":\"\xff\"}", "");
	REJ("{\"sex\":\"M\",\0\"birth_date\":\"1990-02-03\"}", "");
}

/* SPEC 2.1: a sex or birth date that contradicts the id is an error; an
 * id that is not a valid 18-character one is not checked against. */
Test(classify, contradicting_id)
{
	REJ("{\"id\":\"110105199005101235\",\"sex\":\"F\"}",
	    "field 'sex' contradicts the id");
	REJ("{\"id\":\"110105199005101235\",\"birth_date\":\"1990-05-11\"}",
	    "field 'birth_date' contradicts the id");
	cr_assert(strstr(run("{\"id\":\"110105199005101235\",\"sex\":\"M\","
	    "\"birth_date\":\"1990-05-10\"}"), "\"age\":36,") != NULL);
	cr_assert(strstr(run("{\"id\":\"110105199005101234\",\"sex\":\"F\","
	    "\"birth_date\":\"1991-01-01\"}"), "\"age\":35,") != NULL);
}

Test(classify, deep_and_long_input)
{
	size_t n = 100000, i;
	char *s = malloc(n + 64);
	const char *o;

	/* Deep nesting in a field the policy does not read: refused by
	 * the JSON layer, without recursion. */
	strcpy(s, "{\"x\":");
	for (i = 5; i < n; i++)
		s[i] = '[';
	rejected(s, n, "");
	/* A long string in a field it does not read is passed through. */
	strcpy(s, "{\"sex\":\"M\",\"birth_date\":\"1990-02-03\",\"note\":\"");
	for (i = strlen(s); i < n; i++)
		s[i] = 'a';
	strcpy(s + n, "\"}");
	o = run(s);
	cr_assert(strlen(o) > n);
	free(s);
}

/* Link mode (vet-report's chain) counts a record without birth date, sex
 * or id: age and working age unknown; classifying still refuses it. */
Test(classify, links_without_person)
{
	struct vet_policy *p;
	struct vet_record r;
	struct vet_error err;
	static const char line[] = "{\"district\":\"朝阳区\","
	    "\"categories\":[\"needs_registration\"]}";
	int hits[64];
	vet_day as_of;

	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(vet_date_from_ymd(2026, 9, 30, &as_of), 0);
	vet_record_init(&r);
	cr_assert_eq(vet_record_parse(&r, line, sizeof line - 1, &err), 0);
	cr_assert(vet_policy_nlinks(p) <= 64);
	cr_assert_eq(vet_policy_links_eval(p, &r, as_of, hits, &err), 0,
	    "%s", err.msg);
	vet_record_release(&r);
	vet_policy_free(p);
}

/*
 * A compact record holding none of the fields classification writes is
 * written as its own text plus the appended block; one holding any of
 * them, or written with spaces, goes the general way.  Each of the eight
 * fields, and a spaced record, must give the line the general way gives:
 * the field replaced where it stands, written once, the rest compact.
 */
Test(classify, plain_and_general_writers_agree)
{
	static const char *const keys[] = { "age", "working_age",
		"categories", "priority", "measures", "reasons", "policy",
		"as_of" };
	const char *base = "{\"sex\":\"F\",\"birth_date\":\"1985-06-01\","
	    "\"employment_status\":\"unemployed\",\"employment_need\":true}";
	char plain[4096], line[4096], want[4096];
	size_t i;
	const char *o;

	snprintf(plain, sizeof plain, "%s", run(base));
	/* Spaces between the tokens: the same output, compact. */
	cr_assert_str_eq(run("{ \"sex\": \"F\", \"birth_date\":\"1985-06-01\","
	    "\"employment_status\" :\"unemployed\",\"employment_need\":true }"),
	    plain);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		/* The key first, with a value classification replaces. */
		snprintf(line, sizeof line, "{\"%s\":0,%s", keys[i], base + 1);
		o = run(line);
		/* That key stays first, where it stood. */
		cr_assert(strncmp(o, "{\"", 2) == 0 &&
		    strncmp(o + 2, keys[i], strlen(keys[i])) == 0 &&
		    o[2 + strlen(keys[i])] == '"', "%s", o);
		/* Same length and same fields: the key was written once. */
		cr_assert_eq(strlen(o), strlen(plain), "%s\n%s", o, plain);
		snprintf(want, sizeof want, "%s", o);
		cr_assert_str_eq(run(want), want);
	}
}

/*
 * The decision cache is direct-mapped: a decision takes the slot of
 * another that maps there, and a decision whose slot holds another must
 * be written anew, never with the other's text.  The slot is made to
 * hold another decision (its key changed, its text overwritten); the
 * record then gives the same line, and takes its slot back.
 */
Test(classify, decision_slot_reuse)
{
	static const char line[] = "{\"sex\":\"F\",\"birth_date\":\"1985-06-01\","
	    "\"employment_status\":\"unemployed\",\"employment_need\":true}";
	struct vet_cdecision *d = NULL;
	char want[4096];
	size_t i;

	snprintf(want, sizeof want, "%s", run(line));
	/* The table is made at the second decision, not for a one-record
	 * run; the first is written without it. */
	cr_assert_null(cl.dec);
	cr_assert_str_eq(run(line), want);
	cr_assert_not_null(cl.dec);
	/* One decision kept so far: one slot of the 256 (DEC_N) used. */
	for (i = 0; i < 256; i++)
		if (cl.dec[i].used) {
			cr_assert_null(d, "two slots used");
			d = &cl.dec[i];
		}
	cr_assert_not_null(d);
	cr_assert(d->len > 0);
	d->cats ^= 1;
	memset(cl.dtext.data + d->off, 'x', d->len);
	cr_assert_str_eq(run(line), want);
	cr_assert(d->used && d->cats == cl.dcats && d->meas == cl.dmeas &&
	    d->priority == cl.priority);
	/* From the slot now: the same again. */
	cr_assert_str_eq(run(line), want);
	/* Another decision's priority in the slot is not this one either. */
	d->priority++;
	memset(cl.dtext.data + d->off, 'x', d->len);
	cr_assert_str_eq(run(line), want);
}

/*
 * Many decisions (some tens) through one classifier, taking and sharing
 * slots as they come: each line as a fresh classifier writes it.
 */
Test(classify, decisions_as_fresh)
{
	static const char *const status[] = { "employed", "unemployed",
		"flexible", "self_employed", "not_seeking" };
	struct vet_classifier fresh;
	struct vet_error err;
	struct vet_buf o2 = VET_BUF_INIT;
	char line[512];
	const char *o;
	size_t i;

	for (i = 0; i < 2 * 5 * 2 * 2 * 2 * 2 * 3; i++) {
		size_t k = i % (5 * 2 * 2 * 2 * 2 * 3);

		snprintf(line, sizeof line, "{\"sex\":\"%s\",\"birth_date\":"
		    "\"%s\",\"employment_status\":\"%s\",\"employment_need\":"
		    "%s,\"difficulty_certified\":%s,\"social_insurance_paid\":"
		    "%s,\"unemployment_registered\":%s,\"training_hours\":%d}",
		    k % 2 ? "M" : "F", k / 2 % 3 == 0 ? "1968-02-03" :
		    k / 2 % 3 == 1 ? "1990-05-10" : "2001-11-30",
		    status[k / 6 % 5], k / 30 % 2 ? "true" : "false",
		    k / 60 % 2 ? "true" : "false", k / 120 % 2 ? "true" : "false",
		    k / 240 % 2 ? "true" : "false", (int)(k * 7 % 100));
		o = run(line);
		cr_assert_eq(vet_classify_init(&fresh, pol, cl.as_of, &err), 0);
		vet_buf_reset(&o2);
		cr_assert_eq(vet_classify_line(&fresh, line, strlen(line), &o2,
		    &err), 0, "%s", err.msg);
		cr_assert(o2.len == out.len + 1 &&
		    memcmp(o2.data, o, out.len) == 0, "%s\n%s", o, o2.data);
		vet_classify_release(&fresh);
	}
	vet_buf_release(&o2);
}

/* ---- the built-in policy's pieces, written by make ------------------- */

static int
same_piece(const struct vet_cpieces *a, const struct vet_cpiece *x,
    const struct vet_cpieces *b, const struct vet_cpiece *y)
{
	return x->len == y->len && (x->off == (size_t)-1) ==
	    (y->off == (size_t)-1) && (x->off == (size_t)-1 ||
	    memcmp(a->text + x->off, b->text + y->off, x->len) == 0);
}

/* A classifier of the built-in policy takes its pieces from make; they
 * are, piece by piece, what a classifier of the same text makes. */
Test(classify, builtin_pieces_are_made_pieces)
{
	const struct vet_cpieces *a = &cl.pc, *b;
	struct vet_classifier fresh;
	struct vet_policy *p;
	struct vet_error err;
	size_t i, n = pol->ncats + pol->nmeas;
	vet_day d;

	cr_assert_not_null(pol->cpre);
	cr_assert_eq(cl.pc.text, pol->cpre->pc.text);
	cr_assert_eq(cl.made.text.len, 0);
	cr_assert_eq(vet_policy_load_text(&p, "<built-in>",
	    vet_policy_builtin_yaml, vet_policy_builtin_len, &err), 0, "%s",
	    err.msg);
	vet_date_parse("2026-09-30", 10, &d);
	cr_assert_eq(vet_classify_init(&fresh, p, d, &err), 0, "%s", err.msg);
	b = &fresh.pc;
	cr_assert_gt(fresh.made.text.len, 1000);
	for (i = 0; i < 2 * n; i++)
		cr_assert(same_piece(a, &a->code[i], b, &b->code[i]),
		    "piece %zu", i);
	for (i = 0; i <= n; i++)
		cr_assert_eq(a->alt_first[i], b->alt_first[i]);
	for (i = 0; i < a->alt_first[n]; i++)
		cr_assert(same_piece(a, &a->alt[i], b, &b->alt[i]),
		    "alternative %zu", i);
	vet_classify_release(&fresh);
	vet_policy_free(p);
}

/* A parameter with another value on the as-of date than make saw: the
 * pieces are made again (a fixed reason may show it; the built-in
 * policy's show none today), and the reasons use the value in force. */
Test(classify, builtin_pieces_not_for_other_parameters)
{
	static const char line[] = "{\"sex\":\"M\",\"birth_date\":"
	    "\"1995-06-01\",\"discharge_date\":\"2026-03-01\","
	    "\"placement\":\"autonomous\","
	    "\"employment_status\":\"unemployed\",\"employment_need\":true,"
	    "\"training_hours\":10}";
	struct vet_policy q = *pol;
	struct vet_pparam *pp;
	struct vet_pvalue *v;
	struct vet_classifier c;
	struct vet_error err;
	struct vet_buf o = VET_BUF_INIT;
	size_t i, k;
	vet_day d;

	pp = calloc(q.nparams, sizeof *pp);
	cr_assert_not_null(pp);
	memcpy(pp, q.params, q.nparams * sizeof *pp);
	for (i = 0; i < q.nparams; i++)
		if (strcmp(pp[i].name, "adaptive_training_min_hours") == 0)
			break;
	cr_assert_lt(i, q.nparams);
	v = calloc(pp[i].n, sizeof *v);
	cr_assert_not_null(v);
	memcpy(v, pp[i].v, pp[i].n * sizeof *v);
	for (k = 0; k < pp[i].n; k++)
		v[k].value = 96;
	pp[i].v = v;
	q.params = pp;
	vet_date_parse("2026-09-30", 10, &d);
	cr_assert_eq(vet_classify_init(&c, &q, d, &err), 0, "%s", err.msg);
	cr_assert_neq(c.pc.text, q.cpre->pc.text);
	cr_assert_gt(c.made.text.len, 1000);
	cr_assert_eq(vet_classify_line(&c, line, strlen(line), &o, &err), 0,
	    "%s", err.msg);
	cr_assert(strstr(vet_buf_str(&o), "\"training_incomplete\"") != NULL,
	    "%s", vet_buf_str(&o));
	cr_assert(strstr(vet_buf_str(&o), "96") != NULL, "%s",
	    vet_buf_str(&o));
	vet_buf_release(&o);
	vet_classify_release(&c);
	free(v);
	free(pp);
}
