/*
 * test_report.c - the aggregation and writers of vet-report (report.h),
 * against a small schema made here so the figures can be worked out by
 * hand.  The schema from the real policy is exercised by the CLI cases.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/record.h"
#include "vet/report.h"

/* ---- a test schema ------------------------------------------------------ */

static const char *cats[] = { "registered_unemployed", "hard_to_place",
    "out_of_scope", "exited" };
static const char *links[] = { "skill_reserve", "difficulty_aid" };
static const char *districts[] = { "东城区", "西城区", "朝阳区" };

/* skill_reserve: the record has skills; difficulty_aid: it is
 * hard_to_place (the real rules live in the policy file). */
static int
links_eval(void *ctx, const struct vet_record *r, vet_day as_of, int *hits,
    struct vet_error *err)
{
	const struct vet_field *f;
	size_t i;

	(void)ctx;
	(void)as_of;
	(void)err;
	hits[0] = vet_record_get(r, "skills") != NULL;
	hits[1] = 0;
	if ((f = vet_record_get(r, "categories")) != NULL)
		for (i = 0; i + 15 <= f->val.n; i++)
			if (memcmp(f->val.p + i, "\"hard_to_place\"", 15) == 0)
				hits[1] = 1;
	return 0;
}

static const char *
label(void *ctx, const char *code, const char *lang)
{
	static const char *const tab[][3] = {
		{ "registered_unemployed", "登记失业", "Registered unemployed" },
		{ "hard_to_place", "挂账管理", "Hard to place" },
		{ "out_of_scope", "不在范围", "Out of scope" },
		{ "exited", "退出", "Exited" },
		{ "skill_reserve", "技能储备", "Skill reserve" },
		{ "difficulty_aid", "困难帮扶", "Difficulty aid" },
		{ "monthly_contact", "每月联系", "Monthly contact" },
	};
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(tab[i][0], code) == 0)
			return tab[i][strcmp(lang, "en") == 0 ? 2 : 1];
	return NULL;
}

static struct vet_report_schema schema = {
	.policy_id = "test-policy",
	.ncat = 4, .cats = cats,
	.nlinks = 2, .links = links,
	.ndistricts = 3, .districts = districts,
	.links_eval = links_eval,
	.label = label,
	.training_min_hours = 80,
	.training_window_months = 24,
	.hard_to_place_after_months = 6,
	.job_fairs_per_year = 2,
};

static struct vet_report_period
q3(void)
{
	struct vet_report_period pd;
	vet_day asof;

	cr_assert_eq(vet_date_parse("2026-09-30", 10, &asof), 0);
	cr_assert_eq(vet_report_period_parse(&pd, "2026Q3", NULL, NULL, asof,
	    NULL), 0);
	return pd;
}

static struct vet_report *
new_report(enum vet_report_by by)
{
	struct vet_report *r;
	struct vet_report_period pd = q3();

	cr_assert_eq(vet_report_new(&r, &schema, &pd, by, NULL), 0);
	return r;
}

/* Adds one line with fn; returns its status. */
static int
add(struct vet_report *r, const char *line,
    int (*fn)(struct vet_report *, const struct vet_record *,
    struct vet_error *))
{
	struct vet_record rec;
	struct vet_error err;
	int rc;

	vet_record_init(&rec);
	cr_assert_eq(vet_record_parse(&rec, line, strlen(line), &err), 0,
	    "%s", line);
	rc = fn(r, &rec, &err);
	vet_record_release(&rec);
	return rc;
}

static char *
fmt(struct vet_report *r, enum vet_report_format f, const char *lang,
    long min_cell)
{
	struct vet_report_fmt o = { f, lang, 1, min_cell };
	struct vet_buf b = VET_BUF_INIT;

	cr_assert_eq(vet_report_format(r, &o, &b, NULL), 0);
	return b.data;
}

/* Four veterans of two districts, with the hand-worked figures below. */
static const char *vets[] = {
	"{\"id\":\"110101199001011234\",\"district\":\"西城区\","
	    "\"categories\":[\"registered_unemployed\",\"hard_to_place\"],"
	    "\"priority\":1,\"measures\":[\"one_on_one\"],"
	    "\"assisted_since\":\"2025-01-10\",\"skills\":[\"电工\"],"
	    "\"as_of\":\"2026-09-30\"}",
	"{\"district\":\"东城区\",\"categories\":[\"out_of_scope\"],"
	    "\"priority\":9}",
	"{\"district\":\"东城区\",\"categories\":[],\"priority\":5,"
	    "\"placement\":\"autonomous\",\"discharge_date\":\"2025-12-01\","
	    "\"training_hours\":80,\"skills\":[],\"as_of\":\"2026-06-30\"}",
	"{\"district\":\"东城区\",\"categories\":[\"registered_unemployed\"],"
	    "\"priority\":4,\"placement\":\"autonomous\","
	    "\"discharge_date\":\"2026-01-01\",\"training_hours\":12.5}",
};

static struct vet_report *
sample(enum vet_report_by by)
{
	struct vet_report *r = new_report(by);
	size_t i;

	for (i = 0; i < sizeof vets / sizeof vets[0]; i++)
		cr_assert_eq(add(r, vets[i], vet_report_add), 0);
	return r;
}

/* ---- display width ------------------------------------------------------ */

Test(report, width_ascii_and_cjk)
{
	cr_assert_eq(vet_report_width("abc", 3), 3);
	cr_assert_eq(vet_report_width("登记失业", strlen("登记失业")), 8);
	cr_assert_eq(vet_report_width("（未填）", strlen("（未填）")), 8);
	cr_assert_eq(vet_report_width("区 A", strlen("区 A")), 4);
	/* e + combining acute accent is one column. */
	cr_assert_eq(vet_report_width("e\xCC\x81", 3), 1);
	/* A Hangul syllable and an emoji are wide; an em dash is not. */
	cr_assert_eq(vet_report_width("\xEA\xB0\x80", 3), 2);
	cr_assert_eq(vet_report_width("\xF0\x9F\x98\x80", 4), 2);
	cr_assert_eq(vet_report_width("—", strlen("—")), 1);
	cr_assert_eq(vet_report_width("（", strlen("（")), 2);
}

/* The edges of the two fast paths (printable ASCII, the unified
 * ideographs) and what lies just outside them. */
Test(report, width_fast_path_edges)
{
	cr_assert_eq(vet_report_width(" ~", 2), 2);
	cr_assert_eq(vet_report_width("\x7F\t\x1F", 3), 0);
	cr_assert_eq(vet_report_width("\xE4\xB8\x80", 3), 2);	/* U+4E00 */
	cr_assert_eq(vet_report_width("\xE9\xBF\xBF", 3), 2);	/* U+9FFF */
	cr_assert_eq(vet_report_width("\xE4\xB7\x80", 3), 1);	/* U+4DC0 */
	cr_assert_eq(vet_report_width("\xEA\x80\x80", 3), 2);	/* U+A000 */
	cr_assert_eq(vet_report_width("\xC2\x85", 2), 0);	/* U+0085 */
}

