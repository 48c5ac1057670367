/*
 * Tests of vet-plan's library (plan.h): the plan record of SPEC "vet-plan"
 * with expectations worked out by hand from SPEC 2.3 and "The default
 * audit, exactly", and the worklist's order, masking and html.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "vet/audit.h"
#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/plan.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/sheet.h"
#include "vet/xlsx.h"
#include "zipread.h"

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

TestSuite(plan, .init = setup, .fini = teardown);

static vet_day
day(const char *s)
{
	vet_day d;

	cr_assert_eq(vet_date_parse(s, strlen(s), &d), 0, "bad date %s", s);
	return d;
}

#define ID1 "110105199001011232"
#define ID2 "110105198502021231"
/* A hard_to_place veteran whose duty started in 2026-07. */
#define HTP1 "{\"id\":\"" ID1 "\",\"name\":\"张伟\",\"district\":\"朝阳区\"," \
	"\"street\":\"奥运村街道\",\"community\":\"东里社区\"," \
	"\"assisted_since\":\"2026-01-31\"," \
	"\"categories\":[\"employment_difficulty\",\"hard_to_place\"]," \
	"\"priority\":1,\"measures\":[\"one_on_one\",\"monthly_contact\"]}"

struct side {
	const char *const *events, *const *findings, *const *recs;
};

/* Plans veteran v as of as_of with the side records given; returns 1 when
 * a plan was written (into out), 0 when none, or the error status. */
static int
plan1(struct vet_buf *out, const char *as_of, const struct side *sd,
    const char *street, const char *community, const char *v)
{
	struct vet_plan *pl;
	struct vet_record r;
	struct vet_error err;
	struct vet_span line;
	size_t i;
	int kept, rc;

	vet_record_init(&r);
	cr_assert_eq(vet_plan_new(&pl, pol, day(as_of), sd && sd->events,
	    &err), 0, "%s", err.msg);
	vet_plan_set_station(pl, street, community);
	for (i = 0; sd && sd->events && sd->events[i]; i++) {
		cr_assert_eq(vet_record_parse(&r, sd->events[i],
		    strlen(sd->events[i]), &err), 0);
		cr_assert_eq(vet_plan_add_event(pl, &r, &err), 0, "%s",
		    err.msg);
	}
	for (i = 0; sd && sd->findings && sd->findings[i]; i++) {
		cr_assert_eq(vet_record_parse(&r, sd->findings[i],
		    strlen(sd->findings[i]), &err), 0);
		cr_assert_eq(vet_plan_add_finding(pl, &r, &err), 0, "%s",
		    err.msg);
	}
	for (i = 0; sd && sd->recs && sd->recs[i]; i++) {
		line.p = sd->recs[i];
		line.n = strlen(sd->recs[i]);
		cr_assert_eq(vet_record_parse(&r, line.p, line.n, &err), 0);
		cr_assert_eq(vet_plan_add_recommendation(pl, &r, line, &err),
		    0, "%s", err.msg);
	}
	cr_assert_eq(vet_record_parse(&r, v, strlen(v), &err), 0, "%s",
	    err.msg);
	vet_buf_reset(out);
	rc = vet_plan_veteran(pl, &r, out, &kept, &err);
	vet_record_release(&r);
	vet_plan_free(pl);
	return rc < 0 ? rc : kept;
}

static int
has(const struct vet_buf *b, const char *s)
{
	return strstr(vet_buf_str(b), s) != NULL;
}

