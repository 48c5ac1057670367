/*
 * test_policy.c - loading policy files: every refusal with its line and
 * column, dated parameters, the accessors, the retirement schedule of the
 * built-in policy at each boundary month of the 2025 reform, and the
 * built-in policy's own tests.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vet/classify.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/yaml.h"
#include "../../lib/policy_impl.h"

static const char base[] =
	"id: t\n"
	"title: test\n"
	"effective: 2024-01-01\n"
	"jurisdiction:\n"
	"  name: X\n"
	"  districts: [东城区, 西城区]\n"
	"working_age:\n"
	"  min_age: 16\n"
	"  retirement:\n"
	"    reform_start: 2025-01-01\n"
	"    ref: r\n"
	"    groups:\n"
	"      - {code: men, when: 'sex == \"M\"', base_age: 60, born_from: 1965-01, divisor: 4, cap_months: 36}\n"
	"      - {code: women, when: 'sex == \"F\"', base_age: 50, born_from: 1975-01, divisor: 2, cap_months: 60}\n"
	"parameters:\n"
	"  min_hours:\n"
	"    label: {zh: 学时, en: hours}\n"
	"    values:\n"
	"      - {from: 2025-01-01, value: 96, ref: amended}\n"
	"      - {from: 2024-01-01, value: 80, ref: \"二(二)\"}\n"
	"categories:\n"
	"  - code: short\n"
	"    label: {zh: 短, en: short}\n"
	"    clause: 二(二)\n"
	"    priority: 4\n"
	"    when: training_hours < min_hours\n"
	"priority:\n"
	"  default: 9\n"
	"measures:\n"
	"  - code: train\n"
	"    label: {zh: 培训, en: train}\n"
	"    clause: 二(二)\n"
	"    when: short\n";

/* base with the first occurrence of from replaced by to. */
static char *
edit(const char *from, const char *to)
{
	const char *at = strstr(base, from);
	char *s;

	cr_assert(at != NULL, "'%s' not in the base policy", from);
	s = malloc(sizeof base + strlen(to));
	cr_assert(s != NULL);
	memcpy(s, base, (size_t)(at - base));
	strcpy(s + (at - base), to);
	strcat(s, at + strlen(from));
	return s;
}

/* Loading base with from -> to fails at the first occurrence of needle
 * in the edited text, with msg in the message. */
static void
bad(const char *from, const char *to, const char *needle, const char *msg)
{
	struct vet_policy *p;
	struct vet_error err;
	char *text = edit(from, to);
	const char *at = strstr(text, needle), *q;
	long line = 1, col;

	cr_assert(at != NULL, "needle '%s' not in the text", needle);
	for (q = text; q < at; q++)
		if (*q == '\n')
			line++;
	for (q = at; q > text && q[-1] != '\n'; q--)
		;
	col = (long)(at - q) + 1;
	vet_error_clear(&err);
	cr_assert_eq(vet_policy_load_text(&p, "t.yaml", text, strlen(text),
	    &err), VET_ECONFIG, "'%s' loaded", to);
	cr_assert_str_eq(err.file, "t.yaml");
	cr_assert(err.line == line && err.col == col,
	    "'%s': %ld:%ld, want %ld:%ld (%s)", to, err.line, err.col, line,
	    col, err.msg);
	cr_assert(strstr(err.msg, msg) != NULL, "'%s': message '%s'", to,
	    err.msg);
	free(text);
}

static struct vet_policy *
load_base(void)
{
	struct vet_policy *p;
	struct vet_error err;

	cr_assert_eq(vet_policy_load_text(&p, "t.yaml", base,
	    strlen(base), &err), 0, "%s:%ld:%ld: %s", err.file, err.line,
	    err.col, err.msg);
	return p;
}

static vet_day
D(const char *s)
{
	vet_day d;

	cr_assert_eq(vet_date_parse(s, strlen(s), &d), 0, "%s", s);
	return d;
}

Test(policy, base_loads)
{
	struct vet_policy *p = load_base();
	double v;

	cr_assert_str_eq(vet_policy_id(p), "t");
	cr_assert_eq(vet_policy_ndistricts(p), 2);
	cr_assert(vet_policy_is_district(p, "西城区", strlen("西城区")));
	cr_assert(!vet_policy_is_district(p, "西城", strlen("西城")));
	cr_assert_eq(vet_policy_ncategories(p), 1);
	cr_assert_str_eq(vet_policy_measure(p, 0), "train");
	cr_assert_str_eq(vet_policy_label(p, "short", "en"), "short");
	cr_assert_str_eq(vet_policy_label(p, "train", "zh"), "培训");
	cr_assert_null(vet_policy_label(p, "nothing", "zh"));
	cr_assert_str_eq(vet_policy_clause(p, "train"), "二(二)");
	/* Dated values, given out of order: the one in force applies. */
	cr_assert_eq(vet_policy_param(p, "min_hours", D("2023-12-31"), &v), 0);
	cr_assert_eq(vet_policy_param(p, "min_hours", D("2024-01-01"), &v), 1);
	cr_assert_eq(v, 80);
	cr_assert_eq(vet_policy_param(p, "min_hours", D("2024-12-31"), &v), 1);
	cr_assert_eq(v, 80);
	cr_assert_eq(vet_policy_param(p, "min_hours", D("2025-01-01"), &v), 1);
	cr_assert_eq(v, 96);
	cr_assert_eq(vet_policy_param(p, "max_hours", D("2025-01-01"), &v), 0);
	vet_policy_free(p);
}

