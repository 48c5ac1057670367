/*
 * match.h - 岗位推荐、定向专招 (SPEC 3, vet-match): job posts held in memory
 * and indexed, the hard constraints between a classified veteran and a
 * post, the score with its reasons, the --top K recommendations and the
 * --allocate assignment.
 *
 * Ownership: vet_match_init() allocates a struct vet_match that the caller
 * owns and frees with vet_match_free().  It keeps what it needs of every
 * job line it is given (vet_match_add_job(): the decoded fields, and the
 * raw texts the output copies, each distinct one once) and copies every
 * matched veteran it keeps for --allocate (vet_match_alloc_add()), so the
 * caller may reuse its line buffers at once.  It borrows the policy, which must outlive it.  Output
 * is appended to the caller's struct vet_buf.  Not thread-safe: one
 * matcher per thread.
 *
 * Use: vet_match_init(); vet_match_add_job() for every job line;
 * vet_match_index(); then either vet_match_top() per veteran line, or
 * vet_match_alloc_add() per veteran line, vet_match_allocate() once and
 * vet_match_alloc_write() for i < vet_match_alloc_count().
 *
 * Matched veterans (SPEC): `categories` holds neither out_of_scope nor
 * exited, `employment_need` is true and `employment_status` is
 * "unemployed".  Every other veteran gives no output; it is not an error.
 *
 * Hard constraints of a pair: education at least min_education (a post
 * without min_education has no constraint; a veteran without education is
 * not eligible for a post that has one); `age` at most max_age (likewise:
 * without age, not eligible for a post with max_age); the post open on
 * as_of (posted_date <= as_of <= expires_date, an absent bound is open);
 * openings > 0 (a post without openings is not offered); public_welfare
 * posts only for a veteran with category employment_difficulty or
 * hard_to_place; dedicated posts only for a veteran in scope (not
 * out_of_scope).  market and directed posts have no further constraint.
 *
 * Score, an integer from 0 to 100, the sum of four parts:
 *   skills    40 x (required skills the veteran has) / (required skills),
 *             rounded down; 20 when the post requires none.  A veteran has
 *             a skill when it is in `skills`, or a certificate is the
 *             skill's name, alone or followed by a parenthesis
 *             ("电工(四级)" gives 电工).
 *   nearby    30 same street (and district) as the veteran; 20 same
 *             district as the veteran's `district` or `desired_district`;
 *             0 elsewhere (就近就业).
 *   industry  15 when the post's industry is in `desired_industries`.
 *   salary    15 when salary >= desired_salary; 8 when salary is at least
 *             80% of it; 0 below, or when either is unknown.
 * Order of posts for a veteran: score descending, then salary descending
 * (unknown last), then job_id ascending (byte order), so ties are
 * deterministic.
 *
 * Allocation: matched veterans are served one at a time in the order
 * priority ascending (absent: the smallest priority of the policy's
 * categories the record holds when it is 1 to 4, else 5, as vet-classify
 * would give), then hard_to_place first, then the
 * earlier assisted_since (absent last), then id ascending, then input
 * order; each takes its best eligible post that still has room.  Hence no
 * veteran stays unplaced while an eligible post has room (rooms only
 * shrink), and a veteran left unplaced found every eligible post filled by
 * veterans served before, whose priority number is no larger.
 */
#ifndef VET_MATCH_H
#define VET_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/policy.h"

struct vet_match;

/* Score parts, the weights above. */
#define VET_MATCH_W_SKILLS	40
#define VET_MATCH_W_NO_SKILLS	20
#define VET_MATCH_W_STREET	30
#define VET_MATCH_W_DISTRICT	20
#define VET_MATCH_W_INDUSTRY	15
#define VET_MATCH_W_SALARY	15
#define VET_MATCH_W_SALARY_NEAR	8

/*
 * A matcher for posts open on as_of.  policy gives the category priorities
 * for records without `priority`.  Returns 0 or VET_ENOMEM.
 */
int vet_match_init(struct vet_match **m, const struct vet_policy *policy,
    vet_day as_of, struct vet_error *err);
void vet_match_free(struct vet_match *m);

/*
 * Adds one job line (SPEC 2.2), copied.  Returns 0 when kept; VET_EDATA
 * with err->msg (and err->col for bad JSON) when the record is bad: not a
 * JSON object, no string job_id, a duplicate job_id, a field of the wrong
 * type, an impossible date, an unknown min_education or post_type (absent
 * post_type means market), a negative openings.  VET_ENOMEM.  A post that
 * is closed on as_of or has no openings is kept but never offered.  Must
 * come before vet_match_index().
 */
int vet_match_add_job(struct vet_match *m, const char *line, size_t n,
    struct vet_error *err);

/* Number of posts kept, and of those open on as_of with openings. */
size_t vet_match_njobs(const struct vet_match *m);
size_t vet_match_nopen(const struct vet_match *m);

/* Builds the indexes; once, after the last job.  0 or VET_ENOMEM. */
int vet_match_index(struct vet_match *m, struct vet_error *err);

/*
 * Reads a classified veteran line and, when the veteran is matched,
 * appends its min(k, eligible posts) best posts to out, one JSON line
 * each: {"id","job_id","rank","score","post_type","title","employer",
 * "district","street","salary","reasons":[{"code","points","detail"}]}
 * (job fields only when the post has them).  Returns the number of lines
 * appended (0 for a veteran that is not matched or has no eligible post);
 * VET_EDATA with err->msg when the record is bad (not a JSON object, no
 * string id, no categories array: not classified, a field of the wrong
 * type, an unknown education); VET_ENOMEM.
 */
int vet_match_top(struct vet_match *m, const char *line, size_t n,
    size_t k, struct vet_buf *out, struct vet_error *err);

/*
 * Reads a classified veteran line for --allocate and keeps it when it is
 * matched.  Returns 1 when kept, 0 when not matched, VET_EDATA and
 * VET_ENOMEM as vet_match_top().
 */
int vet_match_alloc_add(struct vet_match *m, const char *line, size_t n,
    struct vet_error *err);
/* Runs the allocation over the veterans kept.  0 or VET_ENOMEM. */
int vet_match_allocate(struct vet_match *m, struct vet_error *err);
/* Veterans kept, in input order. */
size_t vet_match_alloc_count(const struct vet_match *m);
/*
 * Appends the allocation of the i-th veteran kept, one JSON line:
 * {"id","job_id","score","priority","post_type",...,"reasons"} or
 * {"id","job_id":null,"priority","why"}.  0 or VET_ENOMEM.
 */
int vet_match_alloc_write(struct vet_match *m, size_t i,
    struct vet_buf *out);

/*
 * For tests and diagnostics: whether the veteran of line is eligible for
 * post job_id (hard constraints only, room ignored) and, when it is, its
 * score.  Returns 1 eligible, 0 not (also when the veteran is not matched
 * or there is no such post), VET_EDATA for a bad line, VET_ENOMEM.
 */
int vet_match_pair(struct vet_match *m, const char *line, size_t n,
    const char *job_id, int *score, struct vet_error *err);

#endif
