/*
 * Tests of the audit checks (SPEC 3, "The default audit, exactly"), with
 * expectations worked out by hand from the SPEC's table: month and quarter
 * boundaries, the month the 挂账 duty starts, events after --as-of, the
 * district-wide consultation, job fairs in a year that is over or not.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "vet/audit.h"
#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
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

TestSuite(audit, .init = setup, .fini = teardown);

static vet_day
day(const char *s)
{
	vet_day d;

	cr_assert_eq(vet_date_parse(s, strlen(s), &d), 0, "bad date %s", s);
	return d;
}

/* A hard_to_place veteran of 朝阳区, and one that is nothing to audit. */
#define HTP(id, since) "{\"id\":\"" id "\",\"district\":\"朝阳区\"," \
	"\"assisted_since\":\"" since "\",\"education\":\"bachelor\"," \
	"\"skills\":[],\"household_working_age\":1,\"household_employed\":1," \
	"\"employment_status\":\"unemployed\",\"living_difficulty\":false," \
	"\"employment_need\":true,\"desired_industries\":[]," \
	"\"categories\":[\"registered_unemployed\",\"employment_difficulty\"," \
	"\"hard_to_place\"]}"
#define ID1 "110105199001011232"
#define ID2 "110105199001015671"

/*
 * Runs an audit of the period named by quarter/month/year as of as_of over
 * the events (NULL-terminated, or NULL for no event log) and the veterans,
 * and returns its output (veterans, then districts) in out.
 */
static size_t
run(struct vet_buf *out, const char *as_of, const char *quarter,
    const char *month, const char *year, const char *const *events,
    const char *const *veterans)
{
	struct vet_audit_period pd;
	struct vet_audit *a;
	struct vet_record r;
	struct vet_error err;
	size_t n = 0, i;

	vet_record_init(&r);
	cr_assert_eq(vet_audit_period_parse(&pd, quarter, month, year,
	    day(as_of), &err), 0, "%s", err.msg);
	cr_assert_eq(vet_audit_new(&a, pol, &pd, day(as_of), events != NULL,
	    &err), 0, "%s", err.msg);
	for (i = 0; events != NULL && events[i] != NULL; i++) {
		cr_assert_eq(vet_record_parse(&r, events[i], strlen(events[i]),
		    &err), 0, "%s", err.msg);
		cr_assert_eq(vet_audit_add_event(a, &r, &err), 0, "%s: %s",
		    events[i], err.msg);
	}
	for (i = 0; veterans[i] != NULL; i++) {
		cr_assert_eq(vet_record_parse(&r, veterans[i],
		    strlen(veterans[i]), &err), 0, "%s", err.msg);
		cr_assert_eq(vet_audit_veteran(a, &r, out, &n, &err), 0, "%s",
		    err.msg);
	}
	cr_assert_eq(vet_audit_districts(a, out, &n, &err), 0, "%s", err.msg);
	vet_audit_free(a);
	vet_record_release(&r);
	return n;
}

/* The number of lines of out that contain every one of the strings. */
static int
count(const struct vet_buf *out, const char *s1, const char *s2)
{
	const char *p = vet_buf_str(out), *e;
	char line[2048];
	int n = 0;
	size_t len;

	while (*p != '\0') {
		e = strchr(p, '\n');
		cr_assert_not_null(e, "output line without newline");
		len = (size_t)(e - p) < sizeof line - 1 ? (size_t)(e - p) :
		    sizeof line - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		if (strstr(line, s1) && (s2 == NULL || strstr(line, s2)))
			n++;
		p = e + 1;
	}
	return n;
}