Test(report, width_invalid_bytes_count_one_each)
{
	cr_assert_eq(vet_report_width("\xFF\xFE", 2), 2);
	/* A truncated three-byte sequence: each byte one column. */
	cr_assert_eq(vet_report_width("\xE4\xB8", 2), 2);
	/* An ideograph's lead with a bad third byte; one cut at the end. */
	cr_assert_eq(vet_report_width("\xE4\xB8\x41", 3), 3);
	cr_assert_eq(vet_report_width("\xE6\x96\x87\xE5", 4), 3);
	cr_assert_eq(vet_report_width("a\0b", 3), 2);
}

/* ---- the period --------------------------------------------------------- */

static void
expect_period(const char *q, const char *from, const char *to,
    const char *asof, const char *want_from, const char *want_to,
    const char *want_label)
{
	struct vet_report_period pd;
	vet_day a;
	char f[11], t[11];

	cr_assert_eq(vet_date_parse(asof, strlen(asof), &a), 0);
	cr_assert_eq(vet_report_period_parse(&pd, q, from, to, a, NULL), 0);
	vet_date_format(pd.from, f);
	vet_date_format(pd.to, t);
	cr_assert_str_eq(f, want_from);
	cr_assert_str_eq(t, want_to);
	cr_assert_str_eq(pd.label, want_label);
}

Test(report, period_forms)
{
	expect_period("2026Q3", NULL, NULL, "2027-01-05", "2026-07-01",
	    "2026-09-30", "2026Q3");
	expect_period("previous", NULL, NULL, "2026-10-01", "2026-07-01",
	    "2026-09-30", "2026Q3");
	expect_period("previous", NULL, NULL, "2026-02-14", "2025-10-01",
	    "2025-12-31", "2025Q4");
	expect_period("current", NULL, NULL, "2026-02-14", "2026-01-01",
	    "2026-03-31", "2026Q1");
	expect_period(NULL, NULL, NULL, "2026-12-31", "2026-10-01",
	    "2026-12-31", "2026Q4");
	expect_period(NULL, "2026-07-15", "2026-08-15", "2026-12-31",
	    "2026-07-15", "2026-08-15", "2026-07-15..2026-08-15");
}

Test(report, period_errors)
{
	struct vet_report_period pd;
	struct vet_error err;

	cr_assert_eq(vet_report_period_parse(&pd, "2026Q5", NULL, NULL, 0,
	    &err), VET_EUSAGE);
	cr_assert_str_eq(err.msg, "invalid quarter '2026Q5' (YYYYQn, "
	    "previous or current)");
	cr_assert_eq(vet_report_period_parse(&pd, "26Q1", NULL, NULL, 0,
	    &err), VET_EUSAGE);
	cr_assert_eq(vet_report_period_parse(&pd, "2026Q1x", NULL, NULL, 0,
	    &err), VET_EUSAGE);
	cr_assert_eq(vet_report_period_parse(&pd, "2026Q1", "2026-01-01",
	    "2026-02-01", 0, &err), VET_EUSAGE);
	cr_assert_eq(vet_report_period_parse(&pd, NULL, "2026-01-01", NULL,
	    0, &err), VET_EUSAGE);
	cr_assert_eq(vet_report_period_parse(&pd, NULL, "2026-03-01",
	    "2026-02-01", 0, &err), VET_EUSAGE);
	cr_assert_eq(vet_report_period_parse(&pd, NULL, "2020-01-01",
	    "2025-06-01", 0, &err), VET_EUSAGE);
	cr_assert_str_eq(err.msg,
	    "period '2020-01-01..2025-06-01' is longer than 64 months");
	cr_assert_eq(vet_report_period_parse(&pd, NULL, "2026-02-30",
	    "2026-03-01", 0, &err), VET_EUSAGE);
}

/* ---- aggregation and json ----------------------------------------------- */

/*
 * The json of the sample, worked out by hand:
 * veterans 4 (东城区 3, 西城区 1); registered_unemployed 2 (one each),
 * hard_to_place 1 (西城区), out_of_scope 1 (东城区).  Priorities 1, 4, 5,
 * 9.  skill_reserve: records 1 and 3 have skills; difficulty_aid: record 1.
 * Needs action (in scope, no employment_status): records 1, 3, 4; the
 * test schema has no priorities, so the first category in table order is
 * the most urgent: registered_unemployed for 1 and 4, none for 3.
 * Training: records 3 and 4 are autonomous and discharged under 24 months
 * before 2026-09-30; record 3 has 80 h (met), record 4 12.5 h.  No events:
 * the contact figures and every delivered of the chain are null.  六有,
 * planned/delivered: policy (priority 1-5, with measures) 东城区 2/0,
 * 西城区 1/1; staff (needs action, contacted) 2 and 1, delivered null;
 * files and data (in scope; complete, and reconciled) 2/0 and 1/0; jobs
 * and channels (seeking: none has employment_need) 0, delivered null.
 */