/* A value without `from` is in force from the start: the built-in policy
 * classifies as of any date, also one before it was issued. */
Test(policy, undated_value_always_in_force)
{
	struct vet_policy *p;
	struct vet_error err;
	char *text = edit("{from: 2024-01-01, value: 80",
	    "{value: 80");
	double v;

	cr_assert_eq(vet_policy_load_text(&p, "t.yaml", text, strlen(text),
	    &err), 0, "%ld:%ld: %s", err.line, err.col, err.msg);
	cr_assert_eq(vet_policy_param(p, "min_hours", D("1990-01-01"), &v), 1);
	cr_assert_eq(v, 80);
	cr_assert_eq(vet_policy_param(p, "min_hours", D("2024-12-31"), &v), 1);
	cr_assert_eq(v, 80);
	cr_assert_eq(vet_policy_param(p, "min_hours", D("2025-01-01"), &v), 1);
	cr_assert_eq(v, 96);
	vet_policy_free(p);
	free(text);
	bad("{from: 2025-01-01, value: 96, ref: amended}\n"
	    "      - {from: 2024-01-01, value: 80",
	    "{value: 96, ref: amended}\n      - {value: 80", "{value: 80",
	    "two values of 'min_hours' without a from date");
	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0);
	cr_assert_eq(vet_policy_param(p, "adaptive_training_min_hours",
	    D("2000-01-01"), &v), 1);
	cr_assert_eq(v, 80);
	vet_policy_free(p);
}

Test(policy, dated_parameter_changes_classification)
{
	struct vet_policy *p = load_base();
	struct vet_classifier c;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	const char *rec = "{\"sex\":\"M\",\"birth_date\":\"1990-01-01\","
	    "\"training_hours\":90}";

	cr_assert_eq(vet_classify_init(&c, p, D("2024-06-30"), &err), 0);
	cr_assert_eq(vet_classify_line(&c, rec, strlen(rec), &out, &err), 0);
	cr_assert(!c.cat[0]);
	vet_classify_release(&c);
	cr_assert_eq(vet_classify_init(&c, p, D("2025-06-30"), &err), 0);
	cr_assert_eq(vet_classify_line(&c, rec, strlen(rec), &out, &err), 0);
	cr_assert(c.cat[0] && c.meas[0]);
	vet_classify_release(&c);
	/* No value in force: refused before any record. */
	cr_assert_eq(vet_classify_init(&c, p, D("2023-06-30"), &err),
	    VET_ECONFIG);
	cr_assert(strstr(err.msg, "'min_hours' has no value in force on "
	    "2023-06-30") != NULL, "%s", err.msg);
	/* At the earliest `from`, the date an editor would change. */
	cr_assert_str_eq(err.file, "t.yaml");
	cr_assert_eq(err.line, 20);
	cr_assert_eq(err.col, 16);
	vet_buf_release(&out);
	vet_policy_free(p);
}