Test(audit, period_parse)
{
	struct vet_audit_period pd;
	struct vet_error err;

	cr_assert_eq(vet_audit_period_parse(&pd, "2026Q3", NULL, NULL,
	    day("2026-01-01"), &err), 0);
	cr_assert_eq(pd.from, day("2026-07-01"));
	cr_assert_eq(pd.to, day("2026-09-30"));
	cr_assert_str_eq(pd.label, "2026Q3");
	cr_assert_eq(vet_audit_period_parse(&pd, NULL, "2028-02", NULL,
	    day("2026-01-01"), &err), 0);
	cr_assert_eq(pd.to, day("2028-02-29"));
	cr_assert_str_eq(pd.label, "2028-02");
	cr_assert_eq(vet_audit_period_parse(&pd, NULL, NULL, "2025",
	    day("2026-01-01"), &err), 0);
	cr_assert_eq(pd.from, day("2025-01-01"));
	cr_assert_eq(pd.to, day("2025-12-31"));
	cr_assert_str_eq(pd.label, "2025");
	/* Default: the quarter that contains --as-of. */
	cr_assert_eq(vet_audit_period_parse(&pd, NULL, NULL, NULL,
	    day("2026-10-01"), &err), 0);
	cr_assert_str_eq(pd.label, "2026Q4");
	cr_assert_eq(pd.from, day("2026-10-01"));
	cr_assert_eq(pd.to, day("2026-12-31"));

	cr_assert_eq(vet_audit_period_parse(&pd, "2026Q5", NULL, NULL,
	    day("2026-01-01"), &err), VET_EUSAGE);
	cr_assert(strstr(err.msg, "2026Q5") != NULL, "%s", err.msg);
	cr_assert_eq(vet_audit_period_parse(&pd, "2026-Q1", NULL, NULL,
	    day("2026-01-01"), &err), VET_EUSAGE);
	cr_assert_eq(vet_audit_period_parse(&pd, NULL, "2026-13", NULL,
	    day("2026-01-01"), &err), VET_EUSAGE);
	cr_assert_eq(vet_audit_period_parse(&pd, NULL, "2026-7", NULL,
	    day("2026-01-01"), &err), VET_EUSAGE);
	cr_assert_eq(vet_audit_period_parse(&pd, NULL, NULL, "26",
	    day("2026-01-01"), &err), VET_EUSAGE);
	cr_assert_eq(vet_audit_period_parse(&pd, "2026Q1", "2026-01", NULL,
	    day("2026-01-01"), &err), VET_EUSAGE);
}

/*
 * assisted_since 2026-01-31 + 6 months = 2026-07-31: the duty starts in
 * July.  On 2026-09-30 July and August are over, September is not (it is
 * over only when --as-of is after its last day).
 */
Test(audit, monthly_contact_month_boundaries)
{
	static const char *const ev[] = { NULL };
	static const char *const vets[] = { HTP(ID1, "2026-01-31"), NULL };
	struct vet_buf out = VET_BUF_INIT;

	/* The day before the quarter's last day: September is not over. */
	run(&out, "2026-09-29", "2026Q3", NULL, NULL, ev, vets);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 2, "%s",
	    vet_buf_str(&out));
	cr_assert_eq(count(&out, "\"period\":\"2026-07\"", NULL), 1);
	cr_assert_eq(count(&out, "\"period\":\"2026-08\"", NULL), 1);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"", NULL), 0);
	vet_buf_reset(&out);

	/* SPEC 2.3: the quarter-end run on 09-30 covers the whole quarter,
	 * September and the quarter's consultation included. */
	run(&out, "2026-09-30", "2026Q3", NULL, NULL, ev, vets);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 3, "%s",
	    vet_buf_str(&out));
	cr_assert_eq(count(&out, "\"period\":\"2026-09\"", NULL), 1);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"", NULL), 1);
	vet_buf_reset(&out);

	run(&out, "2026-10-01", "2026Q3", NULL, NULL, ev, vets);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 3);
	cr_assert_eq(count(&out, "\"period\":\"2026-09\"", "\"severity\":"
	    "\"error\""), 1);
	cr_assert_eq(count(&out, "\"id\":\"" ID1 "\",\"district\":\"朝阳区\"",
	    "\"clause\":\"二(十)\""), 4, "%s", vet_buf_str(&out));
	vet_buf_release(&out);
}