Test(report, json_by_hand)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT);
	char *j = fmt(r, VET_REPORT_JSON, NULL, 1);

	cr_assert_str_eq(j,
	    "{\"period\":\"2026Q3\",\"from\":\"2026-07-01\","
	    "\"to\":\"2026-09-30\",\"as_of\":\"2026-09-30\","
	    "\"policy\":\"test-policy\",\"veterans\":4,"
	    "\"totals\":{\"veterans\":4,\"registered_unemployed\":2,"
	    "\"hard_to_place\":1,\"out_of_scope\":1,\"exited\":0},"
	    "\"by_district\":{"
	    "\"东城区\":{\"veterans\":3,\"registered_unemployed\":1,"
	    "\"hard_to_place\":0,\"out_of_scope\":1,\"exited\":0},"
	    "\"西城区\":{\"veterans\":1,\"registered_unemployed\":1,"
	    "\"hard_to_place\":1,\"out_of_scope\":0,\"exited\":0}},"
	    "\"priority\":{\"1\":1,\"2\":0,\"3\":0,\"4\":1,\"5\":1,\"6\":0,"
	    "\"7\":0,\"8\":0,\"9\":1,\"none\":0},"
	    "\"needs_action\":{\"veterans\":3,\"by_urgent_category\":{"
	    "\"registered_unemployed\":2,\"hard_to_place\":0,"
	    "\"out_of_scope\":0,\"exited\":0,\"none\":1}},"
	    "\"needs_action_by_district\":{"
	    "\"东城区\":{\"veterans\":2,\"by_urgent_category\":{"
	    "\"registered_unemployed\":1,\"hard_to_place\":0,"
	    "\"out_of_scope\":0,\"exited\":0,\"none\":1}},"
	    "\"西城区\":{\"veterans\":1,\"by_urgent_category\":{"
	    "\"registered_unemployed\":1,\"hard_to_place\":0,"
	    "\"out_of_scope\":0,\"exited\":0,\"none\":0}}},"
	    "\"chain\":{\"skill_reserve\":{\"planned\":2,\"delivered\":null},"
	    "\"difficulty_aid\":{\"planned\":1,\"delivered\":null}},"
	    "\"compliance\":{\"training\":{\"met\":1,\"due\":2},"
	    "\"monthly_contact\":null,\"consultations\":null,"
	    "\"job_fairs\":null,\"job_fairs_target\":2,\"findings\":null,"
	    "\"by_district\":{"
	    "\"东城区\":{\"training\":{\"met\":1,\"due\":2},"
	    "\"monthly_contact\":null,\"consultations\":null,"
	    "\"job_fairs\":null},"
	    "\"西城区\":{\"training\":{\"met\":0,\"due\":0},"
	    "\"monthly_contact\":null,\"consultations\":null,"
	    "\"job_fairs\":null}}},"
	    "\"scorecard\":{"
	    "\"东城区\":{\"policy\":{\"planned\":2,\"delivered\":0},"
	    "\"staff\":{\"planned\":2,\"delivered\":null},"
	    "\"files\":{\"planned\":2,\"delivered\":0},"
	    "\"data\":{\"planned\":2,\"delivered\":0},"
	    "\"jobs\":{\"planned\":0,\"delivered\":null},"
	    "\"channels\":{\"planned\":0,\"delivered\":null}},"
	    "\"西城区\":{\"policy\":{\"planned\":1,\"delivered\":1},"
	    "\"staff\":{\"planned\":1,\"delivered\":null},"
	    "\"files\":{\"planned\":1,\"delivered\":0},"
	    "\"data\":{\"planned\":1,\"delivered\":0},"
	    "\"jobs\":{\"planned\":0,\"delivered\":null},"
	    "\"channels\":{\"planned\":0,\"delivered\":null}}}}\n");
	free(j);
	vet_report_free(r);
}

Test(report, rejects_what_it_cannot_count)
{
	struct vet_report *r = new_report(VET_REPORT_BY_DISTRICT);
	struct vet_record rec;
	struct vet_error err;
	const char *bad[] = {
		"{\"categories\":[]}",
		"{\"district\":\"\"}",
		"{\"district\":7}",
		"{\"district\":\"东城区\",\"categories\":\"hard_to_place\"}",
		"{\"district\":\"东城区\",\"categories\":[1]}",
		"{\"district\":\"东城区\",\"priority\":\"1\"}",
		"{\"district\":\"东城区\",\"kind\":\"job\"}",
		"{\"district\":\"东城区\",\"as_of\":\"2026-13-01\"}",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		vet_record_init(&rec);
		cr_assert_eq(vet_record_parse(&rec, bad[i], strlen(bad[i]),
		    &err), 0);
		cr_assert_eq(vet_report_add(r, &rec, &err), VET_EDATA, "%s",
		    bad[i]);
		vet_record_release(&rec);
	}
	cr_assert_str_eq(err.msg, "field 'as_of' is not a date YYYY-MM-DD");
	vet_report_free(r);
}

/* Contacts join by id; only months that are over and in the duty count. */
Test(report, monthly_contact_and_events)
{
	struct vet_report *r = new_report(VET_REPORT_BY_DISTRICT);
	char *j;

	vet_report_expect(r, 1, 1);
	cr_assert_eq(add(r, "{\"type\":\"contact\",\"id\":\"110101199001011234\","
	    "\"date\":\"2026-07-03\"}", vet_report_add_event), 0);
	/* After as_of: ignored. */
	cr_assert_eq(add(r, "{\"type\":\"contact\",\"id\":\"110101199001011234\","
	    "\"date\":\"2026-10-03\"}", vet_report_add_event), 0);
	cr_assert_eq(add(r, "{\"type\":\"job_fair\",\"district\":\"西城区\","
	    "\"date\":\"2026-03-03\"}", vet_report_add_event), 0);
	cr_assert_eq(add(r, "{\"type\":\"job_fair\",\"district\":\"西城区\","
	    "\"date\":\"2025-12-03\"}", vet_report_add_event), 0);
	cr_assert_eq(add(r, "{\"type\":\"consultation\",\"district\":\"西城区\","
	    "\"date\":\"2026-08-03\"}", vet_report_add_event), 0);
	cr_assert_eq(add(r, "{\"type\":\"consultation\",\"district\":\"海淀区\","
	    "\"date\":\"2026-08-03\"}", vet_report_add_event), 0);
	cr_assert_eq(add(r, "{\"type\":\"contact\",\"date\":\"2026-08-03\"}",
	    vet_report_add_event), VET_EDATA);
	cr_assert_eq(add(r, "{\"check\":\"monthly_contact\",\"id\":\"x\"}",
	    vet_report_add_finding), 0);
	cr_assert_eq(add(r, vets[0], vet_report_add), 0);
	j = fmt(r, VET_REPORT_JSON, NULL, 1);
	/* SPEC 2.3: 2026-09 is over on 2026-09-30, as vet-audit says:
	 * July (contacted), August and September. */
	cr_assert(strstr(j, "\"monthly_contact\":{\"met\":1,\"due\":3},"
	    "\"consultations\":1,\"job_fairs\":1,\"job_fairs_target\":2,"
	    "\"findings\":{\"monthly_contact\":1}"), "%s", j);
	/* 有人员服务: the one veteran needing action was contacted; no post
	 * (the fairs offered none, no --jobs) for no seeker. */
	cr_assert(strstr(j, "\"staff\":{\"planned\":1,\"delivered\":1}"),
	    "%s", j);
	cr_assert(strstr(j, "\"jobs\":{\"planned\":0,\"delivered\":0}"),
	    "%s", j);
	/* 海淀区 has no veterans in the input: not in the report. */
	cr_assert_null(strstr(j, "海淀区"));
	free(j);
	vet_report_free(r);
}

/* ---- partials ----------------------------------------------------------- */

static char *
merged(size_t nparts, enum vet_report_format f, enum vet_report_by by)
{
	struct vet_report *parts[8], *m;
	struct vet_buf p = VET_BUF_INIT;
	struct vet_error err;
	size_t i;
	char *out, *line, *nl;

	cr_assert(nparts <= 8);
	for (i = 0; i < nparts; i++) {
		parts[i] = new_report(by);
		vet_report_expect(parts[i], 1, 0);
		cr_assert_eq(add(parts[i], "{\"type\":\"job_fair\","
		    "\"district\":\"东城区\",\"date\":\"2026-03-03\"}",
		    vet_report_add_event), 0);
	}
	/* Record i goes to part (i * 5) % nparts: not a contiguous split. */
	for (i = 0; i < sizeof vets / sizeof vets[0]; i++)
		cr_assert_eq(add(parts[(i * 5) % nparts], vets[i],
		    vet_report_add), 0);
	for (i = 0; i < nparts; i++) {
		cr_assert_eq(vet_report_write_partial(parts[i], &p), 0);
		vet_report_free(parts[i]);
	}
	m = new_report(by);
	for (line = p.data; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		cr_assert_not_null(nl);
		cr_assert_eq(vet_report_merge(m, line, (size_t)(nl - line),
		    &err), 0, "%s", err.msg);
	}
	vet_buf_release(&p);
	out = fmt(m, f, NULL, 1);
	vet_report_free(m);
	return out;
}