Test(plan, duties_done_due_late_by_the_end_of_day)
{
	static const char *const ev[] = {
		"{\"type\":\"contact\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-11-03\"}",
		/* After as_of: it has not happened. */
		"{\"type\":\"contact\",\"id\":\"" ID1 "\",\"date\":"
		    "\"2026-12-01\"}",
		NULL
	};
	struct side sd = { ev, NULL, NULL };
	struct vet_buf o = VET_BUF_INIT;

	/* 2026-11-30 is the month's last day: November is over (met), and
	 * October, missed, is late; the quarter is still due. */
	cr_assert_eq(plan1(&o, "2026-11-30", &sd, NULL, NULL, HTP1), 1);
	cr_assert(has(&o, "{\"check\":\"monthly_contact\",\"period\":"
	    "\"2026-10\",\"due\":\"2026-10-31\",\"status\":\"late\"},"
	    "{\"check\":\"monthly_contact\",\"period\":\"2026-11\",\"due\":"
	    "\"2026-11-30\",\"status\":\"done\"},{\"check\":"
	    "\"quarterly_consultation\",\"period\":\"2026Q4\",\"due\":"
	    "\"2026-12-31\",\"status\":\"due\"}]"), "%s", o.data);
	cr_assert(has(&o, "\"last_contact_date\":\"2026-11-03\","
	    "\"days_since_contact\":27,"), "%s", o.data);
	/* The measure takes the month's duty, label and clause from the
	 * policy. */
	cr_assert(has(&o, "{\"code\":\"monthly_contact\",\"label\":\"每月联系\","
	    "\"clause\":\"二(八)(十)\",\"due\":\"2026-11-30\",\"status\":"
	    "\"done\"}"), "%s", o.data);
	cr_assert(has(&o, "{\"code\":\"one_on_one\",\"label\":\"“一对一”精准帮扶\","
	    "\"clause\":\"二(十)\",\"status\":\"open\"}"), "%s", o.data);
	vet_buf_release(&o);
}

/* The plan's duties are the audit's: every duty the audit's --due
 * findings call late or due is so in vet_audit_duties(), and the ones it
 * is silent about are done. */
Test(plan, audit_duties_agree_with_the_findings)
{
	static const char *const months[] = {
		"2026-07-01", "2026-07-31", "2026-08-15", "2026-09-30",
		"2026-10-01", "2026-12-31"
	};
	struct vet_audit_period pd;
	struct vet_audit_duty du[VET_AUDIT_MAX_DUTIES];
	struct vet_audit *a;
	struct vet_record r, e;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	const char *ev = "{\"type\":\"contact\",\"id\":\"" ID1 "\","
	    "\"date\":\"2026-08-02\"}";
	size_t nd, nf, i, m, seen[3] = { 0, 0, 0 };
	char want[96];

	vet_record_init(&r);
	vet_record_init(&e);
	for (m = 0; m < sizeof months / sizeof months[0]; m++) {
		cr_assert_eq(vet_audit_period_parse(&pd, NULL, NULL, NULL,
		    day(months[m]), &err), 0);
		cr_assert_eq(vet_audit_new(&a, pol, &pd, day(months[m]), 1,
		    &err), 0);
		vet_audit_set_due(a, 1);
		cr_assert_eq(vet_record_parse(&e, ev, strlen(ev), &err), 0);
		cr_assert_eq(vet_audit_add_event(a, &e, &err), 0);
		cr_assert_eq(vet_record_parse(&r, HTP1, strlen(HTP1), &err),
		    0);
		cr_assert_eq(vet_audit_duties(a, &r, du, &nd, &err), 0);
		vet_buf_reset(&out);
		nf = 0;
		cr_assert_eq(vet_audit_veteran(a, &r, &out, &nf, &err), 0);
		for (i = 0; i < nd; i++) {
			seen[du[i].status]++;
			snprintf(want, sizeof want, "\"severity\":\"%s\","
			    "\"id\":\"" ID1 "\",\"district\":\"朝阳区\","
			    "\"period\":\"%s\"", du[i].status ==
			    VET_AUDIT_LATE ? "error" : "due", du[i].period);
			cr_assert_eq(has(&out, want), du[i].status !=
			    VET_AUDIT_DONE, "%s: %s %s in %s", months[m],
			    du[i].check, du[i].period, vet_buf_str(&out));
		}
		vet_audit_free(a);
	}
	/* 2026-08 was met; July and September were missed, and each was
	 * due before it was late. */
	cr_assert_gt(seen[VET_AUDIT_DONE], 0);
	cr_assert_gt(seen[VET_AUDIT_DUE], 0);
	cr_assert_gt(seen[VET_AUDIT_LATE], 0);
	vet_buf_release(&out);
	vet_record_release(&r);
	vet_record_release(&e);
}