Test(policy, refusals_with_line_and_column)
{
	bad("title: test\n", "titel: test\n", "titel", "unknown key 'titel'");
	bad("title: test\n", "title: test\ntitle: again\n", "title: again",
	    "duplicate");
	bad("2024-01-01\njuris", "2023-02-30\njuris", "2023-02-30",
	    "impossible date '2023-02-30'");
	bad("effective: 2024-01-01", "effective: soon", "soon",
	    "must be a date");
	bad("priority: 4", "priority: high", "high", "must be a number");
	bad("priority: 4", "priority: [4]", "[4]", "must be a number");
	bad("    priority: 4\n", "    priority: 4\n    prio: 3\n", "prio:",
	    "unknown key 'prio' in category");
	bad("born_from: 1965-01", "born_from: 1965-13", "1965-13",
	    "impossible month");
	bad("divisor: 4", "divisor: 0", "0, cap", "from 1 to 120");
	bad("when: training_hours < min_hours",
	    "when: trainng_hours < min_hours", "trainng_hours",
	    "unknown name 'trainng_hours'");
	/* Quoted: the column is inside the quotes. */
	bad("when: training_hours < min_hours",
	    "when: 'training_hours < min_hourz'", "min_hourz",
	    "unknown name 'min_hourz'");
	/* Folded over two lines: the line and column of the token. */
	bad("when: training_hours < min_hours",
	    "when: 'training_hours < min_hours &&\n      discharge_date < 80'",
	    "< 80", "cannot compare a date with a number");
	bad("when: training_hours < min_hours",
	    "when: months_since(discharge_date) < \"x\"", "< \"x\"",
	    "cannot compare a number with a string");
	bad("when: training_hours < min_hours",
	    "when: placement == \"autonomus\"", "\"autonomus\"",
	    "'autonomus' is not a value of field 'placement'");
	bad("when: training_hours < min_hours", "when: short",
	    "short\npriority", "cannot be used here");
	bad("when: short", "when: shortt", "shortt", "unknown name 'shortt'");
	bad("when: short", "when: monhts(x) > 1", "monhts",
	    "unknown function 'monhts'");
	bad("when: short", "when: len(skills)", "len(", "must be a boolean");
	bad("    when: short\n", "    when: short\ndefaults:\n  trainng_hours: 0\n",
	    "trainng_hours", "unknown field 'trainng_hours'");
	bad("    when: short\n", "    when: short\ndefaults:\n  training_hours: lots\n",
	    "lots", "must be a number");
	bad("    when: short\n", "    when: short\ndefaults:\n  skills: [a]\n",
	    "[a]", "only be the empty list");
	bad("  - code: train", "  - code: Train", "Train", "snake_case");
	bad("  - code: train", "  - code: short", "short\n    label: {zh: 培训",
	    "'short' is already the name");
	bad("    when: short\n", "    when: short\nauthorities:\n  hr: [nme]\n",
	    "nme", "unknown field 'nme'");
	bad("    when: short\n", "    when: short\nauthorities:\n  police: []\n",
	    "police", "unknown key 'police'");
	bad("    when: short\n", "    when: short\ntests:\n  - name: x\n"
	    "    as_of: 2025-01-01\n    record: {sex: M}\n"
	    "    categories: [shrt]\n    measures: []\n", "shrt",
	    "unknown category 'shrt'");
	bad("    when: short\n", "    when: short\nchecks:\n  - code: c\n"
	    "    label: {zh: c, en: c}\n    clause: x\n    severity: fatal\n",
	    "fatal", "severity must be");
	bad("  districts: [东城区, 西城区]", "  districts: [东城区, 东城区]",
	    "东城区]", "listed twice");
}

Test(policy, missing_keys_point_at_the_map)
{
	bad("    priority: 4\n", "", "code: short", "missing key 'priority'");
}

Test(policy, bounded_documents_are_refused_fast)
{
	struct vet_policy *p;
	struct vet_error err;
	size_t n = 200000, i;
	char *deep = malloc(n + 1);
	clock_t t0 = clock();
	const char *bomb =
	    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";

	for (i = 0; i < n; i++)
		deep[i] = '[';
	deep[n] = '\0';
	cr_assert_eq(vet_policy_load_text(&p, "deep.yaml", deep, n, &err),
	    VET_ECONFIG);
	cr_assert_eq(vet_policy_load_text(&p, "bomb.yaml", bomb,
	    strlen(bomb), &err), VET_ECONFIG);
	cr_assert_eq(vet_policy_load_text(&p, "empty.yaml", "", 0, &err),
	    VET_ECONFIG);
	cr_assert(strstr(err.msg, "empty policy") != NULL, "%s", err.msg);
	cr_assert_eq(vet_policy_load_text(&p, "nul.yaml", "id: \0x", 6,
	    &err), VET_ECONFIG);
	cr_assert((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	free(deep);
}

Test(policy, files)
{
	struct vet_policy *p;
	struct vet_error err;

	cr_assert_eq(vet_policy_load(&p, VET_TEST_DATA "/policy/nope.yaml",
	    &err), VET_ECONFIG, "an unreadable policy is a bad policy (78)");
	cr_assert_eq(err.status, VET_ECONFIG);
	cr_assert(strstr(err.msg, "cannot open") != NULL, "%s", err.msg);
	cr_assert_eq(vet_policy_load(&p, VET_TEST_DATA
	    "/policy/type-error.yaml", &err), VET_ECONFIG);
	cr_assert_eq(err.line, 9, "%ld: %s", err.line, err.msg);
	cr_assert_eq(err.col, 26, "%ld: %s", err.col, err.msg);
	cr_assert(strstr(err.file, "type-error.yaml") != NULL);
	cr_assert_eq(vet_policy_load(&p, VET_TEST_DATA
	    "/../../examples/policy/district-96h.yaml", &err), 0, "%s:%ld:%ld: %s",
	    err.file, err.line, err.col, err.msg);
	vet_policy_free(p);
}

Test(policy, builtin)
{
	struct vet_policy *p;
	struct vet_error err;
	double v;

	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0, "%s:%ld:%ld: %s",
	    err.file, err.line, err.col, err.msg);
	cr_assert_str_eq(vet_policy_id(p), "beijing-2023");
	cr_assert_eq(vet_policy_ndistricts(p), 17);
	cr_assert(vet_policy_is_district(p, "北京经济技术开发区",
	    strlen("北京经济技术开发区")));
	cr_assert(vet_policy_is_district(p, "延庆区", strlen("延庆区")));
	cr_assert_eq(vet_policy_ncategories(p), 13);
	cr_assert_str_eq(vet_policy_category(p, 0), "exited");
	cr_assert_str_eq(vet_policy_category(p, 12), "exit_candidate");
	cr_assert_eq(vet_policy_category_priority(p, 10), 1);
	cr_assert_eq(vet_policy_nmeasures(p), 14);
	cr_assert_str_eq(vet_policy_measure(p, 13), "unemployment_insurance");
	cr_assert_eq(vet_policy_nlinks(p), 10);
	cr_assert_str_eq(vet_policy_label(p, vet_policy_link(p, 2), "zh"),
	    "信息建档");
	cr_assert_eq(vet_policy_nchecks(p), 8);
	cr_assert_str_eq(vet_policy_check_severity(p, "job_fairs"), "error");
	cr_assert(vet_policy_is_authority(p, "hr", "difficulty_certified",
	    20));
	cr_assert(!vet_policy_is_authority(p, "hr", "employment_status", 17));
	cr_assert(vet_policy_is_authority(p, "tax", "social_insurance_paid",
	    21));
	/* A key is bytes: its prefix, or it with more after it, is not. */
	cr_assert(!vet_policy_is_authority(p, "tax", "social_insurance_paid",
	    20));
	cr_assert(!vet_policy_is_authority(p, "tax",
	    "social_insurance_paid_x", 22));
	cr_assert(!vet_policy_is_authority(p, "tax", "", 0));
	cr_assert_eq(vet_policy_param(p, "adaptive_training_min_hours",
	    D("2026-09-30"), &v), 1);
	cr_assert_eq(v, 80);
	vet_policy_free(p);
}

Test(policy, builtin_tests_pass)
{
	struct vet_policy *p;
	struct vet_error err;
	struct vet_buf rep = VET_BUF_INIT;
	size_t passed, failed;

	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0);
	cr_assert_eq(vet_policy_run_tests(p, &rep, &passed, &failed, &err), 0);
	cr_assert_eq(failed, 0, "%s", vet_buf_str(&rep));
	cr_assert_geq(passed, 60);
	vet_buf_release(&rep);
	vet_policy_free(p);
}