Test(report, split_merge_equals_one_run)
{
	enum vet_report_format f;
	enum vet_report_by by;
	char *one, *many;
	size_t n;

	for (by = VET_REPORT_BY_DISTRICT; by <= VET_REPORT_BY_COMMUNITY; by++)
		for (f = VET_REPORT_TEXT; f <= VET_REPORT_HTML; f++) {
			one = merged(1, f, by);
			for (n = 2; n <= 7; n += 5) {
				many = merged(n, f, by);
				cr_assert_str_eq(one, many, "format %d by %d "
				    "parts %zu", f, by, n);
				free(many);
			}
			free(one);
		}
}

Test(report, merge_refuses_a_foreign_partial)
{
	struct vet_report *a = new_report(VET_REPORT_BY_DISTRICT), *b;
	struct vet_report_period pd;
	struct vet_buf p = VET_BUF_INIT;
	struct vet_error err;
	vet_day asof;

	cr_assert_eq(add(a, vets[0], vet_report_add), 0);
	cr_assert_eq(vet_report_write_partial(a, &p), 0);
	/* Another quarter. */
	cr_assert_eq(vet_date_parse("2026-09-30", 10, &asof), 0);
	cr_assert_eq(vet_report_period_parse(&pd, "2026Q2", NULL, NULL, asof,
	    NULL), 0);
	cr_assert_eq(vet_report_new(&b, &schema, &pd, VET_REPORT_BY_DISTRICT,
	    NULL), 0);
	cr_assert_eq(vet_report_merge(b, p.data, p.len, &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "partial was made with another policy, "
	    "period, grouping or --as-of");
	vet_report_free(b);
	/* Another grouping. */
	b = new_report(VET_REPORT_BY_STREET);
	cr_assert_eq(vet_report_merge(b, p.data, p.len, &err), VET_EDATA);
	vet_report_free(b);
	/* Not JSON, not a partial, truncated. */
	b = new_report(VET_REPORT_BY_DISTRICT);
	cr_assert_eq(vet_report_merge(b, "{\"a\":1}", 7, &err), VET_EDATA);
	cr_assert_eq(vet_report_merge(b, p.data, p.len / 2, &err), VET_EDATA);
	cr_assert_eq(vet_report_merge(b, "\xff", 1, &err), VET_EDATA);
	cr_assert_eq(vet_report_merge(b, "{\0}", 3, &err), VET_EDATA);
	cr_assert_eq(vet_report_merge(b, "", 0, &err), VET_EDATA);
	cr_assert_eq(vet_report_merge(b, p.data, p.len, &err), 0);
	vet_report_free(b);
	vet_report_free(a);
	vet_buf_release(&p);
}

Test(report, merge_refuses_different_side_data)
{
	struct vet_report *a = new_report(VET_REPORT_BY_DISTRICT);
	struct vet_report *b = new_report(VET_REPORT_BY_DISTRICT), *m;
	struct vet_buf pa = VET_BUF_INIT, pb = VET_BUF_INIT;
	struct vet_error err;

	cr_assert_eq(add(a, "{\"type\":\"job_fair\",\"district\":\"东城区\","
	    "\"date\":\"2026-03-03\"}", vet_report_add_event), 0);
	cr_assert_eq(add(b, "{\"type\":\"job_fair\",\"district\":\"西城区\","
	    "\"date\":\"2026-03-03\"}", vet_report_add_event), 0);
	cr_assert_eq(vet_report_write_partial(a, &pa), 0);
	cr_assert_eq(vet_report_write_partial(b, &pb), 0);
	m = new_report(VET_REPORT_BY_DISTRICT);
	cr_assert_eq(vet_report_merge(m, pa.data, pa.len, &err), 0);
	cr_assert_eq(vet_report_merge(m, pa.data, pa.len, &err), 0);
	cr_assert_eq(vet_report_merge(m, pb.data, pb.len, &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "partials were made with different "
	    "--events or --findings");
	vet_report_free(a);
	vet_report_free(b);
	vet_report_free(m);
	vet_buf_release(&pa);
	vet_buf_release(&pb);
}

/* ---- the other formats -------------------------------------------------- */

/* Every line of a titled table has the same display width (the last
 * column holds numbers, right-aligned). */
Test(report, text_columns_align_by_display_width)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT);
	char *t = fmt(r, VET_REPORT_TEXT, "zh", 1), *p, *nl, *sec;
	size_t w0 = 0, w;
	int lines = 0;

	sec = strstr(t, "\n分类统计（按区）\n");
	cr_assert_not_null(sec, "%s", t);
	p = strchr(sec + 1, '\n') + 1;
	for (; *p != '\n' && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		w = vet_report_width(p, (size_t)(nl - p));
		if (w0 == 0)
			w0 = w;
		cr_assert_eq(w, w0, "line %d: %.*s", lines, (int)(nl - p), p);
		lines++;
	}
	/* header, rule, 东城区, 西城区, 合计 */
	cr_assert_eq(lines, 5, "%s", t);
	cr_assert(strstr(t, "区      退役军人人数  登记失业  挂账管理  不在范围"
	    "  退出\n"), "%s", t);
	cr_assert(strstr(t, "东城区             3         1         0"
	    "         1     0\n"), "%s", t);
	free(t);
	vet_report_free(r);
}

Test(report, english_labels)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT);
	char *t = fmt(r, VET_REPORT_MD, "en", 1);

	cr_assert(strstr(t, "## Categories by district\n\n"
	    "| District | Veterans | Registered unemployed | Hard to place |"
	    " Out of scope | Exited |\n|---|---:|---:|---:|---:|---:|\n"
	    "| 东城区 | 3 | 1 | 0 | 1 | 0 |\n"), "%s", t);
	/* Planned 2; delivered unknown without --events, not 0. */
	cr_assert(strstr(t, "| Skill reserve | 2 | ? | ? |\n"), "%s", t);
	cr_assert(strstr(t, "| ? | unknown: no --events given |\n"), "%s", t);
	/* The suppressed line has a label (it was "****" in md). */
	cr_assert_null(strstr(t, "****"), "%s", t);
	free(t);
	vet_report_free(r);
}

/* The hours of the training heading are written as %g writes them, the
 * whole ones below 10^6 without snprintf's floating-point code. */