Test(plan, nothing_to_do_writes_nothing)
{
	struct vet_buf o = VET_BUF_INIT;

	cr_assert_eq(plan1(&o, "2026-10-20", NULL, NULL, NULL,
	    "{\"id\":\"" ID2 "\",\"district\":\"朝阳区\",\"categories\":"
	    "[\"employed\"],\"priority\":9,\"measures\":[]}"), 0);
	cr_assert_eq(o.len, 0);
	/* Outside the station: nothing either. */
	cr_assert_eq(plan1(&o, "2026-10-20", NULL, "亚运村街道", NULL, HTP1),
	    0);
	cr_assert_eq(plan1(&o, "2026-10-20", NULL, "奥运村街道", "东里社区",
	    HTP1), 1);
	vet_buf_release(&o);
}

Test(plan, the_log_speaks_for_the_last_contact)
{
	static const char *const ev[] = {
		"{\"type\":\"contact\",\"id\":\"" ID2 "\",\"date\":"
		    "\"2026-09-02\"}",
		NULL
	};
	struct side sd = { ev, NULL, NULL };
	struct vet_buf o = VET_BUF_INIT;
	const char *v = "{\"id\":\"" ID2 "\",\"district\":\"朝阳区\","
	    "\"last_contact_date\":\"2026-10-01\",\"categories\":[],"
	    "\"priority\":5,\"measures\":[\"job_recommendation\"]}";
	const char *later = "{\"id\":\"" ID2 "\",\"district\":\"朝阳区\","
	    "\"last_contact_date\":\"2026-10-21\",\"categories\":[],"
	    "\"priority\":5,\"measures\":[\"job_recommendation\"]}";

	cr_assert_eq(plan1(&o, "2026-10-20", &sd, NULL, NULL, v), 1);
	cr_assert(has(&o, "\"last_contact_date\":\"2026-09-02\","
	    "\"days_since_contact\":48"), "%s", o.data);
	cr_assert_eq(plan1(&o, "2026-10-20", NULL, NULL, NULL, v), 1);
	cr_assert(has(&o, "\"last_contact_date\":\"2026-10-01\","
	    "\"days_since_contact\":19"), "%s", o.data);
	cr_assert_eq(plan1(&o, "2026-10-20", NULL, NULL, NULL, later), 1);
	cr_assert(has(&o, "\"last_contact_date\":null,"
	    "\"days_since_contact\":null"), "%s", o.data);
	vet_buf_release(&o);
}

Test(plan, findings_give_duties_and_go_stale)
{
	static const char *const fi[] = {
		"{\"check\":\"monthly_contact\",\"severity\":\"due\",\"id\":\""
		    ID1 "\",\"period\":\"2026-10\",\"due\":\"2026-10-31\"}",
		/* Another quarter: not this period's work. */
		"{\"check\":\"monthly_contact\",\"severity\":\"error\",\"id\":"
		    "\"" ID1 "\",\"period\":\"2026-09\"}",
		"{\"check\":\"exit_pending\",\"severity\":\"warning\",\"id\":"
		    "\"" ID1 "\",\"period\":\"2026Q4\"}",
		NULL
	};
	struct side sd = { NULL, fi, NULL };
	struct vet_buf o = VET_BUF_INIT;

	cr_assert_eq(plan1(&o, "2026-10-30", &sd, NULL, NULL, HTP1), 1);
	cr_assert(has(&o, "\"duties\":[{\"check\":\"monthly_contact\","
	    "\"period\":\"2026-10\",\"due\":\"2026-10-31\",\"status\":"
	    "\"due\"}]"), "%s", o.data);
	/* Due when vet-audit ran, late now. */
	cr_assert_eq(plan1(&o, "2026-10-31", &sd, NULL, NULL, HTP1), 1);
	cr_assert(has(&o, "\"status\":\"late\"}]"), "%s", o.data);
	vet_buf_release(&o);
}

