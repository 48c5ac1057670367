/*
 * test_rule.c - the rule language: lexing, parsing, type checks with their
 * columns, three-valued evaluation and explanations.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "vet/rule.h"

static const char *const status_enum[] = { "employed", "unemployed",
	"flexible", NULL };

enum { S_F = 1 };

static struct vet_rule_symtab tab;
static struct vet_rval vals[16];
static int i_hours, i_need, i_status, i_birth, i_skills, i_min, i_age;
static int i_cat;

static void
setup(void)
{
	vet_rule_symtab_init(&tab);
	i_hours = vet_rule_symtab_add(&tab, "training_hours", VET_RT_NUM,
	    VET_RSYM_FIELD, S_F, 0, NULL);
	i_need = vet_rule_symtab_add(&tab, "employment_need", VET_RT_BOOL,
	    VET_RSYM_FIELD, S_F, 0, NULL);
	i_status = vet_rule_symtab_add(&tab, "employment_status", VET_RT_STR,
	    VET_RSYM_FIELD, S_F, 0, status_enum);
	i_birth = vet_rule_symtab_add(&tab, "discharge_date", VET_RT_DATE,
	    VET_RSYM_FIELD, S_F, 0, NULL);
	i_skills = vet_rule_symtab_add(&tab, "skills", VET_RT_STRS,
	    VET_RSYM_FIELD, S_F, 0, NULL);
	i_min = vet_rule_symtab_add(&tab, "min_hours", VET_RT_NUM,
	    VET_RSYM_PARAM, S_F, 0, NULL);
	i_age = vet_rule_symtab_add(&tab, "age", VET_RT_NUM,
	    VET_RSYM_DERIVED, S_F, 0, NULL);
	i_cat = vet_rule_symtab_add(&tab, "later_code", VET_RT_BOOL,
	    VET_RSYM_CODE, S_F, 5, NULL);
	memset(vals, 0, sizeof vals);
	vals[i_hours] = (struct vet_rval){ .type = VET_RT_NUM, .known = 1,
	    .present = 1, .num = 40 };
	vals[i_need].type = VET_RT_BOOL;	/* absent: unknown */
	vals[i_status] = (struct vet_rval){ .type = VET_RT_STR, .known = 1,
	    .present = 1, .s = "unemployed", .n = 10 };
	vet_date_from_ymd(2025, 3, 15, &vals[i_birth].day);
	vals[i_birth].type = VET_RT_DATE;
	vals[i_birth].known = vals[i_birth].present = 1;
	vals[i_skills] = (struct vet_rval){ .type = VET_RT_STRS, .known = 1,
	    .present = 1, .s = "[\"weld\\u0069ng\",\"driving\"]", .count = 2 };
	vals[i_skills].n = strlen(vals[i_skills].s);
	vals[i_min] = (struct vet_rval){ .type = VET_RT_NUM, .known = 1,
	    .num = 80 };
	vals[i_age] = (struct vet_rval){ .type = VET_RT_NUM, .known = 1,
	    .num = 45 };
	vals[i_cat].type = VET_RT_BOOL;
}

static void
teardown(void)
{
	vet_rule_symtab_release(&tab);
}

static int
run(const char *src)
{
	struct vet_rule r;
	struct vet_error err;
	struct vet_rule_env env = { &tab, vals, 0 };
	int rc, hit;

	vet_date_from_ymd(2026, 9, 30, &env.as_of);
	rc = vet_rule_compile(&r, &tab, S_F, 3, src, strlen(src), &err);
	cr_assert_eq(rc, 0, "compile '%s': %s (col %ld)", src, err.msg,
	    err.col);
	hit = vet_rule_eval(&r, &env);
	vet_rule_release(&r);
	return hit;
}

static void
bad(const char *src, long col, const char *msg)
{
	struct vet_rule r;
	struct vet_error err;
	int rc;

	vet_error_clear(&err);
	rc = vet_rule_compile(&r, &tab, S_F, 3, src, strlen(src), &err);
	cr_assert_eq(rc, VET_ECONFIG, "'%s' compiled", src);
	cr_assert_eq(err.col, col, "'%s': col %ld, want %ld (%s)", src,
	    err.col, col, err.msg);
	cr_assert(strstr(err.msg, msg) != NULL, "'%s': message '%s'", src,
	    err.msg);
}