/* The built-in policy loads its tests only when they run: they are the
 * same tests, as many, as its file's, which are loaded (strictly) with it. */
Test(policy, builtin_tests_are_the_files)
{
	struct vet_policy *p, *q;
	struct vet_error err;
	struct vet_buf rep = VET_BUF_INIT;
	size_t passed, failed, fpassed, ffailed;

	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0);
	cr_assert_eq(vet_policy_load(&q, VET_TEST_DATA
	    "/../../policy/beijing-2023.yaml", &err), 0, "%s", err.msg);
	cr_assert_eq(vet_policy_run_tests(p, &rep, &passed, &failed, &err), 0);
	cr_assert_eq(vet_policy_run_tests(q, &rep, &fpassed, &ffailed, &err),
	    0);
	cr_assert_eq(failed, 0);
	cr_assert_eq(ffailed, 0);
	cr_assert_eq(passed, fpassed);
	/* Twice: the policy is not changed by running them. */
	cr_assert_eq(vet_policy_run_tests(p, &rep, &fpassed, &ffailed, &err),
	    0);
	cr_assert_eq(passed, fpassed);
	vet_buf_release(&rep);
	vet_policy_free(q);
	vet_policy_free(p);
}

static void
retire(struct vet_policy *p, char sex, const char *track, const char *birth,
    const char *want)
{
	vet_day d;
	char got[11];

	cr_assert_eq(vet_policy_retirement_date(p, sex, track, D(birth), &d),
	    1);
	vet_date_format(d, got);
	cr_assert_str_eq(got, want, "%c %s born %s", sex,
	    track ? track : "-", birth);
}

