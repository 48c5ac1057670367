/*
 * match_impl.h - the matcher's internals, shared by lib/match.c (posts,
 * indexes, veterans, search), lib/match_out.c (the output lines) and
 * lib/match_alloc.c (--allocate).  Not a public header.
 */
#ifndef VET_MATCH_IMPL_H
#define VET_MATCH_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/match.h"
#include "vet/record.h"

#define NEDU 8			/* SPEC's education levels */
#define NLEVEL (NEDU + 1)	/* min_education: none, then each level */
#define NPOST 4			/* SPEC's post types */

/* In the order of the schema's post_type codes. */
enum post_type { POST_MARKET, POST_DEDICATED, POST_DIRECTED,
	POST_WELFARE };

/*
 * Interned strings: each distinct byte string once in text, numbered in
 * the order first seen; slots is an open-addressing table (power-of-two
 * size, 0 empty, else the item's number + 1).  Offsets, not pointers, so
 * text may grow; val is what the table maps the string to.
 */
struct itab_item {
	uint32_t off, len, hash;
	int32_t val;
};

struct itab {
	uint32_t *slots;
	size_t cap;
	struct itab_item *items;
	size_t n, capitems;
	struct vet_buf text;
};

#define NOTEXT UINT32_MAX	/* a text field the post does not have */

/*
 * A post, packed: what the constraints and the score read is decoded once
 * into small integers; what the output copies is raw JSON text, interned
 * (title, employer, salary in m->texts; district and street in m->words)
 * or, for the job_id, kept once in m->ids.
 */
struct job {
	double salary;		/* < 0: unknown */
	int64_t openings;
	uint32_t rawoff, rawlen;	/* raw job_id, quotes and all, in m->ids */
	uint32_t idoff, idlen;	/* decoded job_id in m->ids */
	uint32_t title, employer, salary_raw;	/* m->texts items, NOTEXT */
	uint32_t district_raw, street_raw;	/* m->words items, NOTEXT */
	int32_t district, street, industry;	/* vocabulary ids, -1 absent */
	uint32_t reqoff;	/* required skills in m->req */
	int32_t nreq;
	uint32_t rank;		/* open posts: place in the ranking order */
	int16_t max_age;	/* -1: none */
	int8_t min_edu;		/* -1: none, else 0..NEDU-1 */
	uint8_t type;		/* enum post_type */
	uint8_t open;		/* open on as_of with openings > 0 */
};

/* Index lists, compressed rows: list k is items[start[k] .. end[k]). */
struct csr {
	size_t *start;
	size_t *end;		/* start + 1 as built; its own array in a copy */
	int *items;
	size_t nkeys;
};

/*
 * The indexes: open posts by district, by required skill and by industry,
 * and by (no skills required?, education level): stream[a][e] holds the
 * posts of class a that a veteran of level e (0 unknown, 1 + the SPEC
 * index) may take, sorted by salary descending then job_id, the walk for
 * the posts that no other index offers.
 */
struct index {
	struct csr by_district, by_skill, by_industry;
	int *stream[2][NLEVEL];
	size_t nstream[2][NLEVEL];
};

/* A veteran as the search sees it. */
struct vet {
	const char *id;
	size_t idlen;
	int edu;		/* -1 unknown */
	int64_t age;		/* -1 unknown */
	int district, street, desired;	/* vocabulary ids, -1 none */
	const int *skills;	/* vocabulary ids of skills and certificates */
	int nskills;
	const int *inds;	/* desired industries */
	int ninds;
	double dsal;		/* desired_salary, < 0 unknown */
	int in_scope, welfare_ok, hard;
	int64_t priority;
	vet_day assisted;	/* INT32_MAX when absent */
};

/* A veteran kept for --allocate: struct vet with offsets into pools. */
struct avet {
	struct vet v;
	size_t idoff, skoff, indoff;
	size_t seq;
	int job;		/* allocated post, -1 none */
	int score;
	int eligible;		/* had an eligible post, room ignored */
};

struct cand {
	int job;
	int score;
};

