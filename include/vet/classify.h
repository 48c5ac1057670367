/*
 * classify.h - 分析研判、分类施策: applying a policy's categories, priority
 * and measures to veteran records (SPEC 3, vet-classify), and running a
 * policy file's own tests.
 *
 * Ownership: struct vet_classifier is caller storage set up by
 * vet_classify_init() for one policy and one as-of date; it borrows the
 * policy (which must outlive it) and owns its slot array and buffers,
 * which vet_classify_release() frees.  It is reused for every record, so
 * the hot loop does no allocation once warm.  One classifier per thread.
 *
 * Per record: the fields the rules use are looked up once each and turned
 * into slot values (defaults applied, sex and birth date taken from the id
 * when absent), then age, working_age and the retirement date are computed
 * and every rule is evaluated on the slots, as the record stood on the
 * as-of date (SPEC 2.3: a fact whose date is later is not yet true).  The output is the input line
 * with age, working_age, categories, priority, measures, reasons, policy
 * and as_of replaced in place when present and appended otherwise, so
 * classifying a classified record gives the same line.
 */
#ifndef VET_CLASSIFY_H
#define VET_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/event.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/rule.h"

/* A span of bytes in one of the classifier's buffers. */
struct vet_cpiece {
	size_t off, len;
};

/*
 * A decision's text '"categories":[..],"priority":N,"measures":[..]'
 * (with its leading ','), kept by the decision: records share few of
 * them.  off is where it starts in the classifier's dtext; the values'
 * places are relative to off.
 */
struct vet_cdecision {
	uint64_t cats, meas;	/* bit i: category / measure i holds */
	int priority;
	int used;
	size_t off, len;
	struct vet_cpiece val[3];	/* categories, priority, measures */
};

struct vet_ckey;

/*
 * The constant pieces of the block, escaped once (classify.c): per
 * category, then measure, its code as a JSON string and the head of its
 * reason '{"code":..,"clause":..,"detail":'; per alternative of its rule
 * (rule.h), from alt_first[i] to alt_first[i + 1] in alt, the whole
 * escaped reason when its detail is the same for every record, else
 * off == (size_t)-1 (the detail is explained per record).  Offsets are
 * into text.  For the built-in policy make writes them (classify_emit.c);
 * else, or when a parameter has another value on the as-of date, the
 * classifier makes them in made.
 */
struct vet_cpieces {
	const char *text;
	const struct vet_cpiece *code, *head;
	const size_t *alt_first;
	const struct vet_cpiece *alt;
};

struct vet_classifier {
	const struct vet_policy *p;
	vet_day as_of;
	char as_of_str[11];
	int as_of_y, as_of_m, as_of_d;	/* its y-m-d, for every age */
	struct vet_rval *vals;
	/* fill()'s per-record scratch (classify.c), 12 KiB kept off the
	 * stack: on it, every frame below went three pages deeper. */
	struct vet_fill_scratch *fsc;
	/* The record keys the rules use (classify.c); a second "id" is
	 * seen while filling when id_in_fill. */
	struct vet_ckey *keys;
	size_t keymask;
	int id_in_fill;
	int plain;	/* the record's fields can be copied as they are */
	struct vet_record rec;
	struct vet_fieldset fs;
	struct vet_buf tmp;		/* decoded strings of the record */
	struct vet_buf detail;		/* one reason's detail */
	/* SPEC 2.3: the event log (vet_classify_set_events) and what it
	 * and the dates said about the last record. */
	struct vet_event_index *events;
	struct vet_event_facts fx;
	int fsym[7];			/* slots of the seven facts */
	unsigned char changed[5];	/* per fact of policy_impl.h */
	unsigned char *dated;		/* per `dated:` pair: not yet true */
	vet_day *dated_day;
	struct vet_buf ftmp;		/* decoded exit reason */
	/* The pieces the block is built from, the storage of those made
	 * here, the tail ',"policy":..,"as_of":..' (tail_policy: the
	 * policy's value in it), and the block of the last record's own
	 * fields. */
	struct vet_cpieces pc;
	struct {
		struct vet_buf text;
		struct vet_cpiece *code, *alt;
		size_t *alt_first;
	} made;
	struct vet_buf tail;
	struct vet_cpiece tail_policy;
	struct vet_buf block;
	/* Recent decisions' text, by decision, and the last one's bits.
	 * dec is made at the second decision, so that a one-record run
	 * does not pay for it; never when the policy has more than 64
	 * categories or measures (dec_off). */
	struct vet_cdecision *dec;
	int dec_off, decided;
	struct vet_buf dtext;
	uint64_t dcats, dmeas;
	struct vet_cpiece bval[8];	/* each field's value in block */
	/* The result of the last record classified. */
	unsigned char *cat;		/* per category: 1 when it holds */
	unsigned char *meas;		/* per measure */
	int priority;
	int age;
	int working_age;		/* 1, 0, or -1 when unknown */
};

/*
 * Prepares c for policy p on as_of: the parameters take their values in
 * force that day.  Returns 0, VET_ECONFIG when a parameter a rule uses has
 * no value on as_of, or VET_ENOMEM.  On failure c needs no release.
 */
int vet_classify_init(struct vet_classifier *c, const struct vet_policy *p,
    vet_day as_of, struct vet_error *err);
void vet_classify_release(struct vet_classifier *c);

/*
 * vet-classify --events (SPEC 2.3): from now on the facts the log speaks
 * for are taken from x (borrowed; it must outlive c's use) before the
 * rules run.  The record is then written with each changed fact in place
 * (training_hours, refusals, exited, exit_date, exit_reason,
 * assisted_since, last_contact_date: replaced, appended or removed) and a
 * `fact:<field>` entry in `reasons` for each changed fact.  A fact the log
 * speaks for that the record already holds keeps its entry from the
 * record's `reasons`, so classifying twice gives the same line.
 */
void vet_classify_set_events(struct vet_classifier *c,
    struct vet_event_index *x);

/*
 * Classifies the JSON object in line [s, s + n) and appends the output
 * line (with its '\n') to out.  Returns 0; VET_EDATA when the record
 * cannot be classified, with the reason in err->msg (not a JSON object, a
 * field of the wrong type or value, no valid birth_date and no valid id to
 * derive it from, a sex or birth_date that contradicts a valid 18-character
 * id, ...) and nothing appended; or VET_ENOMEM.  The results
 * stay in c->cat, c->meas, c->priority, c->age and c->working_age until the
 * next call.
 */
int vet_classify_line(struct vet_classifier *c, const char *s, size_t n,
    struct vet_buf *out, struct vet_error *err);

/*
 * Runs the tests: of policy p.  Each failure appends one line to report,
 * "FILE:LINE: test 'NAME': what differs".  Sets *passed and *failed.
 * Returns 0 (whatever the tests gave), or VET_ECONFIG / VET_ENOMEM when a
 * test could not be run at all (e.g. a parameter without a value on the
 * test's as_of), with err filled.
 */
int vet_policy_run_tests(const struct vet_policy *p, struct vet_buf *report,
    size_t *passed, size_t *failed, struct vet_error *err);

#endif