Test(report, training_hours_heading_as_g)
{
	static const struct {
		double h;
		const char *want;
	} cases[] = {
		{ 80, "(≥80 h)" }, { 0, "(≥0 h)" }, { 40.5, "(≥40.5 h)" },
		{ 999999, "(≥999999 h)" }, { 1e6, "(≥1e+06 h)" },
		{ 1234567, "(≥1.23457e+06 h)" }, { 0.125, "(≥0.125 h)" },
	};
	double saved = schema.training_min_hours;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vet_report *r;
		char *t;

		schema.training_min_hours = cases[i].h;
		r = sample(VET_REPORT_BY_DISTRICT);
		t = fmt(r, VET_REPORT_TEXT, "en", 1);
		cr_assert(strstr(t, cases[i].want), "%g: %s", cases[i].h, t);
		free(t);
		vet_report_free(r);
	}
	schema.training_min_hours = saved;
}

Test(report, csv_bom_quoting_and_formula_escape)
{
	struct vet_report *r = new_report(VET_REPORT_BY_STREET);
	struct vet_report_fmt o = { VET_REPORT_CSV, "zh", 0, 1 };
	struct vet_buf b = VET_BUF_INIT;
	char *t;

	cr_assert_eq(add(r, "{\"district\":\"东城区\",\"street\":"
	    "\"=HYPERLINK(\\\"x\\\")\"}", vet_report_add), 0);
	cr_assert_eq(add(r, "{\"district\":\"东城区\",\"street\":\"@a,b\"}",
	    vet_report_add), 0);
	cr_assert_eq(add(r, "{\"district\":\"-x\",\"street\":\"+1\"}",
	    vet_report_add), 0);
	t = fmt(r, VET_REPORT_CSV, "zh", 1);
	cr_assert_eq(memcmp(t, "\xEF\xBB\xBF", 3), 0);
	cr_assert(strstr(t, "\r\n东城区,\"'=HYPERLINK(\"\"x\"\")\",1,0,"),
	    "%s", t);
	cr_assert(strstr(t, "\r\n东城区,\"'@a,b\",1,0,"), "%s", t);
	cr_assert(strstr(t, "\r\n'-x,'+1,1,0,"), "%s", t);
	cr_assert(strstr(t, "\r\n合计,,3,0,"), "%s", t);
	free(t);
	cr_assert_eq(vet_report_format(r, &o, &b, NULL), 0);
	cr_assert_neq(memcmp(b.data, "\xEF\xBB\xBF", 3), 0);
	vet_buf_release(&b);
	vet_report_free(r);
}

Test(report, compare_gives_the_change)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT);
	struct vet_error err;
	const char *prev = "{\"period\":\"2026Q2\",\"totals\":"
	    "{\"registered_unemployed\":5,\"hard_to_place\":1,\"old\":3},"
	    "\"by_district\":{\"东城区\":{\"registered_unemployed\":4}},"
	    "\"chain\":{\"skill_reserve\":1,\"difficulty_aid\":"
	    "{\"planned\":3,\"delivered\":2}},\"compliance\":{\"training\":"
	    "{\"met\":1,\"due\":4},\"monthly_contact\":null}}\n";
	char *j, *t;

	cr_assert_eq(vet_report_set_compare(r, "[]", 2, &err), VET_EDATA);
	cr_assert_eq(vet_report_set_compare(r, "{\"period\":\"x\"}", 14,
	    &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "not a vet-report json report: no 'totals'");
	cr_assert_eq(vet_report_set_compare(r, prev, strlen(prev), &err), 0);
	j = fmt(r, VET_REPORT_JSON, NULL, 1);
	cr_assert(strstr(j, ",\"change\":{\"period\":\"2026Q2\",\"totals\":"
	    "{\"registered_unemployed\":-3,\"hard_to_place\":0,"
	    "\"out_of_scope\":null,\"exited\":null},\"by_district\":{"
	    "\"东城区\":{\"registered_unemployed\":-3,\"hard_to_place\":null,"
	    "\"out_of_scope\":null,\"exited\":null},"
	    "\"西城区\":{\"registered_unemployed\":1,\"hard_to_place\":1,"
	    "\"out_of_scope\":0,\"exited\":0}},"
	    /* Training 1/2 = 500 per mille against 1/4 = 250; contact
	     * unknown now (no --events).  The chain: a bare count of an
	     * older report is its planned; delivered unknown now. */
	    "\"compliance_permille\":{\"training\":250,"
	    "\"monthly_contact\":null},\"chain\":{\"skill_reserve\":"
	    "{\"planned\":1,\"delivered\":null},\"difficulty_aid\":"
	    "{\"planned\":-2,\"delivered\":null}}}}\n"), "%s", j);
	t = fmt(r, VET_REPORT_TEXT, NULL, 1);
	cr_assert(strstr(t, "登记失业     2            5    -3\n"), "%s", t);
	cr_assert(strstr(t, "适应性培训达标率    25.0% (1/4)  50.0% (1/2)"
	    "  +25.0 pp\n"), "%s", t);
	cr_assert(strstr(t, "技能储备 · 应达               1            2"
	    "        +1\n"), "%s", t);
	free(j);
	free(t);
	vet_report_free(r);
}

/*
 * 西城区 has 1 veteran, 东城区 3: left out alone, 西城区 would be the total
 * minus 东城区, so 东城区 is left out too (complementary suppression).
 */
Test(report, min_cell_suppresses_small_groups)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT);
	char *j = fmt(r, VET_REPORT_JSON, NULL, 2), *t;

	cr_assert_null(strstr(j, "西城区"), "%s", j);
	cr_assert_null(strstr(j, "东城区"), "%s", j);
	cr_assert(strstr(j, "\"veterans\":4,"));
	cr_assert(strstr(j, ",\"min_cell\":2,\"suppressed\":2}\n"), "%s", j);
	t = fmt(r, VET_REPORT_TEXT, NULL, 2);
	cr_assert_null(strstr(t, "西城区"));
	cr_assert_null(strstr(t, "东城区"));
	cr_assert(strstr(t, "人数少于 2 的单元及其互补单元共 2 个已隐去"), "%s",
	    t);
	free(j);
	free(t);
	vet_report_free(r);
}

Test(report, never_an_id_in_a_group_name)
{
	struct vet_report *r = new_report(VET_REPORT_BY_COMMUNITY);
	enum vet_report_format f;
	char *t;

	cr_assert_eq(add(r, "{\"district\":\"东城区\",\"street\":\"\","
	    "\"community\":\"11010119900101123X\"}", vet_report_add), 0);
	for (f = VET_REPORT_TEXT; f <= VET_REPORT_HTML; f++) {
		t = fmt(r, f, NULL, 1);
		cr_assert_null(strstr(t, "11010119900101123X"), "%d", f);
		cr_assert(strstr(t, f == VET_REPORT_MD ?
		    "110101\\*\\*\\*\\*\\*\\*\\*\\*123X" :
		    "110101********123X"), "%d: %s", f, t);
		cr_assert(f == VET_REPORT_JSON || strstr(t, "（未填）"), "%d", f);
		free(t);
	}
	vet_report_free(r);
}