/* A contact on the last day of a month counts for that month. */
Test(audit, monthly_contact_found)
{
	static const char *const ev[] = {
		"{\"type\":\"contact\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-08-31\",\"channel\":\"phone\"}",
		"{\"type\":\"contact\",\"id\":\"" ID2 "\",\"date\":"
		    "\"2026-07-01\",\"channel\":\"phone\"}",
		"{\"type\":\"contact\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-06-30\",\"channel\":\"visit\"}",
		NULL };
	static const char *const vets[] = { HTP(ID1, "2025-01-01"), NULL };
	struct vet_buf out = VET_BUF_INIT;

	run(&out, "2026-10-01", "2026Q3", NULL, NULL, ev, vets);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 2, "%s",
	    vet_buf_str(&out));
	cr_assert_eq(count(&out, "\"period\":\"2026-07\"", NULL), 1);
	cr_assert_eq(count(&out, "\"period\":\"2026-09\"", NULL), 1);
	vet_buf_release(&out);
}

/*
 * assisted_since 2026-02-15 + 6 = 2026-08-15: nothing is due for July.
 * assisted_since 2026-03-31 + 6 = 2026-09-30: only September is due, and
 * the duty started before the quarter's end, so Q3 needs a consultation.
 * assisted_since 2026-04-01 + 6 = 2026-10-01: nothing in Q3 at all.
 */
Test(audit, duty_start)
{
	static const char *const ev[] = { NULL };
	static const char *const v1[] = { HTP(ID1, "2026-02-15"), NULL };
	static const char *const v2[] = { HTP(ID1, "2026-03-31"), NULL };
	static const char *const v3[] = { HTP(ID1, "2026-04-01"), NULL };
	struct vet_buf out = VET_BUF_INIT;

	run(&out, "2026-10-01", "2026Q3", NULL, NULL, ev, v1);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 2);
	cr_assert_eq(count(&out, "\"period\":\"2026-07\"", NULL), 0);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"",
	    "\"period\":\"2026Q3\""), 1);
	vet_buf_reset(&out);

	run(&out, "2026-10-01", "2026Q3", NULL, NULL, ev, v2);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 1);
	cr_assert_eq(count(&out, "\"period\":\"2026-09\"", NULL), 1);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"", NULL), 1);
	vet_buf_reset(&out);

	run(&out, "2026-10-01", "2026Q3", NULL, NULL, ev, v3);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 0);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"", NULL), 0);
	vet_buf_release(&out);
}

/* A year: every month over and due, the four quarters, in order. */
Test(audit, year_period_order)
{
	static const char *const ev[] = { NULL };
	static const char *const vets[] = { HTP(ID1, "2024-01-01"), NULL };
	struct vet_buf out = VET_BUF_INIT;
	const char *s, *p7, *p8, *q1, *q2;

	run(&out, "2026-01-15", NULL, NULL, "2025", ev, vets);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 12);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"", NULL), 4);
	s = vet_buf_str(&out);
	p7 = strstr(s, "\"2025-07\"");
	p8 = strstr(s, "\"2025-08\"");
	q1 = strstr(s, "\"2025Q1\"");
	q2 = strstr(s, "\"2025Q2\"");
	cr_assert(p7 && p8 && q1 && q2 && p7 < p8 && p8 < q1 && q1 < q2,
	    "%s", s);
	vet_buf_release(&out);
}

Test(audit, consultations)
{
	static const char *const wide[] = {
		"{\"type\":\"consultation\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-08-01\",\"departments\":[\"退役军人事务局\"]}",
		NULL };
	static const char *const empty_ids[] = {
		"{\"type\":\"consultation\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-08-01\",\"ids\":[]}",
		NULL };
	static const char *const listed[] = {
		"{\"type\":\"consultation\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-09-30\",\"ids\":[\"" ID2 "\",\"" ID1 "\"]}",
		NULL };
	static const char *const others[] = {
		/* lists someone else */
		"{\"type\":\"consultation\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-08-01\",\"ids\":[\"" ID2 "\"]}",
		/* another district, though it lists the id */
		"{\"type\":\"consultation\",\"district\":\"海淀区\",\"date\":"
		    "\"2026-08-01\",\"ids\":[\"" ID1 "\"]}",
		/* another quarter */
		"{\"type\":\"consultation\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-10-01\"}",
		"{\"type\":\"consultation\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-06-30\"}",
		NULL };
	static const char *const vets[] = { HTP(ID1, "2025-01-01"), NULL };
	struct vet_buf out = VET_BUF_INIT;

	run(&out, "2026-10-02", "2026Q3", NULL, NULL, wide, vets);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"", NULL), 0);
	vet_buf_reset(&out);
	run(&out, "2026-10-02", "2026Q3", NULL, NULL, empty_ids, vets);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"", NULL), 0);
	vet_buf_reset(&out);
	run(&out, "2026-10-02", "2026Q3", NULL, NULL, listed, vets);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"", NULL), 0);
	vet_buf_reset(&out);
	run(&out, "2026-10-02", "2026Q3", NULL, NULL, others, vets);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"",
	    "\"period\":\"2026Q3\""), 1, "%s", vet_buf_str(&out));
	vet_buf_release(&out);
}