Test(plan, bad_side_records_and_veterans_are_refused)
{
	struct vet_plan *pl;
	struct vet_record r;
	struct vet_error err;
	struct vet_buf o = VET_BUF_INIT;
	struct vet_span line;
	static const char *const bad_findings[] = {
		"{\"check\":\"monthly_contact\",\"severity\":\"due\","
		    "\"period\":\"2026-10\"}",
		"{\"check\":\"monthly_contact\",\"severity\":\"due\",\"id\":"
		    "\"x\",\"period\":\"2026-13\"}",
		"{\"check\":\"quarterly_consultation\",\"severity\":\"due\","
		    "\"id\":\"x\",\"period\":\"2026-10\"}",
		"{\"check\":\"quarterly_consultation\",\"severity\":\"due\","
		    "\"id\":\"x\",\"period\":\"previous\"}",
		NULL
	};
	static const char *const bad_veterans[] = {
		"{\"id\":\"" ID1 "\",\"district\":\"朝阳区\",\"categories\":[],"
		    "\"priority\":1}",
		"{\"id\":\"" ID1 "\",\"district\":\"朝阳区\",\"categories\":[],"
		    "\"measures\":[1],\"priority\":1}",
		"{\"id\":\"" ID1 "\",\"district\":\"朝阳区\",\"categories\":[],"
		    "\"measures\":[],\"priority\":1.5}",
		"{\"id\":\"" ID1 "\",\"district\":\"朝阳区\",\"categories\":[],"
		    "\"measures\":[],\"priority\":1,\"name\":7}",
		"{\"id\":\"" ID1 "\",\"categories\":[],\"measures\":[],"
		    "\"priority\":1}",
		"{\"district\":\"朝阳区\",\"categories\":[],\"measures\":[],"
		    "\"priority\":1}",
		"{\"id\":\"" ID1 "\",\"district\":\"朝阳区\",\"categories\":[],"
		    "\"measures\":[],\"priority\":1,\"last_contact_date\":"
		    "\"2026-02-30\"}",
		NULL
	};
	size_t i;
	int kept;

	vet_record_init(&r);
	cr_assert_eq(vet_plan_new(&pl, pol, day("2026-10-20"), 0, &err), 0);
	for (i = 0; bad_findings[i]; i++) {
		cr_assert_eq(vet_record_parse(&r, bad_findings[i],
		    strlen(bad_findings[i]), &err), 0);
		cr_assert_eq(vet_plan_add_finding(pl, &r, &err), VET_EDATA,
		    "%s", bad_findings[i]);
	}
	line.p = "{\"id\":\"" ID1 "\",\"rank\":1}";
	line.n = strlen(line.p);
	cr_assert_eq(vet_record_parse(&r, line.p, line.n, &err), 0);
	cr_assert_eq(vet_plan_add_recommendation(pl, &r, line, &err),
	    VET_EDATA);
	for (i = 0; bad_veterans[i]; i++) {
		cr_assert_eq(vet_record_parse(&r, bad_veterans[i],
		    strlen(bad_veterans[i]), &err), 0);
		cr_assert_eq(vet_plan_veteran(pl, &r, &o, &kept, &err),
		    VET_EDATA, "%s", bad_veterans[i]);
		cr_assert_eq(o.len, 0);
	}
	vet_plan_free(pl);
	vet_record_release(&r);
	vet_buf_release(&o);
}

