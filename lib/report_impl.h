/*
 * report_impl.h - private to lib/report*.c: the aggregate behind
 * struct vet_report, shared by the aggregation (report.c) and the writers
 * (report_fmt.c, report_html.c).  Not installed, not for other modules.
 */
#ifndef VET_REPORT_IMPL_H
#define VET_REPORT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/report.h"

/*
 * A table of named rows of k int64 counters, hashed by name.  Names are
 * bytes (group keys join district, street and community with RS_SEP).
 */
struct rtab {
	size_t k;		/* counters per row */
	struct vet_buf names;	/* all names, back to back */
	size_t *noff, *nlen;
	int64_t *cnt;		/* n * k */
	size_t n, cap;
	size_t *slot;		/* open addressing: row + 1, 0 = empty */
	size_t nslot;
};

#define RS_SEP '\x1f'

/* The largest count a partial or a --compare file may carry (and a merge
 * may reach): 2^50, so that sums, differences and the per-mille of a rate
 * stay within int64_t. */
#define REPORT_MAX_COUNT ((int64_t)1 << 50)

/* Fixed counters of a group, before the categories, priorities and links. */
enum {
	RC_VETERANS,
	RC_TRAIN_DUE,		/* autonomous placement, discharged recently */
	RC_TRAIN_MET,		/* ... with training_hours >= the minimum */
	RC_CONTACT_DUE,		/* hard_to_place veteran-months over and due */
	RC_CONTACT_MET,		/* ... with a contact event in that month */
	RC_HTP,			/* hard_to_place veterans */
	RC_HTP_SERVED,		/* ... with a contact in the period */
	RC_INSCOPE,		/* neither out_of_scope nor exited */
	RC_FILE_COMPLETE,	/* ... with a complete information file */
	RC_NEEDY,		/* priority 1 to 5 */
	RC_NEEDY_PLAN,		/* ... with a non-empty measures plan */
	RC_FRESH,		/* classified (as_of) within the period */
	RC_SEEKING,		/* in scope, need, unemployed */
	RC_SEEKING_CHANNEL,	/* ... with a referral or training event */
	RC_ACTION,		/* in scope and not employed: needs action */
	RC_ACTION_CONTACTED,	/* ... with a contact event in the period */
	RC_DATA_OK,		/* in scope, file complete and reconciled */
	RC_NFIXED
};

#define RP_NPRIO 10		/* priority 1..9; slot 0: absent or other */

/* Counters of the side table of districts (events and --jobs): the
 * consultations of the period, job fairs of its year, the posts offered
 * at the fairs of the period, and the openings of --jobs posts open in it. */
enum { RD_CONSULT, RD_FAIRS, RD_FAIR_POSTS, RD_POSTS, RD_N };

/* Counters per id of the event log (struct vet_report.ids). */
enum {
	ID_MONTHS,		/* bit m: a contact in month m of the period */
	ID_FLAGS,		/* 1 referral or training in the period,
				   2 contact in the period */
	ID_CONTACTS,		/* contact events of the period */
	ID_REFERRALS,		/* referral events of the period */
	ID_TARGETED,		/* ... to a dedicated, directed or public-
				   welfare post */
	ID_VOCATIONAL,		/* vocational training events of the period */
	ID_ADAPTIVE_MH,		/* adaptive hours by as_of, in 1/1000 h */
	ID_ADAPTIVE,		/* adaptive training events of the period */
	ID_N
};

#define RP_NFIELDS 40	/* at least report.c's F_N */

/* A key the report reads: its own field rf (report.c's F_*, or F_N when
 * not) and/or the links' key lk (struct vet_report_schema.link_keys, or
 * nlk when not). */
struct rp_fkey {
	const char *name;	/* NULL: an empty slot */
	/* 0: an empty slot.  32 bits keep a slot in 32 bytes: the names are
	 * fields, link keys of a policy and noted keys of RP_NOTED_LEN. */
	uint32_t len;
	int rf;
	long lk;
	/* The key that followed this one in the last record that had it:
	 * the records of a file mostly list their keys in one order, so
	 * the next key is checked against it before it is hashed. */
	struct rp_fkey *next;
};

/* Keys the report does not read are kept in the table too (up to
 * RP_NOTED of at most RP_NOTED_LEN bytes), so that they have a next. */