Test(policy, retirement_schedule)
{
	struct vet_policy *p;
	struct vet_error err;

	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0);
	/* Men: base 60, from 1965-01 one month per 4, at most 36. */
	retire(p, 'M', NULL, "1964-12-31", "2024-12-31");
	retire(p, 'M', NULL, "1965-01-01", "2025-02-01");
	retire(p, 'M', NULL, "1965-04-30", "2025-05-30");
	retire(p, 'M', NULL, "1965-05-01", "2025-07-01");
	retire(p, 'M', NULL, "1965-08-20", "2025-10-20");
	retire(p, 'M', NULL, "1965-09-20", "2025-12-20");
	retire(p, 'M', NULL, "1976-08-15", "2039-07-15");	/* k 139: 35 */
	retire(p, 'M', NULL, "1976-09-15", "2039-09-15");	/* k 140: 36 */
	retire(p, 'M', NULL, "1990-06-15", "2053-06-15");	/* capped */
	/* Women workers: base 50, from 1975-01 one month per 2, at most 60. */
	retire(p, 'F', NULL, "1974-12-31", "2024-12-31");
	retire(p, 'F', "worker", "1975-01-01", "2025-02-01");
	retire(p, 'F', NULL, "1975-02-28", "2025-03-28");
	retire(p, 'F', NULL, "1975-03-01", "2025-05-01");
	retire(p, 'F', NULL, "1984-10-10", "2039-09-10");	/* k 117: 59 */
	retire(p, 'F', NULL, "1984-11-10", "2039-11-10");	/* k 118: 60 */
	retire(p, 'F', NULL, "1995-01-10", "2050-01-10");	/* capped */
	/* Women cadres: base 55, from 1970-01 one month per 4, at most 36. */
	retire(p, 'F', "cadre", "1969-12-31", "2024-12-31");
	retire(p, 'F', "cadre", "1970-01-01", "2025-02-01");
	retire(p, 'F', "cadre", "1970-04-01", "2025-05-01");
	retire(p, 'F', "cadre", "1970-05-01", "2025-07-01");
	retire(p, 'F', "cadre", "1981-09-01", "2039-09-01");	/* k 140: 36 */
	retire(p, 'F', "cadre", "1990-01-01", "2048-01-01");	/* capped */
	/* Leap days and month ends: the day is clamped. */
	retire(p, 'M', NULL, "1964-02-29", "2024-02-29");
	retire(p, 'F', NULL, "1972-02-29", "2022-02-28");
	retire(p, 'M', NULL, "1965-01-31", "2025-02-28");
	retire(p, 'M', NULL, "1968-02-29", "2028-12-29");
	retire(p, 'F', NULL, "1975-12-31", "2026-06-30");
	vet_policy_free(p);
}

Test(policy, links)
{
	struct vet_policy *p;
	struct vet_error err;
	struct vet_record r;
	struct vet_policy_delivery d;
	struct vet_buf tmp = VET_BUF_INIT;
	int hits[10], dlv[10], hit, i;
	const char *line = "{\"sex\":\"M\",\"birth_date\":\"1990-05-10\","
	    "\"education\":\"bachelor\",\"skills\":[\"驾驶\"],"
	    "\"household_working_age\":2,\"household_employed\":1,"
	    "\"employment_status\":\"flexible\",\"living_difficulty\":false,"
	    "\"training_hours\":80,\"categories\":[\"flexible_employed\"],"
	    "\"measures\":[\"social_insurance_subsidy\"],\"priority\":9}";

	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0);
	vet_record_init(&r);
	cr_assert_eq(vet_record_parse(&r, line, strlen(line), &err), 0);
	cr_assert_eq(vet_policy_links_eval(p, &r, D("2026-09-30"), hits,
	    &err), 0, "%s", err.msg);
	/* Planned: what the record and its measures call for. */
	cr_assert(!hits[0]);	/* skills_reserve: no training measure */
	cr_assert(!hits[1]);	/* discharge_training: not autonomous */
	cr_assert(hits[2]);	/* information_file: in scope */
	cr_assert(!hits[3]);	/* classified_measures: priority 9 */
	cr_assert(!hits[4] && !hits[5] && !hits[6] && !hits[7]);
	cr_assert(hits[8]);	/* flexible_employment: its subsidy */
	cr_assert(!hits[9]);	/* hardship_assistance */
	cr_assert_eq(vet_policy_link_eval(p, 8, &r, D("2026-09-30"), &hit,
	    &err), 0);
	cr_assert(hit);

	/* Delivered: the record and the events of the period. */
	for (i = 0; i < 10; i++)
		cr_assert(vet_policy_link_has_delivered(p, (size_t)i));
	memset(&d, 0, sizeof d);
	cr_assert_eq(vet_policy_links_deliver(p, &r, D("2026-09-30"), &d,
	    hits, dlv, &tmp, &err), 0, "%s", err.msg);
	cr_assert(hits[2] && hits[8] && !hits[0]);	/* the same planned */
	cr_assert(dlv[2]);	/* the file's fields are all present */
	cr_assert(!dlv[8]);	/* nobody contacted the veteran */
	cr_assert(!dlv[0] && !dlv[1]);
	d.v[VET_DLV_CONTACTS] = 1;
	d.v[VET_DLV_ADAPTIVE_HOURS] = 79.5;
	cr_assert_eq(vet_policy_links_deliver(p, &r, D("2026-09-30"), &d,
	    hits, dlv, &tmp, &err), 0);
	cr_assert(dlv[8] && dlv[9] && dlv[4]);	/* a contact */
	cr_assert(!dlv[1]);	/* 79.5 h < 80 */
	/* Hours to --as-of are not a course of the period. */
	cr_assert(!dlv[0]);
	d.v[VET_DLV_ADAPTIVE_TRAININGS] = 1;
	cr_assert_eq(vet_policy_links_deliver(p, &r, D("2026-09-30"), &d,
	    hits, dlv, &tmp, &err), 0);
	cr_assert(dlv[0]);	/* an adaptive training in the period */
	d.v[VET_DLV_ADAPTIVE_HOURS] = 80;
	d.v[VET_DLV_TARGETED_REFERRALS] = 1;
	cr_assert_eq(vet_policy_links_deliver(p, &r, D("2026-09-30"), &d,
	    hits, dlv, &tmp, &err), 0);
	cr_assert(dlv[1] && dlv[7]);
	cr_assert(!dlv[6]);	/* post_recommendation counts referrals */
	/* Without events only the planned rules run. */
	cr_assert_eq(vet_policy_links_deliver(p, &r, D("2026-09-30"), NULL,
	    hits, NULL, &tmp, &err), 0);
	cr_assert(hits[2] && hits[8]);
	vet_buf_release(&tmp);
	vet_record_release(&r);
	vet_policy_free(p);
}

