/*
 * Tests of the event log (event.h): an event read as vet-intake reads it,
 * and the facts of SPEC 2.3 the index derives, worked out by hand from
 * SPEC 2.3's table.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "vet/date.h"
#include "vet/error.h"
#include "vet/event.h"
#include "vet/policy.h"
#include "vet/record.h"

static struct vet_policy *pol;

static void
setup(void)
{
	struct vet_error err;

	cr_assert_eq(vet_policy_load(&pol, NULL, &err), 0, "%s", err.msg);
}

static void
teardown(void)
{
	vet_policy_free(pol);
	pol = NULL;
}

TestSuite(event, .init = setup, .fini = teardown);

#define ID1 "110105199001011232"
#define ID2 "11010819850505234X"

static vet_day
day(const char *s)
{
	vet_day d;

	cr_assert_eq(vet_date_parse(s, strlen(s), &d), 0, "bad date %s", s);
	return d;
}

/* Reads the event in json; returns the status, err set. */
static int
read1(const char *json, struct vet_event *ev, struct vet_error *err)
{
	/* Static: the event points into it until the next call, which
	 * releases it. */
	static struct vet_record r;
	static int live;
	struct vet_event_reader rd;
	int rc;

	if (live)
		vet_record_release(&r);
	vet_record_init(&r);
	live = 1;
	cr_assert_eq(vet_record_parse(&r, json, strlen(json), err), 0, "%s",
	    json);
	cr_assert_eq(vet_event_reader_init(&rd, pol, err), 0);
	vet_error_clear(err);
	rc = vet_event_read(&rd, &r, ev, err);
	vet_event_reader_release(&rd);
	return rc;
}

Test(event, read_good)
{
	struct vet_event ev;
	struct vet_error err;

	/* Ids as stations type them come out normalised. */
	cr_assert_eq(read1("{\"type\":\"contact\",\"id\":\"110105 19900101 "
	    "1232\",\"date\":\"2026-07-01\"}", &ev, &err), 0, "%s", err.msg);
	cr_assert_eq(ev.type, VET_EV_CONTACT);
	cr_assert_str_eq(ev.id, ID1);
	cr_assert_eq(ev.date, day("2026-07-01"));
	cr_assert_null(ev.district);
	cr_assert_eq(read1("{\"type\":\"contact\",\"id\":\"11010819850505234x\","
	    "\"date\":\"2026-07-01\"}", &ev, &err), 0, "%s", err.msg);
	cr_assert_str_eq(ev.id, ID2);
	cr_assert_eq(read1("{\"type\":\"job_fair\",\"district\":\"朝阳区\","
	    "\"date\":\"2026-07-01\"}", &ev, &err), 0, "%s", err.msg);
	cr_assert_eq(ev.district_len, strlen("朝阳区"));
	cr_assert_eq(memcmp(ev.district, "朝阳区", ev.district_len), 0);
	cr_assert_str_eq(ev.id, "");
	cr_assert_eq(read1("{\"type\":\"training\",\"id\":\"" ID1 "\",\"date\":"
	    "\"2026-07-01\",\"hours\":7.5,\"course\":\"adaptive\"}", &ev,
	    &err), 0, "%s", err.msg);
}