static char *
why(const char *src)
{
	static char out[256];
	struct vet_rule r;
	struct vet_error err;
	struct vet_rule_env env = { &tab, vals, 0 };
	struct vet_buf b = VET_BUF_INIT;

	vet_date_from_ymd(2026, 9, 30, &env.as_of);
	cr_assert_eq(vet_rule_compile(&r, &tab, S_F, 3, src, strlen(src),
	    &err), 0, "%s", err.msg);
	cr_assert(vet_rule_eval(&r, &env));
	cr_assert_eq(vet_rule_explain(&r, &env, &b), 0);
	snprintf(out, sizeof out, "%s", vet_buf_str(&b));
	vet_buf_release(&b);
	vet_rule_release(&r);
	return out;
}

TestSuite(rule, .init = setup, .fini = teardown);

Test(rule, comparisons)
{
	cr_assert(run("training_hours < 80"));
	cr_assert(run("training_hours < min_hours"));
	cr_assert(!run("training_hours >= min_hours"));
	cr_assert(run("training_hours == 40 && training_hours != 41"));
	cr_assert(run("training_hours <= 40.0 && training_hours > 39.5"));
	cr_assert(run("employment_status == \"unemployed\""));
	cr_assert(!run("employment_status != \"unemployed\""));
	cr_assert(run("discharge_date >= 2025-03-15 && discharge_date < 2025-03-16"));
	cr_assert(run("age >= 40"));
	cr_assert(run("true") && !run("false"));
}

Test(rule, precedence)
{
	cr_assert(run("false && false || true"));
	cr_assert(!run("false && (false || true)"));
	cr_assert(run("!false && true"));
	cr_assert(run("!(training_hours > 50)"));
	cr_assert(run("!!true"));
}

Test(rule, functions)
{
	cr_assert(run("months_since(discharge_date) == 18"));
	cr_assert(run("days_since(discharge_date) == 564"));
	cr_assert(run("years_since(discharge_date) == 1"));
	cr_assert(run("len(skills) == 2"));
	cr_assert(run("present(training_hours) && !present(employment_need)"));
}

Test(rule, membership)
{
	cr_assert(run("employment_status in [\"flexible\", \"unemployed\"]"));
	cr_assert(!run("employment_status in [\"employed\"]"));
	cr_assert(run("training_hours in [1, 40]"));
	/* the list element is escaped in the record: decoded before comparing */
	cr_assert(run("\"welding\" in skills"));
	cr_assert(!run("\"cooking\" in skills"));
}

Test(rule, absent_is_unknown)
{
	/* SPEC: a comparison with an absent field is false, both ways. */
	cr_assert(!run("employment_need == true"));
	cr_assert(!run("employment_need != true"));
	cr_assert(!run("employment_need == false"));
	/* A bare unknown boolean stays unknown; a rule holds only if true. */
	cr_assert(!run("employment_need"));
	cr_assert(!run("!employment_need"));
	cr_assert(!run("employment_need || false"));
	cr_assert(run("employment_need || true"));
	cr_assert(!run("employment_need && true"));
	vals[i_birth].known = 0;
	cr_assert(!run("months_since(discharge_date) < 24"));
	cr_assert(!run("months_since(discharge_date) >= 24"));
	vals[i_skills].known = 0;
	cr_assert(!run("len(skills) == 0"));
	cr_assert(!run("\"welding\" in skills"));
}

Test(rule, errors_with_columns)
{
	bad("trainng_hours < 80", 1, "unknown name 'trainng_hours'");
	bad("training_hours < 80 && foo", 24, "unknown name 'foo'");
	bad("discharge_date < 80", 16, "cannot compare a date with a number");
	bad("training_hours < \"x\"", 16, "cannot compare a number with a string");
	bad("employment_status < \"employed\"", 19, "compares numbers or dates");
	bad("employment_status == \"unemployd\"", 22, "'unemployd' is not a value");
	bad("employment_status in [\"employed\", \"nope\"]", 35, "'nope' is not a value");
	bad("monhts_since(discharge_date) > 1", 1, "unknown function 'monhts_since'");
	bad("months_since(training_hours) > 1", 14, "takes a date, not a number");
	bad("training_hours", 1, "must be a boolean");
	bad("training_hours = 3", 16, "use '=='");
	bad("training_hours < 80 &", 21, "use '&&'");
	bad("(training_hours < 80", 21, "expected ')'");
	bad("training_hours <", 17, "unexpected end");
	bad("discharge_date < 2025-02-30", 18, "impossible date '2025-02-30'");
	bad("discharge_date < 2025-2-3", 18, "bad date");
	bad("employment_status == \"x", 22, "unterminated string");
	bad("later_code", 1, "cannot be used here");
	bad("training_hours < 80 80", 21, "after the rule");
	bad("", 1, "empty rule");
	bad("!training_hours", 1, "'!' takes a boolean");
	bad("present(min_hours)", 9, "unknown field 'min_hours'");
	bad("skills == skills", 8, "cannot compare lists");
	bad("training_hours in skills", 16, "'in' takes a string and a list");
	bad("employment_need @", 17, "unexpected '@'");
}