/*
 * The linker keeps the values across records: each record must come out as
 * a fresh evaluation would make it, whatever the record before it held
 * (fields, codes, event facts), and a second as_of takes that day's
 * parameters.
 */
Test(policy, linker_is_a_fresh_evaluation_per_record)
{
	static const char *const lines[] = {
		"{\"sex\":\"M\",\"birth_date\":\"1990-05-10\","
		"\"education\":\"bachelor\",\"skills\":[\"驾驶\"],"
		"\"household_working_age\":2,\"household_employed\":1,"
		"\"employment_status\":\"flexible\",\"living_difficulty\":false,"
		"\"training_hours\":80,\"categories\":[\"flexible_employed\"],"
		"\"measures\":[\"social_insurance_subsidy\"],\"priority\":9}",
		"{\"employment_status\":\"unemployed\",\"priority\":1,"
		"\"categories\":[\"hard_to_place\"]}",
		"{\"placement\":\"autonomous\",\"discharge_date\":\"2026-01-05\","
		"\"training_hours\":12,\"measures\":[\"adaptive_training\"]}",
		"{}",
	};
	static const double hours[] = { 0, 80, 79.5, 3 };
	struct vet_policy *p;
	struct vet_policy_linker *lk;
	struct vet_error err;
	struct vet_record r;
	struct vet_policy_delivery d;
	struct vet_buf tmp = VET_BUF_INIT;
	int h1[16], d1[16], h2[16], d2[16], round, rc1, rc2;
	size_t i, k, n;
	vet_day as_of;

	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0);
	n = vet_policy_nlinks(p);
	cr_assert(n > 0 && n <= 16);
	cr_assert_eq(vet_policy_linker_new(&lk, p, D("2026-09-30"), &err), 0,
	    "%s", err.msg);
	vet_record_init(&r);
	for (round = 0; round < 3; round++) {
		as_of = round == 2 ? D("2024-03-31") : D("2026-09-30");
		for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
			cr_assert_eq(vet_record_parse(&r, lines[i],
			    strlen(lines[i]), &err), 0);
			memset(&d, 0, sizeof d);
			d.v[VET_DLV_CONTACTS] = (double)(i % 2);
			d.v[VET_DLV_ADAPTIVE_HOURS] = hours[i];
			d.v[VET_DLV_TARGETED_REFERRALS] = (double)(i == 1);
			/* Events on every other call: the planned rule
			 * must never see the previous call's. */
			rc1 = vet_policy_links_deliver(p, &r, as_of,
			    (i + round) % 2 ? &d : NULL, h1, d1, &tmp, &err);
			rc2 = vet_policy_linker_eval(lk, &r, as_of,
			    (i + round) % 2 ? &d : NULL, h2, d2, &err);
			cr_assert_eq(rc1, rc2, "record %zu", i);
			for (k = 0; k < n; k++) {
				cr_assert_eq(h1[k] != 0, h2[k] != 0,
				    "round %d record %zu link %zu planned",
				    round, i, k);
				if ((i + round) % 2)
					cr_assert_eq(d1[k] != 0, d2[k] != 0,
					    "round %d record %zu link %zu "
					    "delivered", round, i, k);
			}
		}
	}
	/* The second record has no measures: the first one's subsidy must
	 * not carry over into it. */
	cr_assert_eq(vet_record_parse(&r, lines[0], strlen(lines[0]), &err),
	    0);
	cr_assert_eq(vet_policy_linker_eval(lk, &r, D("2026-09-30"), NULL, h2,
	    NULL, &err), 0);
	cr_assert(h2[8]);
	cr_assert_eq(vet_record_parse(&r, lines[1], strlen(lines[1]), &err),
	    0);
	cr_assert_eq(vet_policy_linker_eval(lk, &r, D("2026-09-30"), NULL, h2,
	    NULL, &err), 0);
	cr_assert(!h2[8]);
	vet_policy_linker_free(lk);
	vet_policy_linker_free(NULL);
	vet_buf_release(&tmp);
	vet_record_release(&r);
	vet_policy_free(p);
}