#define RP_NOTED 64
#define RP_NOTED_LEN 32

struct vet_report {
	const struct vet_report_schema *s;
	struct vet_report_period pd;
	enum vet_report_by by;
	size_t k;		/* counters per group */
	size_t off_cat, off_prio, off_link;
	size_t off_dlv;		/* nlinks: delivered (with --events) */
	size_t off_urg;		/* ncat + 1: needing action, by the most
				   urgent category (the last: none) */
	long cat_out, cat_exited, cat_htp;	/* indices or -1 */
	int nmonths;		/* months of the period, <= 64 */

	struct rtab districts;	/* district -> k counters */
	struct rtab groups;	/* finer groups when by != district */

	/* Side data from --events and --findings. */
	int side;		/* any side data was added or merged */
	int have_events, have_findings, have_jobs;
	struct rtab jobs;	/* job_id -> [targeted post] (--jobs) */
	struct rtab dside;	/* district -> RD_N */
	struct rtab findings;	/* check -> 1 */
	struct rtab ids;	/* id -> [contact month bits, 1 referral or training
				   in the period | 2 contact in the period] */
	struct vet_buf side_text;	/* canonical side of a merged partial */
	int side_merged;
	long nmerged;		/* partials merged so far */

	/* --compare */
	int have_prev;
	char prev_label[64];
	int64_t *prev_tot;	/* ncat, INT64_MIN when absent */
	struct rtab prev_dist;	/* district -> ncat */
	int64_t prev_comp[2][2];	/* training, monthly_contact: met, due;
				   INT64_MIN when the previous had none */
	int64_t *prev_link;	/* 2 * nlinks: planned, delivered;
				   INT64_MIN unknown */
	int prev_all_districts;	/* prev_dist lists every district that had
				   a veteran: an absent one had none */

	/* Scratch, reused per record. */
	unsigned char *hit;	/* ncat */
	size_t *hitl, nhit;	/* the categories hit, listed */
	size_t *catlen;		/* ncat: strlen of each code */
	int64_t *one;		/* k: one record's contributions, zero
				   but at touched */
	size_t *touched, ntouched;
	vet_day mstart[64];	/* the period's months: first days */
	uint64_t mover;		/* bit m: month m is over on as_of */
	int *hits;		/* nlinks */
	int *dhits;		/* nlinks: delivered */
	struct vet_buf key, tmp;
	struct vet_buf mdist, mpart;	/* masked copies of group names */
	size_t last_d;		/* row of the last district, or SIZE_MAX */

	/* The information file (schema.h) as picked-field indices: file_f
	 * always, need_f too when field need_if is true; -1 ends a list. */
	int file_f[16], need_f[16], need_if;

	/* The keys the report reads and the links' keys in one table, so
	 * that one probe per field of a record finds both (open
	 * addressing, fmask + 1 slots). */
	struct rp_fkey *ftab;
	size_t fmask;
	struct rp_fkey fstart;	/* before the first key: its next */
	/* The links' fields of the record being added, first occurrences
	 * in record order; lstamp[key] == lgen when the key is in lf. */
	struct vet_report_lfield *lf;
	size_t nlf, nlk;
	uint32_t *lstamp;
	uint32_t lgen;
	struct vet_buf kbuf;	/* a decoded escaped key */
	char noted[RP_NOTED][RP_NOTED_LEN];
	size_t nnoted;
};

int rtab_init(struct rtab *t, size_t k);
void rtab_release(struct rtab *t);
/* Finds or adds the row named [p, p+n); returns its index or -1 (ENOMEM). */
long rtab_get(struct rtab *t, const char *p, size_t n);
/* Finds the row or returns -1. */
long rtab_find(const struct rtab *t, const char *p, size_t n);
int64_t *rtab_row(const struct rtab *t, size_t i);
/* The rows in output order (schema district order, then bytewise);
 * a malloc'ed array of n indices or NULL. */
size_t *rtab_order(const struct rtab *t, const struct vet_report_schema *s);

/*
 * Masks the ids and phones a group name may hold (report.c), in place:
 * s then points into b.  0, or VET_ENOMEM.
 */
int report_mask_name(struct vet_buf *b, struct vet_span *s);

/* Serialises the side data canonically (used by partials and merge). */
int report_side_json(const struct vet_report *r, struct vet_buf *out);

#endif