Test(rule, depth_limit)
{
	char src[400];
	size_t i;

	for (i = 0; i < 100; i++)
		src[i] = '(';
	strcpy(src + 100, "true");
	for (i = 0; i < 100; i++)
		strcat(src, ")");
	bad(src, 17, "nested deeper");
	memset(src, '!', 200);
	strcpy(src + 200, "true");
	bad(src, 32, "nested deeper");
}

Test(rule, explanations)
{
	cr_assert_str_eq(why("training_hours < min_hours"),
	    "training_hours 40 < 80");
	cr_assert_str_eq(why("employment_status == \"unemployed\" && "
	    "months_since(discharge_date) < 24"),
	    "employment_status == unemployed, months_since(discharge_date) 18 < 24");
	cr_assert_str_eq(why("training_hours > 100 || age >= 40"),
	    "age 45 >= 40");
	cr_assert_str_eq(why("present(training_hours)"),
	    "training_hours present");
	cr_assert_str_eq(why("!(training_hours > 50)"),
	    "!(training_hours > 50)");
	cr_assert_str_eq(why("employment_status in [\"flexible\", \"unemployed\"]"),
	    "employment_status unemployed in [\"flexible\", \"unemployed\"]");
}

/* vet_rule_uses() marks what compiling marked, no more and no less:
 * names in every position, present(), literals and calls that name none,
 * a name beside a constant. */
Test(rule, uses_are_the_compilers_marks)
{
	static const char *const srcs[] = {
		"training_hours < min_hours",
		"present(employment_need) && age >= 35",
		"employment_status in [\"unemployed\", \"flexible\"]",
		"\"driving\" in skills || months_since(discharge_date) > 6",
		"true",
		"!(later_code && false) || training_hours > 1",
	};
	unsigned char want[16], got[16];
	struct vet_rule r;
	struct vet_error err;
	size_t i, k;

	for (i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
		for (k = 0; k < tab.n; k++)
			tab.syms[k].used = 0;
		cr_assert_eq(vet_rule_compile(&r, &tab, S_F, 9, srcs[i],
		    strlen(srcs[i]), &err), 0, "%s: %s", srcs[i], err.msg);
		memset(got, 0, sizeof got);
		vet_rule_uses(&r, got);
		for (k = 0; k < tab.n; k++) {
			want[k] = tab.syms[k].used != 0;
			cr_assert_eq(got[k], want[k], "%s: '%s' %d, want %d",
			    srcs[i], tab.syms[k].name, got[k], want[k]);
		}
		vet_rule_release(&r);
	}
}

Test(rule, symtab)
{
	cr_assert_eq(vet_rule_symtab_add(&tab, "age", VET_RT_NUM,
	    VET_RSYM_FIELD, S_F, 0, NULL), VET_ECONFIG);
	cr_assert_eq(vet_rule_symtab_find(&tab, "skills", 6), i_skills);
	cr_assert_eq(vet_rule_symtab_find(&tab, "skill", 5), -1);
}

/* The table's index grows past its first size and still finds every name
 * at its index, tells a name from its prefix, refuses a name twice and
 * refuses the one past VET_RULE_MAX_SYMS. */