Test(policy, check_clause_is_the_checks_own)
{
	struct vet_policy *p;
	struct vet_error err;

	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0, "%s", err.msg);
	/* monthly_contact is a measure (二(八)(十)) and a check (二(十)). */
	cr_assert_str_eq(vet_policy_clause(p, "monthly_contact"), "二(八)(十)");
	cr_assert_str_eq(vet_policy_check_clause(p, "monthly_contact"),
	    "二(十)");
	cr_assert_str_eq(vet_policy_check_clause(p, "job_fairs"), "二(七)");
	cr_assert_null(vet_policy_check_clause(p, "training_incomplete"));
	vet_policy_free(p);
}

/* vet-policy(5): a jurisdiction's prefixes and aliases, and what the
 * district name of a spelling is. */
Test(policy, district_aliases)
{
	struct vet_policy *p;
	struct vet_error err;
	char *text = edit("  districts: [东城区, 西城区]\n",
	    "  prefixes: [X市]\n  districts: [东城区, 西城区]\n"
	    "  aliases: {东城: 东城区, 老城: 西城区}\n");

	cr_assert_eq(vet_policy_load_text(&p, "t.yaml", text, strlen(text),
	    &err), 0, "%s", err.msg);
#define DN(s) vet_policy_district_name(p, s, strlen(s))
	cr_assert_str_eq(DN("东城区"), "东城区");
	cr_assert_str_eq(DN("东城"), "东城区");
	cr_assert_str_eq(DN("X市东城"), "东城区");
	cr_assert_str_eq(DN("X市東城區"), "东城区");
	cr_assert_str_eq(DN("老城"), "西城区");
	cr_assert_null(DN("X市"));
	cr_assert_null(DN("北京市东城区"));	/* not this city's prefix */
	cr_assert_null(DN("南城"));
#undef DN
	vet_policy_free(p);
	free(text);
	bad("  districts: [东城区, 西城区]\n",
	    "  districts: [东城区, 西城区]\n  aliases: {东城: 南城区}\n",
	    "南城区", "alias '东城' names '南城区', which is not a district");
	bad("  districts: [东城区, 西城区]\n",
	    "  districts: [东城区, 西城区]\n  aliases: {西城区: 东城区}\n",
	    "西城区: 东城区", "alias '西城区' is a district itself");
	bad("  districts: [东城区, 西城区]\n",
	    "  districts: [东城区, 西城区]\n  prefixes: ['']\n", "''",
	    "a prefix must not be empty");
}

Test(policy, contradictions)
{
	struct vet_policy *p;
	struct vet_error err;
	const struct vet_policy_contradiction *c;
	char *text = edit("categories:\n", "contradictions:\n"
	    "  - ledger: {employment_status: [employed]}\n"
	    "    extract: {unemployment_registered: [true]}\n"
	    "    hint: check\n"
	    "categories:\n");

	cr_assert_eq(vet_policy_load_text(&p, "t.yaml", text, strlen(text),
	    &err), 0, "%s", err.msg);
	cr_assert_eq(vet_policy_ncontradictions(p), 1);
	c = vet_policy_contradiction(p, 0);
	cr_assert_str_eq(c->ledger, "employment_status");
	cr_assert_eq(c->nledger, 1);
	cr_assert_str_eq(c->ledger_values[0], "employed");
	cr_assert_str_eq(c->extract, "unemployment_registered");
	cr_assert_str_eq(c->extract_values[0], "true");
	cr_assert_str_eq(c->hint, "check");
	cr_assert_null(vet_policy_contradiction(p, 1));
	vet_policy_free(p);
	free(text);
	/* The built-in policy lists SPEC's two. */
	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(vet_policy_ncontradictions(p), 2);
	cr_assert_str_eq(vet_policy_contradiction(p, 1)->extract,
	    "difficulty_certified");
	cr_assert_eq(vet_policy_contradiction(p, 1)->nledger, 3);
	vet_policy_free(p);
	bad("categories:\n", "contradictions:\n"
	    "  - ledger: {employment_statu: [employed]}\n"
	    "    extract: {unemployment_registered: [true]}\n"
	    "    hint: x\ncategories:\n", "employment_statu",
	    "unknown field 'employment_statu'");
	bad("categories:\n", "contradictions:\n"
	    "  - ledger: {employment_status: [employd]}\n"
	    "    extract: {unemployment_registered: [true]}\n"
	    "    hint: x\ncategories:\n", "employd",
	    "'employd' is not a value of field 'employment_status'");
	bad("categories:\n", "contradictions:\n"
	    "  - ledger: {employment_status: [employed]}\n"
	    "    extract: {unemployment_registered: [yes]}\n"
	    "    hint: x\ncategories:\n", "yes]",
	    "'yes' is not a value of field 'unemployment_registered'");
	bad("categories:\n", "contradictions:\n"
	    "  - ledger: {employment_status: [employed]}\n"
	    "    extract: {unemployment_registered: [true]}\n"
	    "categories:\n", "ledger", "hint");
}

