/*
 * event.h - the event log (SPEC 2.2, 2.3): reading one event as vet-intake
 * reads it (type and date checked, the id normalised by the id module, the
 * district's alias resolved and checked against the jurisdiction), and the
 * index of the facts the log establishes per veteran for vet-classify
 * --events.
 *
 * Ownership: struct vet_event_reader is caller storage; _init borrows the
 * policy (which must outlive it) and owns a copy of the built-in event
 * mapping and a scratch buffer, freed by _release.  A struct vet_event it
 * fills points into the record read and into the reader (its district into
 * the policy or the mapping), so it is valid until the next read.
 *
 * struct vet_event_index is made by vet_event_index_new() and freed by
 * vet_event_index_free().  It borrows the policy, owns a reader, and
 * copies what it keeps:
 * one entry per id of the log (the id and a few counters and dates) and,
 * for the facts that need them, a date per counted event and the text of
 * exit reasons.  Memory grows with the events, never with the veterans,
 * which stream past it.
 */
#ifndef VET_EVENT_H
#define VET_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/mapping.h"
#include "vet/record.h"

struct vet_policy;

/* The event types of SPEC 2.2. */
enum vet_event_type {
	VET_EV_CONTACT,
	VET_EV_CONSULTATION,
	VET_EV_TRAINING,
	VET_EV_JOB_FAIR,
	VET_EV_REFERRAL,
	VET_EV_EXIT,
	VET_EV_REENTRY,
	VET_EV_NTYPES
};

/* "contact", ...: the type, or -1 when s (n bytes) is none of them. */
int vet_event_type_parse(const char *s, size_t n);
const char *vet_event_type_name(enum vet_event_type t);
/* True for the types about one veteran (they need an id). */
int vet_event_type_has_id(enum vet_event_type t);

struct vet_event {
	enum vet_event_type type;
	vet_day date;
	char id[19];		/* normalised; "" when the event has none */
	const char *district;	/* the jurisdiction's name, or NULL */
	size_t district_len;
	const struct vet_record *rec;	/* the event as read */
};

struct vet_event_reader {
	const struct vet_policy *p;
	int mapped;		/* map is built (by the first district) */
	struct vet_mapping map;	/* the built-in event mapping */
	long f_district;
	struct vet_buf tmp;
};

/* 0 (VET_ENOMEM kept for the contract; on failure r needs no release).
 * The event mapping is built by the first vet_event_read() that needs it. */
int vet_event_reader_init(struct vet_event_reader *r,
    const struct vet_policy *p, struct vet_error *err);
void vet_event_reader_release(struct vet_event_reader *r);

/*
 * Reads event rec into ev.  The event needs a string `type` of SPEC 2.2,
 * a `date` YYYY-MM-DD, an `id` (a valid identity number, normalised as
 * vet-intake does) when its type is about a veteran, a `district` when it
 * is a consultation or job fair; a `district`, when present, must be one
 * of the policy's districts or an alias vet-intake maps to one; a training
 * event's `hours` must be a number, not negative.  Returns 0, VET_EDATA
 * with the reason in err (ids masked), or VET_ENOMEM.
 */
int vet_event_read(struct vet_event_reader *r, const struct vet_record *rec,
    struct vet_event *ev, struct vet_error *err);

/* ---- the facts of SPEC 2.3 --------------------------------------------- */

/*
 * What the log says about one veteran on as_of.  A fact is given (has_*)
 * only when the log speaks for it: at least one event of the type that
 * feeds it, dated on or before as_of (the policy's `facts:`).
 */
struct vet_event_facts {
	int has_hours;		/* training_hours */
	double hours;
	unsigned long ntraining;
	int has_refusals;	/* refusals */
	long refusals;
	int has_since;		/* counted after this date (latest reentry) */
	vet_day since;
	int has_exit;		/* exited, exit_date, exit_reason */
	int exited;
	vet_day exit_day;	/* of the latest exit or reentry */
	const char *reason;	/* JSON text of exit_reason, or NULL */
	size_t reason_len;
	unsigned long nexit;	/* exit and reentry events */
	int has_restart;	/* assisted_since: the latest reentry */
	vet_day restart;
	int has_contact;	/* last_contact_date */
	vet_day contact;
	unsigned long ncontact;
};

struct vet_event_index;

/* An index of the facts of policy p as of as_of.  0 or VET_ENOMEM. */
int vet_event_index_new(struct vet_event_index **xp,
    const struct vet_policy *p, vet_day as_of, struct vet_error *err);
void vet_event_index_free(struct vet_event_index *x);

/*
 * Takes one event read by vet_event_read() into the index.  Events dated
 * after as_of are counted (for vet_event_index_stats) and otherwise count
 * for nothing.  Returns 0, VET_EDATA when a field the policy's facts read
 * has the wrong type (a `sum` field that is not a number), or VET_ENOMEM.
 */
int vet_event_index_add(struct vet_event_index *x, const struct vet_event *ev,
    struct vet_error *err);

/* vet_event_read() and vet_event_index_add() in one: the same returns. */
int vet_event_index_add_record(struct vet_event_index *x,
    const struct vet_record *rec, struct vet_error *err);

/*
 * The facts of the veteran with id [id, id + n) (normalised first when it
 * is not already), into *out; marks the id as matched.  Returns 1 when the
 * log has events for the id, 0 (and *out all unset) when not.
 */
int vet_event_index_get(struct vet_event_index *x, const char *id, size_t n,
    struct vet_event_facts *out);

/*
 * --stats: of the events added, those about a veteran of the input that
 * fed one of its facts (used), those whose id no veteran looked up
 * (unmatched), and the rest (about a district, dated after as_of, or of a
 * type that feeds no fact).  Call after the last veteran.
 */
void vet_event_index_stats(const struct vet_event_index *x,
    unsigned long long *used, unsigned long long *unmatched,
    unsigned long long *other);

/* Bytes the index holds, for the measure of memory per event. */
size_t vet_event_index_bytes(const struct vet_event_index *x);

#endif