Test(rule, symtab_many)
{
	static char names[VET_RULE_MAX_SYMS + 1][16];
	struct vet_rule_symtab t;
	int i;

	vet_rule_symtab_init(&t);
	cr_assert_eq(vet_rule_symtab_find(&t, "a", 1), -1);
	for (i = 0; i < VET_RULE_MAX_SYMS; i++) {
		snprintf(names[i], sizeof names[i], "n%d", i);
		cr_assert_eq(vet_rule_symtab_add(&t, names[i], VET_RT_NUM,
		    VET_RSYM_FIELD, S_F, 0, NULL), i);
	}
	for (i = 0; i < VET_RULE_MAX_SYMS; i++)
		cr_assert_eq(vet_rule_symtab_find(&t, names[i],
		    strlen(names[i])), i, "%s", names[i]);
	/* "n1" is a prefix of "n10": found as itself, not as that. */
	cr_assert_eq(vet_rule_symtab_find(&t, "n10", 2), 1);
	cr_assert_eq(vet_rule_symtab_find(&t, "n", 1), -1);
	cr_assert_eq(vet_rule_symtab_find(&t, "n5000", 5), -1);
	cr_assert_eq(vet_rule_symtab_add(&t, names[7], VET_RT_NUM,
	    VET_RSYM_FIELD, S_F, 0, NULL), VET_ECONFIG);
	snprintf(names[VET_RULE_MAX_SYMS], 16, "x");
	cr_assert_eq(vet_rule_symtab_add(&t, names[VET_RULE_MAX_SYMS],
	    VET_RT_NUM, VET_RSYM_FIELD, S_F, 0, NULL), VET_ECONFIG);
	vet_rule_symtab_release(&t);
}

/* A copy finds what the original finds, and adding to it leaves the
 * original as it was (report's link_uses compiles rules against one). */
Test(rule, symtab_copy)
{
	struct vet_rule_symtab c;

	cr_assert_eq(vet_rule_symtab_copy(&c, &tab), 0);
	cr_assert_eq(vet_rule_symtab_find(&c, "skills", 6), i_skills);
	cr_assert_geq(vet_rule_symtab_add(&c, "copy_only", VET_RT_NUM,
	    VET_RSYM_FIELD, S_F, 0, NULL), 0);
	cr_assert_geq(vet_rule_symtab_find(&c, "copy_only", 9), 0);
	cr_assert_eq(vet_rule_symtab_find(&tab, "copy_only", 9), -1);
	cr_assert_eq(vet_rule_symtab_find(&tab, "skills", 6), i_skills);
	vet_rule_symtab_release(&c);
}

/* Mix mask (0..80) of four slots, each known and true-ish, known and
 * false-ish, or unknown: a digit of mask in base 3 each. */
static void
set_mix(int mask)
{
	static const double yes[] = { 1, 1, 40, 45 }, no[] = { 0, 0, 90, 30 };
	const int slot[] = { i_need, i_cat, i_hours, i_age };
	int k;

	for (k = 0; k < 4; k++, mask /= 3) {
		vals[slot[k]].known = mask % 3 != 2;
		vals[slot[k]].num = mask % 3 == 0 ? yes[k] : no[k];
	}
}

/*
 * vet_rule_eval() runs the flat program; with prog NULL it walks the tree.
 * Both must give the same answer for every rule shape (the program's
 * jumps and three-valued && || !) on every mix of known and unknown slots.
 */
Test(rule, program_equals_walk)
{
	static const char *const rules[] = {
		"employment_need",
		"!employment_need",
		"employment_need && training_hours < 80",
		"training_hours < 80 && employment_need",
		"employment_need || training_hours >= 80",
		"training_hours >= 80 || employment_need",
		"!(employment_need && later_code) || age > 40",
		"(employment_need || later_code) && !(training_hours == 40)",
		"training_hours < min_hours && age <= 45 && "
		    "employment_status == \"unemployed\"",
		"employment_status in [\"employed\", \"flexible\"] || "
		    "\"driving\" in skills",
		"months_since(discharge_date) < 24 && present(employment_need)",
		"!(!(!employment_need)) || (later_code && (age != 45 || "
		    "training_hours > min_hours))",
		"len(skills) >= 2 && discharge_date > 2025-01-01",
	};
	struct vet_rule_env env = { &tab, vals, 0 };
	struct vet_rinsn *prog;
	struct vet_rule r;
	struct vet_error err;
	size_t i;
	int mask, a, b;

	vet_date_from_ymd(2026, 9, 30, &env.as_of);
	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		cr_assert_eq(vet_rule_compile(&r, &tab, S_F, 6, rules[i],
		    strlen(rules[i]), &err), 0, "%s: %s", rules[i], err.msg);
		cr_assert_not_null(r.prog, "%s", rules[i]);
		/* Each of four slots known true-ish, known false-ish or
		 * unknown. */
		for (mask = 0; mask < 81; mask++) {
			set_mix(mask);
			a = vet_rule_eval(&r, &env);
			prog = r.prog;
			r.prog = NULL;
			b = vet_rule_eval(&r, &env);
			r.prog = prog;
			cr_assert_eq(a, b, "'%s' mask %d: program %d, walk %d",
			    rules[i], mask, a, b);
		}
		vet_rule_release(&r);
	}
}