Test(plan, recommendations_in_file_order)
{
	static const char *const rc[] = {
		"{\"id\":\"" ID1 "\",\"job_id\":\"J2\",\"rank\":1,\"score\":9}  ",
		"{\"id\":\"" ID2 "\",\"job_id\":\"J9\",\"rank\":1,\"score\":5}",
		"{\"id\":\"" ID1 "\",\"job_id\":\"J1\",\"rank\":2,\"score\":3}",
		NULL
	};
	struct side sd = { NULL, NULL, rc };
	struct vet_buf o = VET_BUF_INIT;

	cr_assert_eq(plan1(&o, "2026-10-20", &sd, NULL, NULL, HTP1), 1);
	cr_assert(has(&o, "\"recommendations\":[{\"id\":\"" ID1 "\","
	    "\"job_id\":\"J2\",\"rank\":1,\"score\":9},{\"id\":\"" ID1 "\","
	    "\"job_id\":\"J1\",\"rank\":2,\"score\":3}]}\n"), "%s", o.data);
	vet_buf_release(&o);
}

/* ---- the worklist ------------------------------------------------------- */

#define PLAN(id, name, street, comm, prio, days) "{\"id\":\"" id "\"," \
	"\"name\":\"" name "\",\"district\":\"朝阳区\",\"street\":" street \
	",\"community\":" comm ",\"priority\":" prio ",\"categories\":[]," \
	"\"measures\":[],\"duties\":[],\"last_contact_date\":null," \
	"\"days_since_contact\":" days ",\"recommendations\":[]}"

static void
worklist(struct vet_buf *o, enum vet_worklist_format f, int unmask,
    const char *const *plans)
{
	struct vet_worklist *wl;
	struct vet_error err;
	size_t i;

	cr_assert_eq(vet_worklist_new(&wl, pol, day("2026-10-20"), unmask,
	    &err), 0);
	for (i = 0; plans[i]; i++)
		cr_assert_eq(vet_worklist_add(wl, plans[i], strlen(plans[i]),
		    "13812345678", 11, &err), 0, "%s: %s", plans[i], err.msg);
	cr_assert_eq(vet_worklist_count(wl), i);
	vet_buf_reset(o);
	cr_assert_eq(vet_worklist_write(wl, f, o, &err), 0);
	vet_worklist_free(wl);
}

/* Index of s in o, which must hold it. */
static size_t
at(const struct vet_buf *o, const char *s)
{
	const char *p = strstr(vet_buf_str(o), s);

	cr_assert_not_null(p, "%s not in %s", s, vet_buf_str(o));
	return (size_t)(p - o->data);
}

Test(plan, worklist_most_urgent_first_by_station)
{
	static const char *const plans[] = {
		PLAN("11010519900101111X", "甲", "\"A街道\"", "\"一社区\"", "4",
		    "3"),
		PLAN("110105199001012227", "乙", "\"A街道\"", "\"一社区\"", "1",
		    "10"),
		PLAN("110105199001013334", "丙", "\"A街道\"", "\"一社区\"", "1",
		    "40"),
		PLAN("110105199001014441", "丁", "\"A街道\"", "\"一社区\"", "1",
		    "null"),
		PLAN("110105199001015559", "戊", "\"A街道\"", "null", "1", "1"),
		PLAN("110105199001016666", "己", "\"A街道\"", "\"二社区\"", "9",
		    "1"),
		NULL
	};
	struct vet_buf o = VET_BUF_INIT;

	worklist(&o, VET_WORKLIST_TEXT, 0, plans);
	/* Never contacted, then the longest without contact, then the
	 * lower priority; a blank community after the named ones. */
	cr_assert_lt(at(&o, "丁"), at(&o, "丙"));
	cr_assert_lt(at(&o, "丙"), at(&o, "乙"));
	cr_assert_lt(at(&o, "乙"), at(&o, "甲"));
	cr_assert_lt(at(&o, "甲"), at(&o, "己"));
	cr_assert_lt(at(&o, "二社区"), at(&o, "（未填）"));
	cr_assert_lt(at(&o, "己"), at(&o, "戊"));
	/* Masked: no full id or phone anywhere. */
	cr_assert_null(strstr(o.data, "11010519900101111X"));
	cr_assert_null(strstr(o.data, "13812345678"));
	at(&o, "110105********111X");
	at(&o, "138****5678");
	worklist(&o, VET_WORKLIST_TEXT, 1, plans);
	at(&o, "11010519900101111X  13812345678");
	vet_buf_release(&o);
}