Test(event, read_bad)
{
	static const struct {
		const char *json, *msg;
	} bad[] = {
		{ "{\"date\":\"2026-07-01\"}", "missing field 'type'" },
		{ "{\"type\":\"party\",\"date\":\"2026-07-01\"}",
		    "unknown event type 'party'" },
		{ "{\"type\":7,\"date\":\"2026-07-01\"}",
		    "field 'type' is not a string" },
		{ "{\"type\":\"contact\",\"id\":\"" ID1 "\"}",
		    "missing field 'date'" },
		{ "{\"type\":\"contact\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-02-29\"}", "field 'date' is not a date YYYY-MM-DD" },
		{ "{\"type\":\"contact\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026/07/01\"}", "field 'date' is not a date YYYY-MM-DD" },
		{ "{\"type\":\"contact\",\"date\":\"2026-07-01\"}",
		    "missing field 'id'" },
		{ "{\"type\":\"contact\",\"id\":\"110105199001011234\","
		    "\"date\":\"2026-07-01\"}",
		    "bad check character in id '110105********1234'" },
		{ "{\"type\":\"contact\",\"id\":\"1.10105E+17\",\"date\":"
		    "\"2026-07-01\"}",
		    "id was turned into a number by a spreadsheet "
		    "('1.10105E+17')" },
		{ "{\"type\":\"job_fair\",\"date\":\"2026-07-01\"}",
		    "missing field 'district'" },
		{ "{\"type\":\"job_fair\",\"district\":\"浦东新区\",\"date\":"
		    "\"2026-07-01\"}", "unknown district '浦东新区'" },
		{ "{\"type\":\"contact\",\"id\":\"" ID1 "\",\"district\":"
		    "\"Atlantis\",\"date\":\"2026-07-01\"}",
		    "unknown district 'Atlantis'" },
		{ "{\"type\":\"training\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-07-01\",\"hours\":\"80\"}",
		    "field 'hours' is not a number of hours" },
		{ "{\"type\":\"training\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-07-01\",\"hours\":-8}",
		    "field 'hours' is not a number of hours" },
		{ "{\"type\":\"training\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-07-01\"}", "missing field 'hours'" },
		{ "{\"type\":\"contact\",\"id\":\"" ID1 "\\u0000\",\"date\":"
		    "\"2026-07-01\"}", NULL },
	};
	struct vet_event ev;
	struct vet_error err;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(read1(bad[i].json, &ev, &err), VET_EDATA, "%s",
		    bad[i].json);
		if (bad[i].msg != NULL)
			cr_assert_str_eq(err.msg, bad[i].msg, "%s",
			    bad[i].json);
	}
}

/* An index of the lines in evs as of as_of. */
static struct vet_event_index *
index_of(const char *as_of, const char *const *evs)
{
	struct vet_event_index *x;
	struct vet_record r;
	struct vet_error err;
	size_t i;

	cr_assert_eq(vet_event_index_new(&x, pol, day(as_of), &err), 0);
	vet_record_init(&r);
	for (i = 0; evs[i] != NULL; i++) {
		cr_assert_eq(vet_record_parse(&r, evs[i], strlen(evs[i]), &err),
		    0, "%s", evs[i]);
		cr_assert_eq(vet_event_index_add_record(x, &r, &err), 0,
		    "%s: %s", evs[i], err.msg);
	}
	vet_record_release(&r);
	return x;
}

#define EV(type, id, date, rest) "{\"type\":\"" type "\",\"id\":\"" id \
	"\",\"date\":\"" date "\"" rest "}"

