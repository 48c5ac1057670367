/*
 * plan.h - vet-plan (SPEC 3, 一人一策、工作清单, 二(三)(十)): the plan of
 * each veteran for the period as of a day - the measures of the policy with
 * their label and clause, the 挂账 duties of the month and quarter with
 * their deadline and whether they were met - and the station's worklist
 * built from those plans.
 *
 * Ownership: vet_plan_new() allocates a struct vet_plan that the caller
 * frees with vet_plan_free().  It borrows the policy, which must outlive
 * it, and copies what it keeps of the side files: the event log reduced to
 * the audit's indexes and each id's latest contact, the duty findings and
 * the recommendations (their JSON text) - memory grows with the side files,
 * never with the veterans.  Records passed in are read during the call
 * only.  Plans are appended to the caller's struct vet_buf, one JSON object
 * and '\n' each.
 *
 * A struct vet_worklist (vet_worklist_new/_free) owns copies of the plan
 * lines given to it and the phone of each, and nothing else: the worklist
 * formats render those lines, so they show exactly the data of the JSON.
 *
 * Use: vet_plan_add_event(), _add_finding() and _add_recommendation() for
 * the side files first, then vet_plan_veteran() for each veteran in input
 * order.
 */
#ifndef VET_PLAN_H
#define VET_PLAN_H

#include <stddef.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/record.h"

struct vet_policy;
struct vet_plan;

/*
 * A plan as of as_of under policy p.  events says an event log will be
 * given: without one, duties come from the findings alone (or are not
 * known).  Returns 0, VET_ECONFIG (the policy lists a check vet-audit does
 * not know) or VET_ENOMEM.
 */
int vet_plan_new(struct vet_plan **pp, const struct vet_policy *p,
    vet_day as_of, int events, struct vet_error *err);
void vet_plan_free(struct vet_plan *pl);

/*
 * Cuts the plans to one station: only veterans whose `street` (and/or
 * `community`) equals the string given; NULL for no cut.  The strings are
 * borrowed.
 */
void vet_plan_set_station(struct vet_plan *pl, const char *street,
    const char *community);

/*
 * Takes one event (SPEC 2.2) of the log: the audit's checks of it apply
 * (vet_audit_add_event()), and a contact dated on or before as_of becomes
 * its veteran's latest contact when it is later than the one known.
 * Returns 0, VET_EDATA with a message, or VET_ENOMEM.
 */
int vet_plan_add_event(struct vet_plan *pl, const struct vet_record *ev,
    struct vet_error *err);

/*
 * Takes one finding of vet-audit (--due): those of checks monthly_contact
 * and quarterly_consultation about a veteran (with `id`) whose period lies
 * in the quarter that contains as_of give that veteran a duty - "due" while
 * its `due` day is not over, "late" otherwise; others are taken and
 * ignored.  A duty finding needs a string `period` (YYYY-MM for a contact,
 * YYYYQn for a consultation) and, when present, a date `due`.  Returns 0,
 * VET_EDATA with a message, or VET_ENOMEM.
 */
int vet_plan_add_finding(struct vet_plan *pl, const struct vet_record *f,
    struct vet_error *err);

/*
 * Takes one recommendation of vet-match --top ({"id","job_id","rank",...},
 * line its JSON text): kept whole and given, in file order, to the plan of
 * veteran `id`.  Needs a string `id` and a `job_id`.  Returns 0,
 * VET_EDATA with a message, or VET_ENOMEM.
 */
int vet_plan_add_recommendation(struct vet_plan *pl,
    const struct vet_record *r, struct vet_span line, struct vet_error *err);

/*
 * The plan of one classified veteran (vet-classify output), appended to out
 * as
 *   {"id","name","district","street","community","priority","categories",
 *    "measures":[{"code","label","clause","due"?,"status"}],
 *    "duties":[{"check","period","due","status"}],
 *    "last_contact_date","days_since_contact","recommendations":[...]}
 * when the veteran has a measure or a duty and is in the station; nothing
 * otherwise.  *kept says which.  Labels are the policy's Chinese labels.
 * A measure's status is "open", except monthly_contact and
 * quarterly_consultation, which take the status and deadline of the duty
 * of the month (quarter) that contains as_of when it is known.  Duties:
 * those of the month and quarter that contain as_of, and the late ones of
 * earlier months of that quarter; each "done", "due" or "late".
 * last_contact_date is the latest contact event on or before as_of when
 * the log has one, else the record's when it is not after as_of.
 * The record needs a string `id`, a string `district`, an array of strings
 * `categories` and `measures`, an integer `priority`; `name`, `street`,
 * `community`, when present, strings.  Returns 0; VET_EDATA with a message
 * (out unchanged); VET_ENOMEM.
 */
int vet_plan_veteran(struct vet_plan *pl, const struct vet_record *v,
    struct vet_buf *out, int *kept, struct vet_error *err);

/* ---- the worklist ------------------------------------------------------- */

enum vet_worklist_format {
	VET_WORKLIST_HTML,
	VET_WORKLIST_MD,
	VET_WORKLIST_TEXT,
	VET_WORKLIST_XLSX
};

struct vet_worklist;

/*
 * A worklist as of as_of under policy p (for the labels of categories and
 * checks).  unmask writes ids and phones whole; otherwise they are masked
 * (mask.h).  0 or VET_ENOMEM.
 */
int vet_worklist_new(struct vet_worklist **wp, const struct vet_policy *p,
    vet_day as_of, int unmask, struct vet_error *err);
void vet_worklist_free(struct vet_worklist *wl);

/*
 * Adds one plan line as vet_plan_veteran() wrote it (with or without its
 * '\n') and the veteran's phone (NULL when none).  Returns 0, VET_EDATA
 * when the line is not such a plan, or VET_ENOMEM.
 */
int vet_worklist_add(struct vet_worklist *wl, const char *line, size_t n,
    const char *phone, size_t phone_n, struct vet_error *err);

/* How many plans were added, and the bytes held for them. */
size_t vet_worklist_count(const struct vet_worklist *wl);
size_t vet_worklist_bytes(const struct vet_worklist *wl);

/*
 * Appends the worklist in format f to out: grouped by district, street
 * and community (in byte order, a blank street or community last), most
 * urgent first within each (priority, then the longest without contact,
 * never contacted first, then input order), one block per veteran.  html
 * is one self-contained page (no scripts, nothing from the network) with a
 * print stylesheet for A4 that starts each community on a new page.
 * Returns 0 or VET_ENOMEM.
 */
int vet_worklist_write(struct vet_worklist *wl, enum vet_worklist_format f,
    struct vet_buf *out, struct vet_error *err);

#endif