Test(report, html_is_self_contained)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT);
	char *h = fmt(r, VET_REPORT_HTML, NULL, 1);

	cr_assert_eq(strncmp(h, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35),
	    0);
	cr_assert_null(strstr(h, "<script"));
	cr_assert_null(strstr(h, "http://"), "only the SVG namespace is a URL");
	cr_assert_null(strstr(h, "https://"));
	cr_assert(strstr(h, "@page{size:A4"));
	cr_assert(strstr(h, "<svg"));
	cr_assert(strstr(h, "<title>东城区 · 登记失业: 1</title>"), "%s", h);
	free(h);
	vet_report_free(r);
}

/* Counts that would overflow a sum are refused, not wrapped. */
Test(report, merge_refuses_huge_counts)
{
	struct vet_report *a = new_report(VET_REPORT_BY_DISTRICT), *b;
	struct vet_buf p = VET_BUF_INIT, q = VET_BUF_INIT;
	struct vet_error err;
	char *at;

	cr_assert_eq(add(a, vets[1], vet_report_add), 0);
	cr_assert_eq(vet_report_write_partial(a, &p), 0);
	/* The first counter of the first district row is the veterans. */
	at = strstr(p.data, "[\"东城区\",[1,");
	cr_assert_not_null(at, "%s", p.data);
	vet_buf_add(&q, p.data, (size_t)(at - p.data));
	vet_buf_addstr(&q, "[\"东城区\",[1125899906842624,");
	vet_buf_addstr(&q, at + strlen("[\"东城区\",[1,"));
	b = new_report(VET_REPORT_BY_DISTRICT);
	cr_assert_eq(vet_report_merge(b, p.data, p.len, &err), 0);
	cr_assert_eq(vet_report_merge(b, q.data, q.len, &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "not a vet-report partial: bad counts");
	cr_assert_eq(vet_report_set_compare(b, "{\"totals\":{\"exited\":-1}}",
	    26, &err), VET_EDATA);
	vet_report_free(a);
	vet_report_free(b);
	vet_buf_release(&p);
	vet_buf_release(&q);
}

/* ---- findings in the policy's order ------------------------------------- */

Test(report, findings_follow_the_policy_check_order)
{
	static const char *checks[] = { "monthly_contact",
	    "quarterly_consultation", "incomplete_file" };
	struct vet_report_schema s2 = schema;
	struct vet_report_period pd = q3();
	struct vet_report *r;
	char *j, *t;

	s2.nchecks = 3;
	s2.checks = checks;
	cr_assert_eq(vet_report_new(&r, &s2, &pd, VET_REPORT_BY_DISTRICT,
	    NULL), 0);
	vet_report_expect(r, 0, 1);
	cr_assert_eq(add(r, "{\"check\":\"zz_local\"}",
	    vet_report_add_finding), 0);
	cr_assert_eq(add(r, "{\"check\":\"incomplete_file\"}",
	    vet_report_add_finding), 0);
	cr_assert_eq(add(r, "{\"check\":\"monthly_contact\"}",
	    vet_report_add_finding), 0);
	cr_assert_eq(add(r, "{\"check\":\"incomplete_file\"}",
	    vet_report_add_finding), 0);
	cr_assert_eq(add(r, "{\"check\":\"aa_local\"}",
	    vet_report_add_finding), 0);
	cr_assert_eq(add(r, vets[0], vet_report_add), 0);
	/* Policy order, every check of the policy (zero when none), then
	 * the checks it does not know, bytewise. */
	j = fmt(r, VET_REPORT_JSON, NULL, 1);
	cr_assert(strstr(j, "\"findings\":{\"monthly_contact\":1,"
	    "\"quarterly_consultation\":0,\"incomplete_file\":2,"
	    "\"aa_local\":1,\"zz_local\":1}"), "%s", j);
	free(j);
	t = fmt(r, VET_REPORT_CSV, "en", 1);
	cr_assert(strstr(t, "Check,Findings\r\nMonthly contact,1\r\n"
	    "quarterly_consultation,0\r\nincomplete_file,2\r\naa_local,1\r\n"
	    "zz_local,1\r\n"), "%s", t);
	free(t);
	vet_report_free(r);
}

/* ---- out of memory while writing ---------------------------------------- */

/*
 * A failing realloc, to prove that every append of the writers is checked:
 * the output buffers grow with realloc (buf.c).  Not under AddressSanitizer,
 * whose allocator must not be bypassed.
 */
#if defined(__SANITIZE_ADDRESS__)
#define REPORT_FAULTS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REPORT_FAULTS 0
#endif
#endif
#ifndef REPORT_FAULTS
#define REPORT_FAULTS 1
#endif

#if REPORT_FAULTS
extern void *__libc_realloc(void *, size_t);

/* Calls to realloc left before the one that fails; -1: none fails. */
static long realloc_countdown = -1;

void *
realloc(void *p, size_t n)
{
	if (realloc_countdown == 0) {
		realloc_countdown = -1;
		return NULL;
	}
	if (realloc_countdown > 0)
		realloc_countdown--;
	return __libc_realloc(p, n);
}

/*
 * Fails the first, second, ... realloc of one writer call in turn: every
 * call must either fail with VET_ENOMEM or give exactly the output of a
 * run without the failure (a realloc whose failure is retried is fine),
 * never a report with a hole in it.
 */
static void
expect_no_holes(struct vet_report *r, int partial,
    enum vet_report_format f)
{
	struct vet_report_fmt o = { f, NULL, 1, 1 };
	struct vet_buf want = VET_BUF_INIT, got;
	long k;
	int rc, failed = 0;

	rc = partial ? vet_report_write_partial(r, &want) :
	    vet_report_format(r, &o, &want, NULL);
	cr_assert_eq(rc, 0);
	for (k = 0; k < 100000; k++) {
		vet_buf_init(&got);
		realloc_countdown = k;
		rc = partial ? vet_report_write_partial(r, &got) :
		    vet_report_format(r, &o, &got, NULL);
		if (realloc_countdown > 0) {
			/* Fewer reallocs than k: every one was tried. */
			realloc_countdown = -1;
			cr_assert_eq(rc, 0);
			vet_buf_release(&got);
			break;
		}
		realloc_countdown = -1;
		if (rc == 0) {
			cr_assert(got.len == want.len && memcmp(got.data,
			    want.data, want.len) == 0,
			    "format %d: realloc %ld failed and the output is "
			    "silently different", (int)f, k);
		} else {
			cr_assert_eq(rc, VET_ENOMEM);
			failed++;
		}
		vet_buf_release(&got);
	}
	cr_assert_gt(failed, 0);
	vet_buf_release(&want);
}

Test(report, out_of_memory_never_leaves_a_hole)
{
	struct vet_report *r = sample(VET_REPORT_BY_STREET);
	enum vet_report_format f;

	vet_report_expect(r, 1, 1);
	cr_assert_eq(add(r, "{\"check\":\"monthly_contact\"}",
	    vet_report_add_finding), 0);
	cr_assert_eq(add(r, "{\"type\":\"job_fair\",\"district\":"
	    "\"西城区\",\"date\":\"2026-03-03\"}", vet_report_add_event), 0);
	for (f = VET_REPORT_TEXT; f <= VET_REPORT_HTML; f++)
		expect_no_holes(r, 0, f);
	expect_no_holes(r, 1, VET_REPORT_JSON);
	vet_report_free(r);
}
#endif

/* ---- control characters in names ---------------------------------------- */

Test(report, control_characters_in_names_are_replaced)
{
	struct vet_report *r = new_report(VET_REPORT_BY_DISTRICT);
	enum vet_report_format f;
	char *o;

	cr_assert_eq(add(r, "{\"district\":\"a\\u001b[31mb\\nc\\u0085d\","
	    "\"categories\":[]}", vet_report_add), 0);
	for (f = VET_REPORT_TEXT; f <= VET_REPORT_HTML; f++) {
		if (f == VET_REPORT_JSON)
			continue;
		o = fmt(r, f, NULL, 1);
		cr_assert_null(strchr(o, '\x1b'), "format %d", (int)f);
		cr_assert_null(strstr(o, "\xC2\x85"), "format %d", (int)f);
		/* (md escapes the '[') */
		cr_assert(strstr(o, "a\xEF\xBF\xBD") && strstr(o,
		    "31mb\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d"),
		    "format %d: %s", (int)f, o);
		free(o);
	}
	/* The json keeps the name, escaped. */
	o = fmt(r, VET_REPORT_JSON, NULL, 1);
	cr_assert(strstr(o, "\"a\\u001b[31mb\\nc\xC2\x85" "d\":"), "%s", o);
	free(o);
	vet_report_free(r);
}

/* A partial made without --events and one made with them do not merge, in
 * either order. */
Test(report, merge_refuses_side_data_in_some_partials_only)
{
	struct vet_report *a = new_report(VET_REPORT_BY_DISTRICT);
	struct vet_report *b = new_report(VET_REPORT_BY_DISTRICT), *m;
	struct vet_buf pa = VET_BUF_INIT, pb = VET_BUF_INIT;
	struct vet_error err;

	cr_assert_eq(add(a, vets[0], vet_report_add), 0);
	vet_report_expect(b, 1, 0);
	cr_assert_eq(add(b, vets[1], vet_report_add), 0);
	cr_assert_eq(vet_report_write_partial(a, &pa), 0);
	cr_assert_eq(vet_report_write_partial(b, &pb), 0);
	m = new_report(VET_REPORT_BY_DISTRICT);
	cr_assert_eq(vet_report_merge(m, pa.data, pa.len, &err), 0);
	cr_assert_eq(vet_report_merge(m, pa.data, pa.len, &err), 0);
	cr_assert_eq(vet_report_merge(m, pb.data, pb.len, &err), VET_EDATA);
	cr_assert_str_eq(err.msg, "partials were made with different "
	    "--events or --findings");
	vet_report_free(m);
	m = new_report(VET_REPORT_BY_DISTRICT);
	cr_assert_eq(vet_report_merge(m, pb.data, pb.len, &err), 0);
	cr_assert_eq(vet_report_merge(m, pb.data, pb.len, &err), 0);
	cr_assert_eq(vet_report_merge(m, pa.data, pa.len, &err), VET_EDATA);
	vet_report_free(m);
	vet_report_free(a);
	vet_report_free(b);
	vet_buf_release(&pa);
	vet_buf_release(&pb);
}

/* ---- xlsx --------------------------------------------------------------- */

#include "zipread.h"

static char *
fmt_xlsx(struct vet_report *r, const char *lang, size_t *n)
{
	struct vet_report_fmt o = { VET_REPORT_XLSX, lang, 1, 1 };
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;

	cr_assert_eq(vet_report_format(r, &o, &b, &err), 0, "%s", err.msg);
	*n = b.len;
	return b.data;
}

/* The XML of member name of workbook [z, z + n), which must be there. */
static char *
member(const char *z, size_t n, const char *name)
{
	size_t len;
	char *x = zr_member(z, n, name, &len);

	cr_assert_not_null(x, "no %s in the workbook", name);
	return x;
}

/* The XML of cell ref in sheet XML s, from its "<c r=" on ("" if none). */
static const char *
cell_at(const char *s, const char *ref)
{
	char b[32];
	const char *p;

	snprintf(b, sizeof b, "<c r=\"%s\"", ref);
	p = strstr(s, b);
	return p ? p : "";
}

/*
 * Is the style of cell c (its s="N") one with Excel's "bad" fill?  The
 * N-th <xf> of <cellXfs> names a fillId; the fillId-th <fill> of <fills>
 * carries the colour.
 */
static int
style_is_bad(const char *st, const char *c)
{
	const char *p, *q;
	long xf, fill, i;

	if ((p = strstr(c, " s=\"")) == NULL || p > strchr(c, '>'))
		return 0;
	xf = strtol(p + 4, NULL, 10);
	cr_assert_not_null(p = strstr(st, "<cellXfs"));
	for (i = 0; i <= xf; i++)
		cr_assert_not_null(p = strstr(p + 1, "<xf "));
	cr_assert_not_null(q = strstr(p, "fillId=\""));
	fill = strtol(q + 8, NULL, 10);
	cr_assert_not_null(p = strstr(st, "<fills"));
	for (i = 0; i <= fill; i++)
		cr_assert_not_null(p = strstr(p + 1, "<fill>"));
	q = strstr(p, "</fill>");
	return q && (p = strstr(p, "FFFFC7CE")) != NULL && p < q;
}

/* True when the shared strings hold s (the text of a cell). */
static int
has_string(const char *sst, const char *s)
{
	char b[512];

	snprintf(b, sizeof b, "<t>%s</t>", s);
	return strstr(sst, b) != NULL;
}

Test(report, xlsx_sheets_numbers_and_rates)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT);
	size_t n;
	char *z = fmt_xlsx(r, NULL, &n), *wb, *sst, *s1, *s2, *s4, *st;

	cr_assert(n > 4 && memcmp(z, "PK\x03\x04", 4) == 0);
	wb = member(z, n, "xl/workbook.xml");
	/* No --findings, no --compare: five sheets, in order. */
	cr_assert(strstr(wb, "<sheets><sheet name=\"概况\" sheetId=\"1\" "
	    "r:id=\"rId1\"/><sheet name=\"分类\" sheetId=\"2\" r:id=\"rId2\"/>"
	    "<sheet name=\"帮扶链条\" sheetId=\"3\" r:id=\"rId3\"/>"
	    "<sheet name=\"合规\" sheetId=\"4\" r:id=\"rId4\"/>"
	    "<sheet name=\"六有\" sheetId=\"5\" r:id=\"rId5\"/></sheets>"),
	    "%s", wb);
	sst = member(z, n, "xl/sharedStrings.xml");
	cr_assert(has_string(sst, "退役军人就业服务季度报表 · 概况"));
	cr_assert(has_string(sst, "报告期 2026Q3 (2026-07-01 至 2026-09-30)"
	    "    统计截止 2026-09-30    政策 test-policy"));
	cr_assert(has_string(sst, "登记失业"));
	s1 = member(z, n, "xl/worksheets/sheet1.xml");
	/* 退役军人人数 4 is a number; the facts keep rows 1-2 in view. */
	cr_assert(strstr(s1, "<c r=\"B7\" s=\"3\"><v>4</v></c>"), "%s", s1);
	cr_assert(strstr(s1, "<pane ySplit=\"2\" topLeftCell=\"A3\" "
	    "activePane=\"bottomLeft\" state=\"frozen\"/>"), "%s", s1);
	/* Facts in rows 4-8, the headline table in 10-14 (东城区 2 need
	 * action at C12), the totals from 16: 登记失业 2 at B18; the
	 * headline chart beside them. */
	cr_assert(strstr(s1, "<c r=\"C12\" s=\"3\"><v>2</v></c>"), "%s", s1);
	cr_assert(strstr(s1, "<c r=\"B18\" s=\"3\"><v>2</v></c>"), "%s", s1);
	cr_assert(strstr(s1, "<drawing r:id=\"rId1\"/>"));
	free(member(z, n, "xl/charts/chart1.xml"));
	/* The chain: 技能储备 planned for 2; delivered unknown (no events). */
	s2 = member(z, n, "xl/worksheets/sheet3.xml");
	cr_assert(strstr(s2, "<c r=\"B6\" s=\"3\"><v>2</v></c>"
	    "<c r=\"C6\" s=\"6\" t=\"s\">"), "%s", s2);
	cr_assert(has_string(sst, "?"));
	cr_assert(strstr(s2, "<pane xSplit=\"1\" ySplit=\"5\""), "%s", s2);
	/* 合规: 东城区 training 1 of 2; 西城区 none due is "-"; no events:
	 * the contact rate is not available either. */
	s4 = member(z, n, "xl/worksheets/sheet4.xml");
	cr_assert(strstr(s4, "<c r=\"B6\" s=\"3\"><v>3</v></c>"), "%.200s",
	    cell_at(s4, "B6"));
	/* 1 of 2 is a breach: the rate keeps its formula, in a red cell. */
	cr_assert(strstr(cell_at(s4, "C6"), "><f>1/2</f><v>0.5</v></c>"),
	    "%.200s", cell_at(s4, "C6"));
	st = member(z, n, "xl/styles.xml");
	cr_assert(style_is_bad(st, cell_at(s4, "C6")), "%.200s",
	    cell_at(s4, "C6"));
	cr_assert(!style_is_bad(st, cell_at(s4, "B6")));
	free(st);
	cr_assert(has_string(sst, "-"));
	free(s4);
	free(s2);
	free(s1);
	free(sst);
	free(wb);
	free(z);
	vet_report_free(r);
}