Test(plan, worklist_html_is_escaped_self_contained_and_paged)
{
	static const char *const plans[] = {
		PLAN("11010519900101111X", "<b>甲</b>&\\u0007", "\"A街道\"",
		    "\"一社区\"", "1", "3"),
		PLAN("110105199001012227", "乙 110105199001019998", "\"A街道\"",
		    "\"二社区\"", "1", "3"),
		NULL
	};
	struct vet_buf o = VET_BUF_INIT;
	const char *p;
	size_t n = 0;

	worklist(&o, VET_WORKLIST_HTML, 0, plans);
	cr_assert_eq(strncmp(o.data, "<!DOCTYPE html>", 15), 0);
	cr_assert_null(strstr(o.data, "<script"));
	cr_assert_null(strstr(o.data, "http"));
	cr_assert_null(strstr(o.data, "<b>甲"));
	at(&o, "&lt;b&gt;甲&lt;/b&gt;&amp;\xEF\xBF\xBD");
	/* An id typed into a name is masked too. */
	cr_assert_null(strstr(o.data, "110105199001019998"));
	/* A count of nothing to do is not marked red. */
	at(&o, "1 人 · 待完成 0 · 逾期 0</p>");
	at(&o, "@page{size:A4");
	at(&o, ".station{page-break-after:always");
	for (p = o.data; (p = strstr(p, "<section class=\"station\">"));
	    p++)
		n++;
	cr_assert_eq(n, 2);
	cr_assert_eq(strcmp(o.data + o.len - 8, "</html>\n"), 0);
	vet_buf_release(&o);
}

Test(plan, worklist_refuses_what_is_not_a_plan)
{
	struct vet_worklist *wl;
	struct vet_error err;
	static const char *const bad[] = {
		"{\"id\":\"x\"}", "[1]", "{\"id\":\"x\",\"measures\":[],"
		"\"duties\":[]", "{\"id\":\"\xff\",\"measures\":[],"
		"\"duties\":[]}", NULL
	};
	size_t i;

	cr_assert_eq(vet_worklist_new(&wl, pol, day("2026-10-20"), 0, &err),
	    0);
	for (i = 0; bad[i]; i++)
		cr_assert_eq(vet_worklist_add(wl, bad[i], strlen(bad[i]), NULL,
		    0, &err), VET_EDATA, "%s", bad[i]);
	cr_assert_eq(vet_worklist_add(wl, "{\"id\":\"x\",\"measures\":[],"
	    "\"duties\":[]\0}", 30, NULL, 0, &err), VET_EDATA);
	cr_assert_eq(vet_worklist_count(wl), 0);
	vet_worklist_free(wl);
}

/* ---- the worklist as a workbook ----------------------------------------- */