Test(event, facts)
{
	static const char *const evs[] = {
		EV("training", ID1, "2026-01-10", ",\"hours\":50,\"course\":"
		    "\"adaptive\""),
		EV("training", ID1, "2026-09-30", ",\"hours\":29,\"course\":"
		    "\"adaptive\""),
		EV("training", ID1, "2026-10-01", ",\"hours\":1,\"course\":"
		    "\"adaptive\""),
		EV("training", ID1, "2026-02-10", ",\"hours\":40,\"course\":"
		    "\"vocational\""),
		EV("referral", ID1, "2026-02-01", ",\"outcome\":\"refused\""),
		EV("exit", ID1, "2026-03-01", ",\"reason\":\"拒绝\""),
		EV("referral", ID1, "2026-05-01", ",\"outcome\":\"refused\","
		    "\"valid_reason\":false"),
		EV("referral", ID1, "2026-05-02", ",\"outcome\":\"refused\","
		    "\"valid_reason\":true"),
		EV("referral", ID1, "2026-05-03", ",\"outcome\":\"hired\""),
		/* Refusals on the reentry's day are not after it. */
		EV("referral", ID1, "2026-04-01", ",\"outcome\":\"refused\""),
		EV("reentry", ID1, "2026-04-01", ""),
		EV("contact", ID1, "2026-08-01", ""),
		EV("contact", ID1, "2026-07-01", ""),
		EV("contact", ID1, "2026-10-02", ""),
		/* ID2: an exit and a reentry on one day, the exit last. */
		EV("reentry", ID2, "2026-06-01", ""),
		EV("exit", ID2, "2026-06-01", ",\"reason\":\"迁出\""),
		EV("contact", "110101197001011115", "2026-06-01", ""),
		"{\"type\":\"job_fair\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-03-01\"}",
		NULL };
	struct vet_event_index *x = index_of("2026-09-30", evs);
	struct vet_event_facts f;
	unsigned long long used, unmatched, other;

	cr_assert_eq(vet_event_index_get(x, ID1, 18, &f), 1);
	cr_assert(f.has_hours);
	cr_assert_float_eq(f.hours, 79, 1e-9);
	cr_assert_eq(f.ntraining, 2);
	cr_assert(f.has_refusals);
	cr_assert_eq(f.refusals, 1, "%ld", f.refusals);
	cr_assert(f.has_since && f.since == day("2026-04-01"));
	cr_assert(f.has_exit && !f.exited);
	cr_assert_eq(f.exit_day, day("2026-04-01"));
	cr_assert_null(f.reason);
	cr_assert(f.has_restart && f.restart == day("2026-04-01"));
	cr_assert(f.has_contact && f.contact == day("2026-08-01"));
	cr_assert_eq(f.ncontact, 2);

	/* Looked up as typed, in groups. */
	cr_assert_eq(vet_event_index_get(x, "110108 19850505 234x", 20, &f),
	    1);
	cr_assert(f.has_exit && f.exited);
	cr_assert_eq(f.exit_day, day("2026-06-01"));
	cr_assert_eq(f.reason_len, strlen("\"迁出\""));
	cr_assert_eq(memcmp(f.reason, "\"迁出\"", f.reason_len), 0);
	cr_assert(f.has_restart);
	cr_assert(!f.has_hours && !f.has_refusals && !f.has_contact);

	cr_assert_eq(vet_event_index_get(x, "110105199005101235", 18, &f), 0);
	cr_assert(!f.has_hours && !f.has_exit);

	/* ID1: 11 events on or before as_of feed a fact, ID2: 2; the
	 * contact of an id not looked up is unmatched; the job fair, the
	 * vocational training and the two events after as_of feed
	 * nothing. */
	vet_event_index_stats(x, &used, &unmatched, &other);
	cr_assert_eq(used, 13, "%llu", used);
	cr_assert_eq(unmatched, 1);
	cr_assert_eq(other, 4, "%llu", other);
	cr_assert_gt(vet_event_index_bytes(x), 0);
	vet_event_index_free(x);
}

Test(event, nothing_on_or_before_as_of)
{
	static const char *const evs[] = {
		EV("exit", ID1, "2026-10-01", ""),
		EV("training", ID1, "2026-10-01", ",\"hours\":80,\"course\":"
		    "\"adaptive\""),
		NULL };
	struct vet_event_index *x = index_of("2026-09-30", evs);
	struct vet_event_facts f;

	/* The id has events, but none speaks for a fact on as_of. */
	cr_assert_eq(vet_event_index_get(x, ID1, 18, &f), 1);
	cr_assert(!f.has_exit && !f.has_hours && !f.has_refusals &&
	    !f.has_restart && !f.has_contact);
	vet_event_index_free(x);
}

/* An event's district goes through the jurisdiction's aliases as at
 * intake, so that it counts for the district the records name. */
Test(event, district_aliases_as_at_intake)
{
	static const char *const rows[][2] = {
		{ "朝阳", "朝阳区" },
		{ "北京市朝阳区", "朝阳区" },
		{ "朝陽區", "朝阳区" },
		{ "经开区", "北京经济技术开发区" },
		{ "亦庄", "北京经济技术开发区" },
	};
	struct vet_event ev;
	struct vet_error err;
	char json[256];
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(json, sizeof json, "{\"type\":\"job_fair\","
		    "\"district\":\"%s\",\"date\":\"2026-07-01\"}", rows[i][0]);
		cr_assert_eq(read1(json, &ev, &err), 0, "%s: %s", rows[i][0],
		    err.msg);
		cr_expect_eq(ev.district_len, strlen(rows[i][1]), "%s",
		    rows[i][0]);
		cr_expect_eq(memcmp(ev.district, rows[i][1], ev.district_len),
		    0, "%s", rows[i][0]);
	}
	cr_expect_lt(read1("{\"type\":\"job_fair\",\"district\":\"燕郊\","
	    "\"date\":\"2026-07-01\"}", &ev, &err), 0);
	cr_expect_str_eq(err.msg, "unknown district '燕郊'");
}
