/*
 * plan_impl.h - what the worklist's writers share inside the plan module
 * (plan.h): the held plan lines with their sort keys, and the display
 * block of one veteran that plan_fmt.c reads back from a plan line and
 * every format (html, md, text in plan_fmt.c, xlsx in plan_xlsx.c)
 * renders, so that all of them show the same data.
 *
 * Ownership: as in plan.h; a struct vet_worklist owns its text, entries,
 * scratch buffers and block.  A block's strings live in wl->b.blk until
 * the next wl_load_block().
 */
#ifndef VET_PLAN_IMPL_H
#define VET_PLAN_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/record.h"

/* The worklist's own words; categories, measures and checks are labelled
 * by the policy. */
#define W_TITLE		"一人一策工作清单"
#define W_AS_OF		"截至"
#define W_PEOPLE	"人"
#define W_PRIORITY	"优先级"
#define W_CATEGORIES	"类别"
#define W_CONTACT	"最近联系"
#define W_NO_CONTACT	"无联系记录"
#define W_DAYS_AGO	"天前"
#define W_DUTIES	"本期任务"
#define W_MEASURES	"帮扶措施"
#define W_RECS		"推荐岗位"
#define W_DEADLINE	"截止"
#define W_BLANK		"（未填）"
#define W_DUE_N		"待完成"
#define W_LATE_N	"逾期"
#define W_NOTE		"联系情况"
#define W_STAFF		"经办人"
#define W_DATE		"日期"
#define W_SCORE		"分"
#define W_SALARY	"元/月"

/* done, due, late, open: the words and the text marks of a status. */
enum { S_DONE, S_DUE, S_LATE, S_OPEN, S_N };
extern const char *const wl_status_code[S_N];
extern const char *const wl_status_zh[S_N];

/* The levels of a station: district, street, community. */
#define WL_LEVELS 3

struct entry {
	size_t off, len;	/* the plan line in wl->text */
	size_t koff[WL_LEVELS], klen[WL_LEVELS];
	int has[WL_LEVELS];
	size_t poff, plen;	/* the phone */
	int hasphone;
	int64_t prio;
	int64_t days;
	int hasdays;
	size_t seq;
};

/* One line of a block: a duty, a measure or a recommendation. */
struct item {
	size_t a, b, c, d;	/* offsets of up to four strings in blk */
	int status;		/* S_*, or -1 */
};

/* A veteran's block, display-ready: strings in blk, NUL-separated. */
struct block {
	struct vet_buf blk;
	size_t name, id, phone, cats, contact;
	size_t cdate;		/* the last contact's date, "" when none */
	int hasdays;
	int64_t days, prio;
	struct item *items;
	size_t nduty, nmeas, nrec, n, cap;
};

struct vet_worklist {
	const struct vet_policy *p;
	vet_day as_of;
	int unmask;
	struct vet_buf text;
	struct entry *e;
	size_t n, cap;
	struct vet_record rec, sub;
	struct vet_buf t1, t2, scratch;
	struct block b;
	int oom;
};

/* A string of the current block. */
const char *wl_str(const struct vet_worklist *wl, size_t off);

/* Fills wl->b from entry e.  0, or the status of the parse or
 * VET_ENOMEM with err filled. */
int wl_load_block(struct vet_worklist *wl, const struct entry *e,
    struct vet_error *err);

/* 0 when a and b are in the same station down to `levels` levels (1:
 * district, 2: street, 3: community); otherwise their order. */
int wl_group_cmp(const struct vet_worklist *wl, const struct entry *a,
    const struct entry *b, int levels);

/* The group of `levels` levels that starts at entry i (entries sorted):
 * *end its end, *due and *late the duties due and late in it. */
void wl_group_counts(struct vet_worklist *wl, size_t i, int levels,
    size_t *end, size_t *due, size_t *late);

/* The name of level k of e, cleaned (and masked unless --unmask) into o,
 * or the blank word. */
const char *wl_group_name(struct vet_worklist *wl, const struct entry *e,
    int k, struct vet_buf *o);

/* The worklist (sorted) as an xlsx workbook appended to out; title is
 * the worklist's title line.  0, VET_EIO or VET_ENOMEM with err filled. */
int wl_write_xlsx(struct vet_worklist *wl, const char *title,
    struct vet_buf *out, struct vet_error *err);

#endif
