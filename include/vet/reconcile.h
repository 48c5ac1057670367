/*
 * reconcile.h - 数据比对 (SPEC 3, vet-reconcile): joins the ledger (veteran
 * records, streamed) with a bureau's extract (held in memory, indexed by
 * id) and reports what differs: only_in_ledger, only_in_extract, conflict,
 * contradiction (the policy's pairs of facts that cannot both be true),
 * probable_match and duplicate diff records.  With apply, the fields the
 * bureau is the authority for (policy.h) take the extract's value and the
 * change is recorded in the record's `reconciled` array.
 *
 * Ownership: vet_reconcile_init() allocates the reconciler, which the
 * caller owns and frees with vet_reconcile_release().  It borrows the
 * policy and the source string, which must outlive it.  It copies every
 * extract line it keeps, and the ids of the ledger it has seen, so the
 * caller's lines may be reused as soon as a call returns.  Output goes into
 * the caller's buffers, appended.
 *
 * Use: vet_reconcile_extract() for every extract line, then
 * vet_reconcile_line() for every ledger line in order, then
 * vet_reconcile_end() until it returns 0.  The extract must be complete
 * before the first ledger line; vet_reconcile_extract() refuses lines after
 * that with VET_EINTERNAL.
 *
 * Order of the diff records, deterministic for given inputs:
 *   1. `duplicate` with side "extract", in extract order, as the extract is
 *      read;
 *   2. for each ledger line in order: `duplicate` with side "ledger" when
 *      its id was seen before in the ledger, otherwise its `conflict`
 *      records in the order of the ledger record's fields, then its
 *      `contradiction` records in the policy's order;
 *   3. at the end, `only_in_ledger` in ledger order;
 *   4. then, for each extract record absent from the ledger, in extract
 *      order: its `probable_match` records (one per ledger record that
 *      matches, in ledger order), or `only_in_extract` when there is none.
 *
 * Matching rules:
 *   - ids are joined decoded and normalised as vet-intake reads them
 *     (vet_id_normalize()); one that does not normalise is compared as
 *     typed, byte for byte, and is what probable matches look at;
 *   - a value that is null counts as absent (SPEC 2: unknown is absent or
 *     null), so null against a value is not a conflict, and --apply fills
 *     a null ledger field like an absent one (`old` null);
 *   - JSON values are compared semantically: strings after decoding
 *     escapes, numbers by exact decimal value (1, 1.0 and 1e0 are equal;
 *     9007199254740993 and 9007199254740992, one double, are not; an
 *     exponent beyond 10^15 compares by its text), arrays element by
 *     element in order, objects as unordered sets of members
 *     (objects of more than VET_RECONCILE_MAX_MEMBERS members compare
 *     equal only when their members are equal in the same order), in time
 *     linear in their size times that bound;
 *   - ids of a probable match are compared character by character (UTF-8),
 *     so a full-width character typed for an ASCII one is one difference;
 *   - name and birth_date of a probable match are compared decoded; a
 *     birth_date that is absent is taken from the id (its digits 7-14, or
 *     7-12 after "19" in a 15-digit id) when they form a real date.
 */
#ifndef VET_RECONCILE_H
#define VET_RECONCILE_H

#include <stddef.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/policy.h"

#define VET_RECONCILE_MAX_MEMBERS 256

struct vet_reconcile;

/* Totals of the diff records written so far, per kind, and fields set. */
struct vet_reconcile_counts {
	long long only_in_ledger;
	long long only_in_extract;
	long long conflict;
	long long probable_match;
	long long duplicate;
	long long contradiction;
	long long extract_records;	/* extract records kept */
	long long applied;		/* fields set by apply */
};

/*
 * Makes a reconciler for bureau source (e.g. "hr") under policy p; apply
 * true makes vet_reconcile_line() set the authority fields; as_of is the
 * `date` of the `reconciled` entries.  Returns 0 or VET_ENOMEM.
 */
int vet_reconcile_init(struct vet_reconcile **rc, const struct vet_policy *p,
    const char *source, vet_day as_of, int apply, struct vet_error *err);
void vet_reconcile_release(struct vet_reconcile *rc);

/*
 * Takes one extract line [p, p + n) (a trailing '\r' is allowed).  A record
 * whose id was seen before in the extract appends a `duplicate` diff record
 * to diff and is otherwise ignored.  Returns 0; VET_EDATA with err->msg (and
 * err->col for a JSON error) when the line is not a JSON object with a
 * non-empty string `id`; VET_ENOMEM; VET_EINTERNAL after the first ledger
 * line.
 */
int vet_reconcile_extract(struct vet_reconcile *rc, const char *p, size_t n,
    struct vet_buf *diff, struct vet_error *err);

/*
 * Takes one ledger line [p, p + n): appends the record to out as one line
 * ending in '\n' (the line itself, a trailing '\r' dropped, unless apply
 * changed it) and its diff records to diff.  Returns 0; VET_EDATA with
 * err->msg (and err->col) when the line is not a JSON object with a
 * non-empty string `id`, or when apply must extend a `reconciled` field
 * that is not an array (nothing is appended to out or diff then);
 * VET_ENOMEM.
 */
int vet_reconcile_line(struct vet_reconcile *rc, const char *p, size_t n,
    struct vet_buf *out, struct vet_buf *diff, struct vet_error *err);

/*
 * After the last ledger line: appends the records of steps 3 and 4 of the
 * order above to diff, a bounded amount at a time.  Returns 1 when more
 * remain (write diff out and call again), 0 when done, or VET_ENOMEM.
 */
int vet_reconcile_end(struct vet_reconcile *rc, struct vet_buf *diff,
    struct vet_error *err);

void vet_reconcile_counts(const struct vet_reconcile *rc,
    struct vet_reconcile_counts *out);

/* How a ledger id relates to an extract id, for probable matches;
 * lengths in UTF-8 characters. */
enum vet_reconcile_idrel {
	VET_IDREL_NONE = 0,	/* equal, or not a probable match */
	VET_IDREL_ONE_CHAR,	/* same length, one character differs */
	VET_IDREL_SWAP,		/* same length, two adjacent swapped */
	VET_IDREL_UPGRADE	/* the ledger id is the 15-digit extract id
				 * in its 18-character form */
};

/*
 * The relation of ledger id [l, l + ln) to extract id [e, e + en); *pos (when
 * not NULL) gets the 1-based position (in characters) of the first
 * differing character for ONE_CHAR and SWAP, 0 otherwise.  Both must be
 * valid UTF-8.
 */
enum vet_reconcile_idrel vet_reconcile_idrel(const char *l, size_t ln,
    const char *e, size_t en, size_t *pos);

/* Its name in diff records: "one_character", "adjacent_swap",
 * "upgraded_15_to_18", or NULL for NONE. */
const char *vet_reconcile_idrel_name(enum vet_reconcile_idrel r);

/*
 * True when the two VALIDATED JSON value spans are equal under the rules
 * above.  Does not allocate.
 */
int vet_reconcile_json_equal(struct vet_span a, struct vet_span b);

#endif