/* With --month the quarter that contains the month is the one checked. */
Test(audit, month_period_quarter)
{
	static const char *const ev[] = { NULL };
	static const char *const vets[] = { HTP(ID1, "2025-01-01"), NULL };
	struct vet_buf out = VET_BUF_INIT;

	run(&out, "2026-10-02", NULL, "2026-09", NULL, ev, vets);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 1);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"",
	    "\"2026Q3\""), 1);
	vet_buf_reset(&out);
	/* The month is over, its quarter is not. */
	run(&out, "2026-08-02", NULL, "2026-07", NULL, ev, vets);
	cr_assert_eq(count(&out, "\"monthly_contact\"", NULL), 1);
	cr_assert_eq(count(&out, "\"quarterly_consultation\"", NULL), 0);
	vet_buf_release(&out);
}

/*
 * Job fairs: 朝阳区 has one in 2026 before --as-of and one after it (which
 * does not count), one in 2025; 海淀区 has two.  Only districts of the
 * input are audited.
 */
Test(audit, job_fairs)
{
	static const char *const ev[] = {
		"{\"type\":\"job_fair\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-03-01\",\"posts\":10,\"attendees\":20}",
		"{\"type\":\"job_fair\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-11-01\",\"posts\":10,\"attendees\":20}",
		"{\"type\":\"job_fair\",\"district\":\"朝阳区\",\"date\":"
		    "\"2025-11-01\",\"posts\":10,\"attendees\":20}",
		"{\"type\":\"job_fair\",\"district\":\"海淀区\",\"date\":"
		    "\"2026-01-01\"}",
		"{\"type\":\"job_fair\",\"district\":\"海淀区\",\"date\":"
		    "\"2026-02-01\"}",
		NULL };
	static const char *const vets[] = {
		"{\"id\":\"" ID1 "\",\"district\":\"朝阳区\",\"categories\":"
		    "[\"out_of_scope\"]}",
		"{\"id\":\"" ID2 "\",\"district\":\"海淀区\",\"categories\":"
		    "[\"out_of_scope\"]}",
		NULL };
	static const char *const none[] = { NULL };
	static const char *const dongcheng[] = {
		"{\"id\":\"" ID2 "\",\"district\":\"东城区\",\"categories\":"
		    "[\"out_of_scope\"]}",
		"{\"id\":\"" ID1 "\",\"district\":\"朝阳区\",\"categories\":"
		    "[\"out_of_scope\"]}",
		"{\"id\":\"" ID1 "\",\"district\":\"Atlantis\",\"categories\":"
		    "[\"out_of_scope\"]}",
		NULL };
	struct vet_buf out = VET_BUF_INIT;
	const char *s, *a, *b, *c;

	/* Paced (SPEC): on 2026-10-01 nine months are over, so one fair
	 * is due; 朝阳区 held one (the one of 11-01 is later), 海淀区 two. */
	cr_assert_eq(run(&out, "2026-10-01", NULL, NULL, NULL, ev, vets), 0,
	    "%s", vet_buf_str(&out));
	vet_buf_reset(&out);

	/* The year 2025 is over: errors; 朝阳区 had one fair in 2025, 海淀区
	 * none (its two are in 2026). */
	cr_assert_eq(run(&out, "2026-10-01", "2025Q4", NULL, NULL, ev, vets),
	    2);
	cr_assert_eq(count(&out, "\"severity\":\"error\"",
	    "\"period\":\"2025\""), 2, "%s", vet_buf_str(&out));
	cr_assert_eq(count(&out, "朝阳区", "\"1 job fair held in 2025, 2 due "
	    "by 2025-12-31\""), 1, "%s", vet_buf_str(&out));
	cr_assert_eq(count(&out, "海淀区", "\"0 job fairs held in 2025, 2 due "
	    "by 2025-12-31\""), 1);
	vet_buf_reset(&out);

	/* The last day of the year is its end (SPEC 2.3): over. */
	cr_assert_eq(run(&out, "2025-12-31", "2025Q4", NULL, NULL, ev, vets),
	    2);
	cr_assert_eq(count(&out, "\"severity\":\"error\"", "\"2025\""), 2);
	vet_buf_reset(&out);

	/* The day before, eleven months are over: one due, 海淀区 behind. */
	cr_assert_eq(run(&out, "2025-12-30", "2025Q4", NULL, NULL, ev, vets),
	    1);
	cr_assert_str_eq(vet_buf_str(&out), "{\"check\":\"job_fairs\","
	    "\"clause\":\"二(七)\",\"severity\":\"warning\",\"district\":"
	    "\"海淀区\",\"period\":\"2025\",\"detail\":\"behind: 0 job fairs "
	    "held by 2025-12-30, 1 due by then and 2 by 2025-12-31\"}\n");
	vet_buf_reset(&out);

	/* Five months over on 06-29: none due yet; six on 06-30: one. */
	cr_assert_eq(run(&out, "2026-06-29", NULL, NULL, NULL, none,
	    dongcheng), 0, "%s", vet_buf_str(&out));
	cr_assert_eq(run(&out, "2026-06-30", NULL, NULL, NULL, none,
	    dongcheng), 3);
	/* Districts in the policy's order, others last. */
	s = vet_buf_str(&out);
	a = strstr(s, "东城区");
	b = strstr(s, "朝阳区");
	c = strstr(s, "Atlantis");
	cr_assert(a && b && c && a < b && b < c, "%s", s);
	cr_assert_eq(count(&out, "behind: 0 job fairs held by 2026-06-30, 1 "
	    "due by then", "\"severity\":\"warning\""), 3);
	vet_buf_release(&out);
}

