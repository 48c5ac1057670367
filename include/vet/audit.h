/*
 * audit.h - the checks of vet-audit (SPEC 3, 责任落实, 二(二)(七)(十), 三):
 * for classified veterans and the event log, one finding per breach of a
 * duty in a period as of a day.
 *
 * Ownership: vet_audit_new() allocates a struct vet_audit that the caller
 * frees with vet_audit_free().  It borrows the policy, which must outlive
 * it, and copies what it keeps of the events (ids and districts into its
 * indexes; memory grows with the events of the period, never with the
 * veterans).  Records passed in are read during the call only.  Findings
 * are appended to the caller's struct vet_buf, one JSON object and '\n'
 * per finding.
 *
 * Use: vet_audit_add_event() for every event first, then
 * vet_audit_veteran() for every veteran in input order (its findings come
 * out at once, so the veteran stream is never held), then
 * vet_audit_districts() once for the findings about districts.
 *
 * Order of the output: per veteran in input order, that veteran's findings
 * in the policy's check order and, within one check, in period order; then
 * the district findings (job_fairs) in the policy's district order,
 * districts the policy does not list after them in byte order.
 *
 * A finding is
 *   {"check","clause","severity","id","district","period","detail"}
 * (with "due" after "detail" when its severity is "due")
 * about a veteran, and the same without "id" about a district.  Check
 * codes, clauses and severities are the policy's (its `checks:` list); a
 * check the policy does not list is not run.  The output carries the
 * veterans' ids: it is data like its input, not a message.
 */
#ifndef VET_AUDIT_H
#define VET_AUDIT_H

#include <stddef.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/record.h"

struct vet_policy;

enum vet_audit_unit {
	VET_AUDIT_MONTH,
	VET_AUDIT_QUARTER,
	VET_AUDIT_YEAR
};

/* The audited period: a calendar month, quarter or year. */
struct vet_audit_period {
	enum vet_audit_unit unit;
	vet_day from, to;	/* its first and last day */
	char label[16];		/* "2026-07", "2026Q3" or "2026" */
};

/*
 * Resolves --quarter YYYYQn, --month YYYY-MM or --year YYYY (at most one
 * may be non-NULL) into pd; with none, the quarter that contains as_of.
 * Returns 0, or VET_EUSAGE with a message (more than one given, a bad
 * value).
 */
int vet_audit_period_parse(struct vet_audit_period *pd, const char *quarter,
    const char *month, const char *year, vet_day as_of,
    struct vet_error *err);

struct vet_audit;

/*
 * Makes an audit of period pd as of as_of under policy p.  events says
 * whether an event log is given: without one the checks that need events
 * (monthly_contact, quarterly_consultation, job_fairs) are not run, rather
 * than reporting every duty as missed.  The policy's parameters in force on
 * as_of are used: hard_to_place_after_months (SPEC default 6 when the
 * policy has none) and job_fairs_per_year (default 2, 二(七)).  Returns 0;
 * VET_ECONFIG when the policy lists a check code vet-audit does not know;
 * VET_ENOMEM.
 */
int vet_audit_new(struct vet_audit **ap, const struct vet_policy *p,
    const struct vet_audit_period *pd, vet_day as_of, int events,
    struct vet_error *err);
void vet_audit_free(struct vet_audit *a);

/*
 * --due (SPEC): when on, the audit also writes the duties of the period
 * that are still open and not yet late (a month, quarter or year that has
 * begun on as_of and is not over), each with "severity":"due" and "due",
 * the last day it can be met.  Due findings are not breaches: they are
 * not added to *nfound but counted apart, vet_audit_ndue().
 */
void vet_audit_set_due(struct vet_audit *a, int on);
size_t vet_audit_ndue(const struct vet_audit *a);

/*
 * Takes one event (SPEC 2.2) into the indexes.  Every event needs a string
 * `type` of SPEC 2.2 and a `date` YYYY-MM-DD; contact, training, referral,
 * exit and reentry events an `id` string; consultation and job_fair events
 * a `district` string; a consultation's `ids`, when present and not null,
 * must be an array of strings.  Events dated after as_of, and those outside
 * what the period's checks look at, are checked and then dropped.  Returns
 * 0 (used or dropped), VET_EDATA with a message when the event lacks what
 * its type needs, or VET_ENOMEM.
 */
int vet_audit_add_event(struct vet_audit *a, const struct vet_record *ev,
    struct vet_error *err);

/*
 * Audits one classified veteran (vet-classify output) and appends its
 * findings to out, adding their number to *nfound.  The record needs a
 * string `id`, a string `district` and an array `categories`; `kind`,
 * when present, must be "veteran"; `assisted_since`, when present, a
 * date.  Returns 0; VET_EDATA with a message (out left as it was) when the
 * record cannot be audited, so the caller rejects it; VET_ENOMEM.
 */
int vet_audit_veteran(struct vet_audit *a, const struct vet_record *v,
    struct vet_buf *out, size_t *nfound, struct vet_error *err);

/* What became of one duty of a veteran in a period. */
enum vet_audit_status {
	VET_AUDIT_DONE,		/* met: the event is in the log */
	VET_AUDIT_DUE,		/* open, and its period is not over */
	VET_AUDIT_LATE		/* its period is over and it was missed */
};

/* One 挂账 duty (monthly_contact, quarterly_consultation) in one month or
 * quarter. */
struct vet_audit_duty {
	const char *check;	/* the check code (static storage) */
	char period[16];	/* "2026-10" or "2026Q4" */
	vet_day due;		/* the period's last day */
	enum vet_audit_status status;
};

/* A year period holds at most 12 months and 4 quarters. */
#define VET_AUDIT_MAX_DUTIES 16

/*
 * The duties of veteran v in the period as of as_of, met or not: for each
 * month (quarter) of the period that has begun on as_of and in which the
 * veteran's duty runs, whether it was met, is still open or was missed -
 * decided by the same walk that makes vet_audit_veteran()'s findings, in
 * the policy's check order and then period order.  None without an event
 * log, for a check the policy does not list, or when v is not
 * hard_to_place.  Fills out[0 .. *n) (room for VET_AUDIT_MAX_DUTIES).  The
 * record needs what vet_audit_veteran() needs, with the same errors; the
 * veteran's district is not counted for the job_fairs check.
 */
int vet_audit_duties(struct vet_audit *a, const struct vet_record *v,
    struct vet_audit_duty *out, size_t *n, struct vet_error *err);

/*
 * Appends the findings about the districts of the veterans audited so far
 * (job_fairs), adding their number to *nfound.  Call once, at the end.
 * Returns 0 or VET_ENOMEM.
 */
int vet_audit_districts(struct vet_audit *a, struct vet_buf *out,
    size_t *nfound, struct vet_error *err);

#endif
