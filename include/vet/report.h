/*
 * report.h - the quarterly report of vet-report (SPEC 3, 季度报表, 二 and
 * 三(三)): counts of categories per group, the priority mix, the links of
 * the 帮扶链条 reached, the compliance figures and the 六有 scorecard,
 * aggregated from classified veterans, events and audit findings, and
 * written as text, md, csv, json or html; plus the partial aggregates that
 * let a large run be split and merged.
 *
 * Ownership: struct vet_report_schema is filled by the caller (or by
 * vet_report_schema_from_policy(), which borrows the policy's strings and
 * allocates the pointer arrays it fills and the links' evaluator, freed by
 * vet_report_schema_release()); it must outlive every report made from it.
 * A schema from a policy keeps the rule values across records, so it
 * serves one thread at a time.
 * vet_report_new() allocates a struct vet_report that the caller frees with
 * vet_report_free().  Records passed to the _add functions are read during
 * the call only; the report copies what it keeps (group names, ids of
 * events).  Output is appended to the caller's struct vet_buf.
 *
 * Determinism: every count is an integer sum and every table is sorted on
 * output (groups in the jurisdiction's district order, then bytewise), so
 * the report does not depend on the order of the records, and merging the
 * partials of any split of the input gives byte for byte the report of one
 * run.  The figures from --events and --findings are side data: every
 * partial of a split may carry them, and merging requires them to agree
 * instead of adding them up.
 *
 * Privacy: a report never contains an id or phone; every string that comes
 * from the data (group names) is passed through vet_mask_text().
 */
#ifndef VET_REPORT_H
#define VET_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/record.h"

struct vet_policy;

enum vet_report_by {
	VET_REPORT_BY_DISTRICT,
	VET_REPORT_BY_STREET,
	VET_REPORT_BY_COMMUNITY
};

enum vet_report_format {
	VET_REPORT_TEXT,
	VET_REPORT_MD,
	VET_REPORT_CSV,
	VET_REPORT_JSON,
	VET_REPORT_HTML,
	VET_REPORT_XLSX		/* an Office Open XML workbook (binary) */
};

/*
 * Evaluates every chain link on a classified record: sets hits[i] for each
 * of the schema's nlinks links, returns 0 or a negative status with err
 * filled.
 */
typedef int (*vet_report_links_fn)(void *ctx, const struct vet_record *r,
    vet_day as_of, int *hits, struct vet_error *err);
/*
 * Evaluates both rules of every link (the policy's planned and delivered):
 * planned[i] always; delivered[i] only when d is not NULL (--events), from
 * the record and what the log shows happened to the veteran in the period.
 * Returns 0 or a negative status with err filled.
 */
struct vet_policy_delivery;
typedef int (*vet_report_deliver_fn)(void *ctx, const struct vet_record *r,
    vet_day as_of, const struct vet_policy_delivery *d, int *planned,
    int *delivered, struct vet_error *err);
/*
 * The same, from fields the report has already picked out in its one pass
 * over the record: lf[0..n) are the first occurrences (null ones too), in
 * record order, of the keys of struct vet_report_schema.link_keys, each
 * with the index of its key (escaped keys decoded).  The fields borrow the
 * record being added.  Same results as links_deliver on the whole record,
 * except that delivered[i] is 0 where planned[i] is (the report counts the
 * delivery of planned links only, so it need not be evaluated there).
 */
struct vet_report_lfield {
	size_t key;
	const struct vet_field *f;
};
typedef int (*vet_report_fields_fn)(void *ctx,
    const struct vet_report_lfield *lf, size_t n, vet_day as_of,
    const struct vet_policy_delivery *d, int *planned, int *delivered,
    struct vet_error *err);
/* The label of a code in lang ("zh" or "en"), or NULL when unknown. */
typedef const char *(*vet_report_label_fn)(void *ctx, const char *code,
    const char *lang);

/*
 * Everything the report takes from the policy, so that the aggregation
 * holds no table of its own: category codes in table order, chain links and
 * their evaluator, the districts in display order, the audit checks in the
 * order the findings are listed, labels and the parameters of the
 * compliance figures.
 */
struct vet_report_schema {
	const char *policy_id;
	size_t ncat;
	const char **cats;
	size_t nlinks;
	const char **links;
	size_t ndistricts;
	const char **districts;
	size_t nchecks;		/* audit checks, in the policy's order */
	const char **checks;
	vet_report_links_fn links_eval;
	vet_report_deliver_fn links_deliver;	/* NULL: planned only */
	/* The links from the fields of link_keys (NULL: links_deliver on
	 * the whole record); with links_deliver set. */
	vet_report_fields_fn links_fields;
	const char *const *link_keys;
	size_t nlink_keys;
	vet_report_label_fn label;
	vet_report_label_fn check_label;	/* of audit checks; NULL:
						   label */
	const int *cat_prio;	/* ncat priorities (1 most urgent), or NULL:
				   table order decides */
	void *ctx;			/* passed to links_eval and label */
	void (*ctx_free)(void *);	/* frees ctx at release, or NULL */
	double training_min_hours;	/* adaptive_training_min_hours, 80 */
	int training_window_months;	/* adaptive_training_window_months, 24 */
	int hard_to_place_after_months;	/* duty start after assisted_since, 6 */
	int job_fairs_per_year;		/* 2, 二(七) */
};

/*
 * Fills s from policy p with the parameters in force on as_of.  Returns 0,
 * VET_ECONFIG when the policy lacks a parameter the report needs, or
 * VET_ENOMEM.  Release with vet_report_schema_release().
 */