Test(report, xlsx_english_and_the_change_sheet)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT);
	const char *prev = "{\"period\":\"2026Q2\",\"totals\":"
	    "{\"registered_unemployed\":5,\"hard_to_place\":1}}\n";
	size_t n;
	char *z, *wb, *s;

	cr_assert_eq(vet_report_set_compare(r, prev, strlen(prev), NULL), 0);
	z = fmt_xlsx(r, "en", &n);
	wb = member(z, n, "xl/workbook.xml");
	cr_assert(strstr(wb, "<sheet name=\"Overview\""), "%s", wb);
	cr_assert(strstr(wb, "<sheet name=\"Change\" sheetId=\"6\""), "%s", wb);
	/* 环比: registered_unemployed 2 now, 5 before, -3 with its sign. */
	s = member(z, n, "xl/worksheets/sheet6.xml");
	cr_assert(strstr(s, "<c r=\"B6\" s=\"3\"><v>2</v></c>"
	    "<c r=\"C6\" s=\"3\"><v>5</v></c><c r=\"D6\" s=\""),
	    "%.200s", cell_at(s, "B6"));
	cr_assert(strstr(cell_at(s, "D6"), "\"><v>-3</v></c>"), "%.200s",
	    cell_at(s, "D6"));
	free(s);
	/* The overview keeps the totals' first two columns only. */
	s = member(z, n, "xl/worksheets/sheet1.xml");
	cr_assert_null(strstr(s, "<c r=\"C18\""), "%s", s);
	free(s);
	free(wb);
	free(z);
	vet_report_free(r);
}