/* A plan with a late duty, a measure and a recommendation. */
#define FULL(id, name, street, comm) "{\"id\":\"" id "\",\"name\":\"" name \
	"\",\"district\":\"朝阳区\",\"street\":\"" street "\",\"community\":\"" \
	comm "\",\"priority\":1,\"categories\":[\"hard_to_place\"]," \
	"\"measures\":[{\"code\":\"one_on_one\",\"label\":\"“一对一”精准帮扶\"," \
	"\"clause\":\"二(十)\",\"status\":\"open\"}],\"duties\":[{\"check\":" \
	"\"monthly_contact\",\"period\":\"2026-09\",\"due\":\"2026-09-30\"," \
	"\"status\":\"late\"},{\"check\":\"monthly_contact\",\"period\":" \
	"\"2026-10\",\"due\":\"2026-10-31\",\"status\":\"due\"}]," \
	"\"last_contact_date\":\"2026-08-20\",\"days_since_contact\":61," \
	"\"recommendations\":[{\"id\":\"" id "\",\"job_id\":\"J7\",\"rank\":1," \
	"\"title\":\"保安员\",\"employer\":\"某公司\"}]}"

/* The cells of a row read back, joined with '|'. */
static const char *
row_text(const struct vet_sheet_row *r, struct vet_buf *b)
{
	size_t i;

	vet_buf_reset(b);
	for (i = 0; i < r->n; i++) {
		if (i > 0)
			vet_buf_addch(b, '|');
		vet_buf_add(b, r->cells[i].p, r->cells[i].n);
	}
	return vet_buf_str(b);
}