int vet_report_schema_from_policy(struct vet_report_schema *s,
    const struct vet_policy *p, vet_day as_of, struct vet_error *err);
void vet_report_schema_release(struct vet_report_schema *s);

/* The reporting period: [from, to] and the day the report is made. */
struct vet_report_period {
	vet_day from, to, as_of;
	char label[32];		/* "2026Q3" or "2026-07-01..2026-08-15" */
};

/*
 * Resolves --quarter (YYYYQn, "previous" or "current", relative to as_of)
 * or --from/--to (both strict dates) into pd; with none of them, the
 * quarter that contains as_of.  Returns 0 or VET_EUSAGE with a message
 * (bad quarter, --quarter with --from, from after to, a period longer than
 * 64 months).
 */
int vet_report_period_parse(struct vet_report_period *pd,
    const char *quarter, const char *from, const char *to, vet_day as_of,
    struct vet_error *err);

struct vet_report;

/* 0 or VET_ENOMEM.  s must outlive the report. */
int vet_report_new(struct vet_report **rp,
    const struct vet_report_schema *s, const struct vet_report_period *pd,
    enum vet_report_by by, struct vet_error *err);
void vet_report_free(struct vet_report *r);

/*
 * Declares that --events and/or --findings were given (even when empty), so
 * that the figures made from them are shown, as zero when nothing counted,
 * instead of as not available.
 */
void vet_report_expect(struct vet_report *r, int events, int findings);

/*
 * Takes one post of --jobs (kind job, SPEC 2.2), before the events: its
 * post_type tells a referral to it without one of its own whether it was
 * to a dedicated, directed or public-welfare post, and its openings count
 * as the district's post supply (有岗位供给) when it was posted by as_of
 * and had not expired before the period began.  Returns 0, VET_EDATA (no
 * job_id, a field of the wrong type) or VET_ENOMEM.
 */
int vet_report_add_job(struct vet_report *r, const struct vet_record *job,
    struct vet_error *err);

/*
 * Takes one event (SPEC 2.2): contact, training and referral events of the
 * period are joined to the veterans by id (so add events before veterans),
 * consultations of the period and job fairs of its calendar year count per
 * district.  Events after as_of and of other types are ignored.  Returns
 * 0, VET_EDATA (a field of the wrong type, a bad date) or VET_ENOMEM.
 */
int vet_report_add_event(struct vet_report *r, const struct vet_record *ev,
    struct vet_error *err);

/* Takes one vet-audit finding: counted per check and district.  0,
 * VET_EDATA (no 'check') or VET_ENOMEM. */
int vet_report_add_finding(struct vet_report *r, const struct vet_record *f,
    struct vet_error *err);

/*
 * Takes one classified veteran.  Returns 0; VET_EDATA with a message when
 * the record cannot be counted (no 'district', a field of the wrong type,
 * a kind other than veteran) so the caller rejects it; the error of a chain
 * link rule; or VET_ENOMEM.
 */
int vet_report_add(struct vet_report *r, const struct vet_record *v,
    struct vet_error *err);

/*
 * Appends the partial aggregate (one line of JSON ending in '\n') that
 * vet_report_merge() reads back.  0 or VET_ENOMEM.
 */
int vet_report_write_partial(const struct vet_report *r, struct vet_buf *out);

/*
 * Adds one partial [p, p + n) to r.  Its version must be the number 1, no
 * member may be given twice, and its header (policy, period, grouping,
 * --as-of, categories) and side data must equal this report's as JSON
 * values (spacing and escapes aside).  Returns 0; VET_EDATA when it is not
 * such a partial, or was made with another policy, period, grouping or
 * with different side data (--events, --findings); VET_ENOMEM.
 */
int vet_report_merge(struct vet_report *r, const char *p, size_t n,
    struct vet_error *err);

/*
 * Adds every partial of a file's text [p, p + n) (one per line as
 * --partial writes them, or pretty-printed: values are found by their
 * brackets, whatever the spacing) and counts them in *nparts.  Returns 0;
 * VET_EDATA with err->line the line where the bad partial begins, or when
 * the text holds no partial at all (a part of the report lost); VET_ENOMEM.
 */
int vet_report_merge_text(struct vet_report *r, const char *p, size_t n,
    long long *nparts, struct vet_error *err);

/*
 * Reads the previous report (the --format json output of vet-report) for
 * the change columns.  0, VET_EDATA (not such a report) or VET_ENOMEM.
 */
int vet_report_set_compare(struct vet_report *r, const char *p, size_t n,
    struct vet_error *err);

struct vet_report_fmt {
	enum vet_report_format format;
	const char *lang;	/* "zh" (default when NULL) or "en" */
	int bom;		/* csv: write the UTF-8 byte-order mark */
	long min_cell;		/* groups with fewer veterans are suppressed */
};

/*
 * Appends the report in format f to out.  0 or VET_ENOMEM; for xlsx, which
 * libxlsxwriter builds in a temporary file under $TMPDIR (or /tmp) that is
 * read back and removed, also VET_EIO when that file cannot be written.
 */
int vet_report_format(const struct vet_report *r,
    const struct vet_report_fmt *f, struct vet_buf *out,
    struct vet_error *err);

/*
 * The number of terminal columns the UTF-8 text [s, s + n) takes: East
 * Asian wide and full-width characters 2, combining marks 0, everything
 * else (invalid bytes too) 1.  It uses its own table, not wcwidth(3), so a
 * report made under LANG=C in cron is aligned as well.
 */
size_t vet_report_width(const char *s, size_t n);

#endif