/*
 * A link has a planned rule (or its older name when) and may have a
 * delivered rule; only the delivered rule sees the event facts, so that
 * planned says what the record asks for, not what was done.
 */
Test(policy, link_rules_planned_and_delivered)
{
	static const char *const links =
	    "    when: short\n"
	    "links:\n"
	    "  - code: l1\n"
	    "    label: {zh: 一, en: one}\n"
	    "    clause: 二(二)\n"
	    "    planned: train\n"
	    "    delivered: 'adaptive_hours >= min_hours && contacts > 0'\n"
	    "  - code: l2\n"
	    "    label: {zh: 二, en: two}\n"
	    "    clause: 二(二)\n"
	    "    when: short\n";
	struct vet_policy *p;
	struct vet_error err;
	char *text = edit("    when: short\n", links);

	cr_assert_eq(vet_policy_load_text(&p, "t.yaml", text, strlen(text),
	    &err), 0, "%s:%ld: %s", err.file, err.line, err.msg);
	cr_assert_eq(vet_policy_nlinks(p), 2);
	cr_assert(vet_policy_link_has_delivered(p, 0));
	cr_assert(!vet_policy_link_has_delivered(p, 1));
	vet_policy_free(p);
	free(text);
	bad("    when: short\n", "    when: short\nlinks:\n  - code: l1\n"
	    "    label: {zh: 一, en: one}\n    clause: x\n"
	    "    planned: 'contacts > 0'\n", "contacts", "contacts");
	bad("    when: short\n", "    when: short\nlinks:\n  - code: l1\n"
	    "    label: {zh: 一, en: one}\n    clause: x\n"
	    "    planned: short\n    when: short && train\n", "short && train",
	    "both 'planned' and 'when'");
}

/*
 * The built-in policy is C data that make wrote (gen/policy2c) from a load
 * of policy/beijing-2023.yaml: written again, it must be the text a fresh
 * load of the same bytes writes, member for member and rule for rule, or
 * the built-in policy would differ from the file.  (What the writer
 * leaves out, the command-line case vet-classify/builtin-is-the-file
 * catches: every tool gives the same bytes with either.)
 */
Test(policy, builtin_is_the_file)
{
	struct vet_policy *a, *b;
	struct vet_buf ca = VET_BUF_INIT, cb = VET_BUF_INIT;
	struct vet_error e;

	vet_error_clear(&e);
	cr_assert_eq(vet_policy_load(&a, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(a->builtin, 1);
	cr_assert_eq(vet_policy_load_text(&b, "<built-in>",
	    vet_policy_builtin_yaml, vet_policy_builtin_len, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(b->builtin, 0);
	cr_assert_gt(b->ntests, 10);
	/* The classifier's pieces are test_classify's to prove. */
	cr_assert_not_null(a->cpre);
	cr_assert_null(b->cpre);
	cr_assert_eq(vet_policy__emit_c(a, "p", "t", "c", &ca), 0);
	cr_assert_eq(vet_policy__emit_c(b, "p", "t", "c", &cb), 0);
	cr_assert_gt(ca.len, 100000);
	cr_assert_str_eq(vet_buf_str(&ca), vet_buf_str(&cb));
	vet_buf_release(&ca);
	vet_buf_release(&cb);
	vet_policy_free(a);	/* leaves the built-in one alone */
	vet_policy_free(b);
	cr_assert_str_eq(vet_policy_id(a), "beijing-2023");
}

/* The built-in policy's tests, parsed from its text when run, all pass
 * and are as many as the text holds. */
Test(policy, builtin_tests_run_from_the_text)
{
	struct vet_policy *p;
	struct vet_yaml_doc d;
	struct vet_error e;
	struct vet_buf r = VET_BUF_INIT;
	size_t passed, failed;

	vet_error_clear(&e);
	cr_assert_eq(vet_policy_load(&p, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(vet_policy_run_tests(p, &r, &passed, &failed, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(failed, 0, "%s", vet_buf_str(&r));
	cr_assert_eq(vet_yaml_load(&d, "<built-in>", vet_policy_builtin_yaml,
	    vet_policy_builtin_len, &e), 0, "%s", e.msg);
	cr_assert_eq(passed, vet_yaml_get(d.root, "tests")->n);
	cr_assert_gt(passed, 10);
	vet_yaml_release(&d);
	vet_buf_release(&r);
	vet_policy_free(p);
}

/* Loading it twice gives the same policy, shared and never freed. */
Test(policy, builtin_loads_twice)
{
	struct vet_policy *a, *b;
	struct vet_error e;

	vet_error_clear(&e);
	cr_assert_eq(vet_policy_load(&a, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(vet_policy_load(&b, NULL, &e), 0, "%s", e.msg);
	cr_assert_str_eq(vet_policy_id(a), vet_policy_id(b));
	cr_assert_eq(a, b);
	vet_policy_free(a);
	vet_policy_free(b);
}