/* --due: the duties of the period still open, not yet late. */
Test(audit, due)
{
	static const char *const ev[] = {
		"{\"type\":\"contact\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-08-03\",\"channel\":\"phone\"}",
		"{\"type\":\"contact\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-09-25\",\"channel\":\"phone\"}",
		"{\"type\":\"job_fair\",\"district\":\"朝阳区\",\"date\":"
		    "\"2026-03-01\"}",
		NULL };
	static const char *const vets[] = { HTP(ID1, "2025-01-01"), NULL };
	struct vet_audit_period pd;
	struct vet_audit *a;
	struct vet_record r;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	size_t n = 0, i;

	vet_record_init(&r);
	cr_assert_eq(vet_audit_period_parse(&pd, NULL, NULL, NULL,
	    day("2026-08-20"), &err), 0);
	cr_assert_eq(vet_audit_new(&a, pol, &pd, day("2026-08-20"), 1, &err),
	    0);
	vet_audit_set_due(a, 1);
	for (i = 0; ev[i] != NULL; i++) {
		cr_assert_eq(vet_record_parse(&r, ev[i], strlen(ev[i]), &err),
		    0);
		cr_assert_eq(vet_audit_add_event(a, &r, &err), 0, "%s",
		    err.msg);
	}
	cr_assert_eq(vet_record_parse(&r, vets[0], strlen(vets[0]), &err), 0);
	cr_assert_eq(vet_audit_veteran(a, &r, &out, &n, &err), 0);
	cr_assert_eq(vet_audit_districts(a, &out, &n, &err), 0);
	/* July is late; August's call was made (on 08-03), September has
	 * not begun, the quarter's consultation and the second fair are
	 * still open. */
	cr_assert_eq(n, 1, "%s", vet_buf_str(&out));
	cr_assert_eq(vet_audit_ndue(a), 2, "%s", vet_buf_str(&out));
	cr_assert_eq(count(&out, "\"period\":\"2026-07\"",
	    "\"severity\":\"error\""), 1);
	cr_assert_eq(count(&out, "\"severity\":\"due\"", "\"period\":"
	    "\"2026Q3\""), 1, "%s", vet_buf_str(&out));
	cr_assert_eq(count(&out, "\"severity\":\"due\"", "\"due\":"
	    "\"2026-09-30\"}"), 1);
	cr_assert_eq(count(&out, "\"check\":\"job_fairs\",\"clause\":"
	    "\"二(七)\",\"severity\":\"due\",\"district\":\"朝阳区\","
	    "\"period\":\"2026\",\"detail\":\"1 job fair held by 2026-08-20, "
	    "2 due by 2026-12-31\",\"due\":\"2026-12-31\"}", NULL), 1,
	    "%s", vet_buf_str(&out));
	vet_audit_free(a);

	/* A month begun whose contact is still missing is due. */
	vet_buf_reset(&out);
	n = 0;
	cr_assert_eq(vet_audit_new(&a, pol, &pd, day("2026-09-20"), 1, &err),
	    0);
	vet_audit_set_due(a, 1);
	cr_assert_eq(vet_record_parse(&r, vets[0], strlen(vets[0]), &err), 0);
	cr_assert_eq(vet_audit_veteran(a, &r, &out, &n, &err), 0);
	cr_assert_eq(count(&out, "\"period\":\"2026-09\"", "\"due\":"
	    "\"2026-09-30\"}"), 1, "%s", vet_buf_str(&out));
	/* Without --due nothing open is written. */
	vet_audit_set_due(a, 0);
	vet_buf_reset(&out);
	cr_assert_eq(vet_audit_veteran(a, &r, &out, &n, &err), 0);
	cr_assert_eq(count(&out, "\"severity\":\"due\"", NULL), 0);
	vet_audit_free(a);
	vet_record_release(&r);
	vet_buf_release(&out);
}