/*
 * The shapes (rule.h) and the alternatives: a chain of && or of || over
 * leaves is run without a stack, anything else as the program.  The
 * alternative vet_rule_alt() gives (from the program's leaves for an
 * `||` chain) must be the tree walk's on every mix of known and unknown
 * slots, and vet_rule_explain_alt() of it what vet_rule_explain() says.
 */
Test(rule, alt_shapes)
{
	static const struct {
		const char *src;
		int shape, nalts;
	} rules[] = {
		{ "employment_need", VET_RSHAPE_ALL, 1 },
		{ "employment_need && training_hours < 80", VET_RSHAPE_ALL, 1 },
		{ "employment_need || training_hours < 80 || age > 40",
		    VET_RSHAPE_ANY, 3 },
		{ "!employment_need || later_code", VET_RSHAPE_ANY, 2 },
		{ "training_hours > min_hours || employment_status == "
		    "\"unemployed\" || !(age != 45)", VET_RSHAPE_ANY, 3 },
		{ "(employment_need && later_code) || age > 40",
		    VET_RSHAPE_PROG, 2 },
		{ "employment_need && (later_code || age > 40)",
		    VET_RSHAPE_PROG, 1 },
	};
	struct vet_rule_env env = { &tab, vals, 0 };
	struct vet_buf a = VET_BUF_INIT, b = VET_BUF_INIT;
	struct vet_rinsn *prog;
	struct vet_rule r;
	struct vet_error err;
	size_t i;
	int mask, k, kw;

	vet_date_from_ymd(2026, 9, 30, &env.as_of);
	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		cr_assert_eq(vet_rule_compile(&r, &tab, S_F, 6, rules[i].src,
		    strlen(rules[i].src), &err), 0, "%s: %s", rules[i].src,
		    err.msg);
		cr_assert_eq(r.shape, rules[i].shape, "%s: shape %d",
		    rules[i].src, r.shape);
		cr_assert_eq(vet_rule_nalts(&r), rules[i].nalts, "%s",
		    rules[i].src);
		for (mask = 0; mask < 81; mask++) {
			set_mix(mask);
			k = vet_rule_alt(&r, &env);
			prog = r.prog;
			r.prog = NULL;
			kw = vet_rule_alt(&r, &env);
			r.prog = prog;
			cr_assert_eq(k, kw, "'%s' mask %d: program %d, walk %d",
			    rules[i].src, mask, k, kw);
			cr_assert(k >= 0 && k < rules[i].nalts);
			if (!vet_rule_eval(&r, &env))
				continue;
			vet_buf_reset(&a);
			vet_buf_reset(&b);
			cr_assert_eq(vet_rule_explain(&r, &env, &a), 0);
			cr_assert_eq(vet_rule_explain_alt(&r, k, &env, &b), 0);
			cr_assert_str_eq(vet_buf_str(&a), vet_buf_str(&b),
			    "'%s' mask %d", rules[i].src, mask);
		}
		vet_rule_release(&r);
	}
	vet_buf_release(&a);
	vet_buf_release(&b);
}

/* Which alternatives explain the same for every record, and which is
 * chosen: the first that holds, else the last. */
Test(rule, alt_choice_and_fixed)
{
	static const char src[] = "training_hours > min_hours || "
	    "employment_status == \"unemployed\" || age >= 40";
	struct vet_rule_env env = { &tab, vals, 0 };
	struct vet_rule r;
	struct vet_error err;

	cr_assert_eq(vet_rule_compile(&r, &tab, S_F, 6, src, strlen(src),
	    &err), 0, "%s", err.msg);
	/* 40 > 80 is false; the status is unemployed. */
	cr_assert_eq(vet_rule_alt(&r, &env), 1);
	vals[i_status].s = "employed";
	vals[i_status].n = 8;
	cr_assert_eq(vet_rule_alt(&r, &env), 2);
	vals[i_age].num = 30;
	cr_assert_eq(vet_rule_alt(&r, &env), 2, "none holds: the last");
	vals[i_hours].num = 90;
	cr_assert_eq(vet_rule_alt(&r, &env), 0);
	/* A field's value shows in 0 and 2; "== literal" shows none. */
	cr_assert_eq(vet_rule_alt_fixed(&r, 0, &tab), 0);
	cr_assert_eq(vet_rule_alt_fixed(&r, 1, &tab), 1);
	cr_assert_eq(vet_rule_alt_fixed(&r, 2, &tab), 0);
	vet_rule_release(&r);
}