/* A large run split and merged gives the same workbook, byte for byte. */
Test(report, xlsx_split_merge_equals_one_run)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT), *parts[2], *m;
	struct vet_buf p = VET_BUF_INIT;
	size_t n1, n2, i;
	char *one, *two, *line, *nl;

	one = fmt_xlsx(r, NULL, &n1);
	for (i = 0; i < 2; i++)
		parts[i] = new_report(VET_REPORT_BY_DISTRICT);
	for (i = 0; i < sizeof vets / sizeof vets[0]; i++)
		cr_assert_eq(add(parts[i % 2], vets[i], vet_report_add), 0);
	for (i = 0; i < 2; i++) {
		cr_assert_eq(vet_report_write_partial(parts[i], &p), 0);
		vet_report_free(parts[i]);
	}
	m = new_report(VET_REPORT_BY_DISTRICT);
	for (line = p.data; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		cr_assert_eq(vet_report_merge(m, line, (size_t)(nl - line),
		    NULL), 0);
	}
	two = fmt_xlsx(m, NULL, &n2);
	cr_assert_eq(n1, n2);
	cr_assert(memcmp(one, two, n1) == 0);
	vet_buf_release(&p);
	free(one);
	free(two);
	vet_report_free(m);
	vet_report_free(r);
}

/* No temporary file, no workbook: an I/O error, not a half report. */
Test(report, xlsx_without_a_temporary_directory_is_an_io_error)
{
	struct vet_report *r = sample(VET_REPORT_BY_DISTRICT);
	struct vet_report_fmt o = { VET_REPORT_XLSX, NULL, 1, 1 };
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;

	setenv("TMPDIR", "/nonexistent/vet-test", 1);
	cr_assert_eq(vet_report_format(r, &o, &b, &err), VET_EIO);
	cr_assert(strstr(err.msg, "cannot make a temporary file for the "
	    "workbook") != NULL, "%s", err.msg);
	cr_assert_eq(b.len, 0);
	unsetenv("TMPDIR");
	vet_buf_release(&b);
	vet_report_free(r);
}