Test(plan, worklist_xlsx_reads_back_a_sheet_per_street)
{
	static const char *const plans[] = {
		FULL("11010519900101111X", "甲", "A街道", "一社区"),
		PLAN("110105199001012227", "乙", "\"A街道\"", "\"二社区\"", "2",
		    "5"),
		PLAN("110105199001013334", "丙", "\"B街道\"", "\"三社区\"", "1",
		    "null"),
		NULL
	};
	struct vet_buf o = VET_BUF_INIT, t = VET_BUF_INIT;
	struct vet_xlsx *x;
	struct vet_sheet_row r;
	struct vet_error err;
	char *xml, *wbx;
	size_t len;
	FILE *f;

	worklist(&o, VET_WORKLIST_XLSX, 0, plans);
	cr_assert_eq(memcmp(o.data, "PK\3\4", 4), 0);
	cr_assert_not_null(f = fmemopen(o.data, o.len, "rb"));
	cr_assert_eq(vet_xlsx_open(&x, f, 1 << 20, &err), 0, "%s", err.msg);
	cr_assert_eq(vet_xlsx_nsheets(x), 2);
	cr_assert_str_eq(vet_xlsx_sheet_name(x, 0), "A街道");
	cr_assert_str_eq(vet_xlsx_sheet_name(x, 1), "B街道");

	cr_assert_eq(vet_xlsx_sheet_open(x, 0, &err), 0, "%s", err.msg);
	cr_assert_eq(vet_xlsx_next(x, &r, &err), 1);
	cr_assert_str_eq(row_text(&r, &t),
	    "一人一策工作清单（截至 2026-10-20） · 朝阳区 A街道");
	cr_assert_eq(vet_xlsx_next(x, &r, &err), 1);
	cr_assert_str_eq(row_text(&r, &t), "2 人 · 待完成 1 · 逾期 1");
	cr_assert_eq(vet_xlsx_next(x, &r, &err), 1);
	cr_assert_str_eq(row_text(&r, &t), "序号|姓名|身份证号码|联系电话|"
	    "优先级|人员类别|最近联系日期|未联系天数|本期任务|帮扶措施|"
	    "推荐岗位|联系情况|经办人|日期");
	cr_assert_eq(vet_xlsx_next(x, &r, &err), 1);
	cr_assert_str_eq(row_text(&r, &t),
	    "朝阳区 A街道 一社区（1 人 · 待完成 1 · 逾期 1）");
	/* The veteran: masked, the date a date, the duties a line each with
	 * their status first (a rich string read back as its text).  The
	 * reader leaves out the blank cells that end a row. */
	cr_assert_eq(vet_xlsx_next(x, &r, &err), 1);
	cr_assert_eq(r.line, 5);
	cr_assert_str_eq(row_text(&r, &t), "1|甲|110105********111X|"
	    "138****5678|1|挂账管理|2026-08-20|61|"
	    "逾期 每月联系 2026-09 截止 2026-09-30\n"
	    "待完成 每月联系 2026-10 截止 2026-10-31|"
	    "待落实 “一对一”精准帮扶 二(十)|1. 保安员 · 某公司 J7");
	cr_assert_eq(r.kind[6], VET_CELL_DATE);
	cr_assert_eq(r.kind[7], VET_CELL_NUMBER);
	cr_assert_eq(vet_xlsx_next(x, &r, &err), 1);
	cr_assert_eq(r.line, 6);
	cr_assert_str_eq(row_text(&r, &t),
	    "朝阳区 A街道 二社区（1 人 · 待完成 0 · 逾期 0）");
	cr_assert_eq(vet_xlsx_next(x, &r, &err), 1);
	cr_assert_str_eq(row_text(&r, &t), "1|乙|110105********2227|"
	    "138****5678|2||无联系记录|5");
	cr_assert_eq(vet_xlsx_next(x, &r, &err), 0);

	cr_assert_eq(vet_xlsx_sheet_open(x, 1, &err), 0, "%s", err.msg);
	cr_assert_eq(vet_xlsx_next(x, &r, &err), 1);
	cr_assert_str_eq(row_text(&r, &t),
	    "一人一策工作清单（截至 2026-10-20） · 朝阳区 B街道");
	vet_xlsx_close(x);
	fclose(f);

	/* Print setup: A4 landscape one page wide, the headers on every
	 * page, a page per community (a break before row 6, the second). */
	cr_assert_not_null(xml = zr_member(o.data, o.len,
	    "xl/worksheets/sheet1.xml", &len));
	cr_assert_not_null(strstr(xml, "<pageSetup paperSize=\"9\" "
	    "fitToHeight=\"0\" orientation=\"landscape\""), "%s", xml);
	cr_assert_not_null(strstr(xml, "<pageSetUpPr fitToPage=\"1\"/>"));
	cr_assert_not_null(strstr(xml, "<rowBreaks count=\"1\" "
	    "manualBreakCount=\"1\"><brk id=\"5\""), "%s", xml);
	cr_assert_null(strstr(xml, "11010519900101111X"));
	cr_assert_null(strstr(xml, "13812345678"));
	cr_assert_not_null(wbx = zr_member(o.data, o.len, "xl/workbook.xml",
	    &len));
	cr_assert_not_null(strstr(wbx, "_xlnm.Print_Titles\" "
	    "localSheetId=\"0\">'A街道'!$1:$3<"), "%s", wbx);
	free(xml);
	free(wbx);

	/* --unmask: whole. */
	worklist(&o, VET_WORKLIST_XLSX, 1, plans);
	cr_assert_not_null(xml = zr_member(o.data, o.len,
	    "xl/worksheets/sheet1.xml", &len));
	cr_assert_not_null(strstr(xml, "11010519900101111X"));
	cr_assert_not_null(strstr(xml, "13812345678"));
	free(xml);
	vet_buf_release(&o);
	vet_buf_release(&t);
}

Test(plan, worklist_xlsx_of_no_plans_is_one_headed_sheet)
{
	static const char *const none[] = { NULL };
	struct vet_buf o = VET_BUF_INIT;
	char *xml;
	size_t len;

	worklist(&o, VET_WORKLIST_XLSX, 0, none);
	cr_assert_not_null(xml = zr_member(o.data, o.len, "xl/workbook.xml",
	    &len));
	cr_assert_not_null(strstr(xml, "<sheet name=\"一人一策工作清单\""));
	free(xml);
	cr_assert_not_null(xml = zr_member(o.data, o.len,
	    "xl/worksheets/sheet1.xml", &len));
	cr_assert_not_null(strstr(xml, "0 人 · 待完成 0 · 逾期 0"), "%s", xml);
	free(xml);
	vet_buf_release(&o);
}