Test(audit, no_event_log)
{
	static const char *const vets[] = { HTP(ID1, "2024-01-01"), NULL };
	struct vet_buf out = VET_BUF_INIT;

	cr_assert_eq(run(&out, "2026-10-01", NULL, NULL, NULL, NULL, vets), 0,
	    "%s", vet_buf_str(&out));
	vet_buf_release(&out);
}

Test(audit, category_checks_in_policy_order)
{
	static const char *const ev[] = {
		"{\"type\":\"job_fair\",\"district\":\"西城区\",\"date\":"
		    "\"2026-01-01\"}",
		"{\"type\":\"job_fair\",\"district\":\"西城区\",\"date\":"
		    "\"2026-02-01\"}",
		NULL };
	static const char *const vets[] = {
		"{\"id\":\"" ID1 "\",\"district\":\"西城区\",\"employment_need\":"
		    "true,\"skills\":null,\"categories\":[\"exit_candidate\","
		    "\"difficulty_candidate\",\"needs_registration\","
		    "\"training_incomplete\"],\"reasons\":[{\"code\":"
		    "\"exit_candidate\",\"clause\":\"二(四)\",\"detail\":"
		    "\"refusals 3 >= 3\"}]}",
		NULL };
	struct vet_buf out = VET_BUF_INIT;
	const char *s, *p[5];
	int i;

	cr_assert_eq(run(&out, "2026-10-01", NULL, NULL, NULL, ev, vets), 5);
	s = vet_buf_str(&out);
	p[0] = strstr(s, "\"adaptive_training\"");
	p[1] = strstr(s, "\"incomplete_file\"");
	p[2] = strstr(s, "\"unregistered_unemployed\"");
	p[3] = strstr(s, "\"uncertified_candidate\"");
	p[4] = strstr(s, "\"exit_pending\"");
	for (i = 0; i < 5; i++)
		cr_assert(p[i] != NULL && (i == 0 || p[i - 1] < p[i]), "%s",
		    s);
	cr_assert_eq(count(&out, "\"incomplete_file\"", "\"detail\":"
	    "\"missing education, skills, household_working_age, "
	    "household_employed, employment_status, living_difficulty, "
	    "desired_industries\""), 1, "%s", s);
	cr_assert_eq(count(&out, "\"exit_pending\"", "\"clause\":\"二(四)\","
	    "\"severity\":\"warning\",\"id\":\"" ID1 "\",\"district\":"
	    "\"西城区\",\"period\":\"2026Q4\",\"detail\":\"exit_candidate: "
	    "refusals 3 >= 3\""), 1, "%s", s);
	cr_assert_eq(count(&out, "\"adaptive_training\"", "\"clause\":"
	    "\"二(二)\""), 1);
	vet_buf_release(&out);
}