struct vet_match {
	const struct vet_policy *policy;
	const char *const *edu_codes;	/* the schema's, NEDU of them */
	const char *const *post_codes;	/* the schema's, NPOST of them */
	vet_day as_of;
	struct itab vocab;	/* decoded districts, streets, industries,
				 * skills; val is the item's own number */
	struct itab words;	/* their raw JSON strings; val: vocab id */
	struct itab texts;	/* raw title, employer, salary */
	struct itab dates;	/* raw dates; val: the day */
	struct vet_buf ids;	/* raw and decoded job_ids */
	uint32_t *idslots;	/* job_id -> post + 1, open addressing */
	size_t idcap;
	uint8_t edu_len[NEDU], post_len[NPOST];	/* strlen of the codes */
	uint8_t kpred[16];	/* the key that followed each in the last
				 * plain line (match_load.c) */
	struct job *jobs;
	size_t njobs, capjobs, nopen;
	int32_t *req;		/* required skills of all posts */
	size_t nreq, capreq;
	int indexed;

	struct index ix;	/* every open post */
	struct index live;	/* --allocate: posts with room, pruned now
				 * and then */
	int has_live;
	size_t nfull;		/* posts filled since the last pruning */
	size_t nlive;		/* posts in live at the last pruning */
	uint32_t *stamp;	/* per post: last search that saw it */
	uint32_t cur;
	int64_t *room;		/* per post: openings left (--allocate) */

	/* per record, reused */
	struct vet_record rec;
	struct vet_buf tmp, idbuf, det;
	int *vsk, *vind;
	size_t capvsk, capvind;
	struct cand *top;
	size_t captop;

	/* --allocate */
	struct avet *av;
	size_t nav, capav;
	struct vet_buf idpool;
	int *pool;
	size_t npool, cappool;
};

/*
 * match_load.c: the string tables, the posts' store and the fast reading
 * of a plain job line.  It calls nothing in the other files.
 */
int vet_match__intern(struct itab *t, const char *s, size_t n, int32_t val,
    uint32_t *item);
int vet_match__find(const struct itab *t, const char *s, size_t n);
void vet_match__itab_free(struct itab *t);

/*
 * What the interned tables held before a job line, so that a line that is
 * rejected (or that the fast reader gives up on) leaves them as they
 * were: a word of a rejected line must not become a known word.
 */
struct vet_match__mark {
	size_t n[4], len[4];
};
void vet_match__mark(const struct vet_match *m, struct vet_match__mark *k);
void vet_match__undo(struct vet_match *m, const struct vet_match__mark *k);
int vet_match__vocab_put(struct vet_match *m, const char *s, size_t n,
    int32_t *id);
int vet_match__push_req(struct vet_match *m, int32_t v);
int vet_match__find_job(const struct vet_match *m, const char *s,
    size_t n);
int vet_match__job_commit(struct vet_match *m, struct job *j,
    struct vet_span raw, struct vet_span id);
int vet_match__fast_job(struct vet_match *m, const char *line, size_t n);
void vet_match__job_init(struct vet_match *m, struct job *j);

/* The decoded job_id of post j, and a vocabulary word by id. */
static inline const char *
vet_match__id(const struct vet_match *m, const struct job *j)
{
	return m->ids.data + j->idoff;
}

static inline const char *
vet_match__word(const struct vet_match *m, int32_t id, size_t *n)
{
	*n = m->vocab.items[id].len;
	return m->vocab.text.data + m->vocab.items[id].off;
}

/*
 * match.c: posts, indexes, veterans and the search.  It calls nothing in
 * match_out.c or match_alloc.c; match_out.c calls match.c; match_alloc.c
 * calls both, so the three form no circle.
 */
int vet_match__search(struct vet_match *m, const struct vet *v, size_t k,
    int need_room, struct cand *top, size_t *ntop);
int vet_match__prune(struct vet_match *m);
void vet_match__index_free(struct index *x, int copy);
/* Reads a classified veteran line into v: 1 matched, 0 not, or an
 * error as vet_match_top(). */
int vet_match__read_veteran(struct vet_match *m, const char *line,
    size_t n, struct vet *v, struct vet_error *err);
int vet_match__eligible(const struct vet *v, const struct job *j);
int vet_match__score(const struct vet_match *m, const struct vet *v,
    const struct job *j, int parts[4]);

/* match_out.c */
int vet_match__write(struct vet_match *m, struct vet_buf *out,
    const struct vet *v, int job, int score, long rank, int64_t priority);

#endif