/* incomplete_file concerns those in scope; desired_industries only with
 * a need. */
Test(audit, incomplete_file_scope)
{
	static const char *const ev[] = { NULL };
	static const char *const vets[] = {
		"{\"id\":\"" ID1 "\",\"district\":\"西城区\",\"categories\":"
		    "[\"out_of_scope\"]}",
		"{\"id\":\"" ID1 "\",\"district\":\"西城区\",\"exited\":true,"
		    "\"categories\":[\"exited\"]}",
		"{\"id\":\"" ID2 "\",\"district\":\"西城区\",\"education\":"
		    "\"bachelor\",\"skills\":[],\"household_working_age\":1,"
		    "\"household_employed\":1,\"employment_status\":\"employed\","
		    "\"living_difficulty\":false,\"employment_need\":false,"
		    "\"categories\":[\"employed\"]}",
		"{\"id\":\"" ID2 "\",\"district\":\"西城区\",\"education\":"
		    "\"bachelor\",\"skills\":[],\"household_working_age\":1,"
		    "\"household_employed\":1,\"employment_status\":\"employed\","
		    "\"living_difficulty\":null,\"categories\":[]}",
		NULL };
	struct vet_buf out = VET_BUF_INIT;

	run(&out, "2026-10-01", NULL, NULL, NULL, ev, vets);
	cr_assert_eq(count(&out, "\"incomplete_file\"", NULL), 1, "%s",
	    vet_buf_str(&out));
	cr_assert_eq(count(&out, "\"detail\":\"missing living_difficulty\"",
	    NULL), 1);
	vet_buf_release(&out);
}

Test(audit, bad_veterans)
{
	static const char *const bad[] = {
		"{\"id\":\"" ID1 "\",\"district\":\"西城区\"}",
		"{\"id\":\"" ID1 "\",\"district\":\"西城区\",\"categories\":"
		    "\"hard_to_place\"}",
		"{\"id\":\"" ID1 "\",\"district\":\"西城区\",\"categories\":"
		    "[1]}",
		"{\"district\":\"西城区\",\"categories\":[]}",
		"{\"id\":7,\"district\":\"西城区\",\"categories\":[]}",
		"{\"id\":\"" ID1 "\",\"categories\":[]}",
		"{\"kind\":\"job\",\"id\":\"" ID1 "\",\"district\":\"西城区\","
		    "\"categories\":[]}",
		"{\"id\":\"" ID1 "\",\"district\":\"西城区\",\"assisted_since\":"
		    "\"2026-02-30\",\"categories\":[\"hard_to_place\"]}",
		NULL };
	struct vet_audit_period pd;
	struct vet_audit *a;
	struct vet_record r;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	size_t n = 0, i;

	vet_record_init(&r);
	vet_audit_period_parse(&pd, NULL, NULL, NULL, day("2026-10-01"),
	    &err);
	cr_assert_eq(vet_audit_new(&a, pol, &pd, day("2026-10-01"), 1, &err),
	    0);
	vet_buf_addstr(&out, "kept\n");
	for (i = 0; bad[i] != NULL; i++) {
		cr_assert_eq(vet_record_parse(&r, bad[i], strlen(bad[i]), &err),
		    0);
		vet_error_clear(&err);
		cr_assert_eq(vet_audit_veteran(a, &r, &out, &n, &err),
		    VET_EDATA, "%s", bad[i]);
		cr_assert(err.msg[0] != '\0');
		cr_assert(strstr(err.msg, ID1) == NULL);
	}
	cr_assert_str_eq(vet_buf_str(&out), "kept\n");
	cr_assert_eq(n, 0);
	/* A rejected veteran's district is not one of the input. */
	cr_assert_eq(vet_audit_districts(a, &out, &n, &err), 0);
	cr_assert_str_eq(vet_buf_str(&out), "kept\n");
	vet_audit_free(a);
	vet_record_release(&r);
	vet_buf_release(&out);
}

Test(audit, bad_events)
{
	static const char *const bad[] = {
		"{\"date\":\"2026-01-01\"}",
		"{\"type\":3,\"date\":\"2026-01-01\"}",
		"{\"type\":\"party\",\"date\":\"2026-01-01\"}",
		"{\"type\":\"contact\",\"id\":\"" ID1 "\"}",
		"{\"type\":\"contact\",\"id\":\"" ID1 "\",\"date\":\"2026/01/01\"}",
		"{\"type\":\"contact\",\"date\":\"2026-01-01\"}",
		"{\"type\":\"training\",\"date\":\"2026-01-01\",\"hours\":8}",
		"{\"type\":\"job_fair\",\"date\":\"2026-01-01\"}",
		"{\"type\":\"consultation\",\"date\":\"2026-01-01\"}",
		"{\"type\":\"consultation\",\"district\":\"西城区\",\"date\":"
		    "\"2026-01-01\",\"ids\":\"" ID1 "\"}",
		"{\"type\":\"consultation\",\"district\":\"西城区\",\"date\":"
		    "\"2026-01-01\",\"ids\":[\"" ID1 "\",1]}",
		NULL };
	static const char *const good[] = {
		"{\"type\":\"exit\",\"id\":\"" ID1 "\",\"date\":\"2027-01-01\"}",
		"{\"type\":\"consultation\",\"district\":\"西城区\",\"date\":"
		    "\"2020-01-01\",\"ids\":null}",
		NULL };
	struct vet_audit_period pd;
	struct vet_audit *a;
	struct vet_record r;
	struct vet_error err;
	size_t i;

	vet_record_init(&r);
	vet_audit_period_parse(&pd, NULL, NULL, NULL, day("2026-10-01"),
	    &err);
	cr_assert_eq(vet_audit_new(&a, pol, &pd, day("2026-10-01"), 1, &err),
	    0);
	for (i = 0; bad[i] != NULL; i++) {
		cr_assert_eq(vet_record_parse(&r, bad[i], strlen(bad[i]), &err),
		    0);
		vet_error_clear(&err);
		cr_assert_eq(vet_audit_add_event(a, &r, &err), VET_EDATA, "%s",
		    bad[i]);
		cr_assert(err.msg[0] != '\0');
	}
	for (i = 0; good[i] != NULL; i++) {
		cr_assert_eq(vet_record_parse(&r, good[i], strlen(good[i]),
		    &err), 0);
		cr_assert_eq(vet_audit_add_event(a, &r, &err), 0, "%s: %s",
		    good[i], err.msg);
	}
	vet_audit_free(a);
	vet_record_release(&r);
}

/* A policy that lists a check vet-audit does not know is refused. */
Test(audit, policy_unknown_check)
{
	struct vet_policy *p2;
	struct vet_audit_period pd;
	struct vet_audit *a;
	struct vet_error err;
	struct vet_buf y = VET_BUF_INIT;
	const char *s = vet_policy_builtin_yaml, *c;

	/* The built-in policy with the job_fairs check renamed. */
	c = strstr(s, "  - code: job_fairs");
	cr_assert_not_null(c);
	vet_buf_add(&y, s, (size_t)(c - s));
	vet_buf_addstr(&y, "  - code: job_fair_count");
	vet_buf_addstr(&y, c + strlen("  - code: job_fairs"));
	cr_assert_eq(vet_policy_load_text(&p2, "t.yaml", y.data, y.len,
	    &err), 0, "%s", err.msg);
	vet_audit_period_parse(&pd, NULL, NULL, NULL, day("2026-10-01"),
	    &err);
	cr_assert_eq(vet_audit_new(&a, p2, &pd, day("2026-10-01"), 1, &err),
	    VET_ECONFIG);
	cr_assert(strstr(err.msg, "job_fair_count") != NULL, "%s", err.msg);
	vet_policy_free(p2);
	vet_buf_release(&y);
}
