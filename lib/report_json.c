/*
 * report_json.c - the json form of the report (report.h): the machine
 * form, written from the counters and the figure table (report_table.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/json.h"
#include "vet/mask.h"
#include "vet/report.h"
#include "report_impl.h"
#include "report_table.h"

/* ---- json --------------------------------------------------------------- */

static void
json_key(struct rf_ctx *x, struct vet_buf *o, const char *k, size_t n,
    int *first)
{
	if (!*first)
		rf_ch(x, o, ',');
	*first = 0;
	rf_jstr(x, o, k, n);
	rf_ch(x, o, ':');
}

static void
json_counts(struct rf_ctx *x, struct vet_buf *o, const int64_t *c,
    size_t off)
{
	const struct vet_report *r = x->r;
	size_t i;
	int first = 1;

	/* The head count first: categories overlap, people do not. */
	rf_f(x, o, "{\"veterans\":%lld", (long long)c[RC_VETERANS]);
	first = 0;
	for (i = 0; i < r->s->ncat; i++) {
		json_key(x, o, r->s->cats[i], strlen(r->s->cats[i]), &first);
		rf_f(x, o, "%lld", (long long)c[off + i]);
	}
	rf_ch(x, o, '}');
}

static void
json_name(struct rf_ctx *x, struct vet_buf *o, const struct rtab *t,
    size_t i, int *first)
{
	vet_buf_reset(&x->scratch);
	if (vet_mask_text(&x->scratch, t->names.data + t->noff[i],
	    t->nlen[i]) < 0)
		x->oom = 1;
	json_key(x, o, vet_buf_str(&x->scratch), x->scratch.len, first);
}

/*
 * The members of figures figs for group row c and side row d: a rate
 * {"met","due"} (pd: {"planned","delivered"}, as the 六有 items are), a
 * count, or null when unknown (the side file it needs not given).
 */
static void
json_figs(struct rf_ctx *x, struct vet_buf *o, const struct rf_figure *figs,
    const int64_t *c, const int64_t *d, int pd)
{
	const struct rf_figure *g;
	struct rf_fval v;
	int first = 1;

	for (g = figs; g->key; g++) {
		rf_figure_value(x, g, c, d, &v);
		json_key(x, o, g->key, strlen(g->key), &first);
		if (g->kind == RF_FIG_COUNT)
			v.avail ? rf_f(x, o, "%lld", (long long)v.num) :
			    rf_str(x, o, "null");
		else if (pd && v.avail)
			rf_f(x, o, "{\"planned\":%lld,\"delivered\":%lld}",
			    (long long)v.den, (long long)v.num);
		else if (pd)
			rf_f(x, o, "{\"planned\":%lld,\"delivered\":null}",
			    (long long)v.den);
		else if (v.avail)
			rf_f(x, o, "{\"met\":%lld,\"due\":%lld}",
			    (long long)v.num, (long long)v.den);
		else
			rf_str(x, o, "null");
	}
}

/* Veterans who need action, by their most urgent category. */
static void
json_action(struct rf_ctx *x, struct vet_buf *o, const int64_t *c)
{
	const struct vet_report *r = x->r;
	size_t i;

	rf_f(x, o, "{\"veterans\":%lld,\"by_urgent_category\":{",
	    (long long)c[RC_ACTION]);
	for (i = 0; i < r->s->ncat; i++) {
		rf_jstr(x, o, r->s->cats[i], strlen(r->s->cats[i]));
		rf_f(x, o, ":%lld,", (long long)c[r->off_urg + i]);
	}
	rf_f(x, o, "\"none\":%lld}}", (long long)c[r->off_urg + r->s->ncat]);
}

/* --compare: the change of the compliance rates, in per mille points
 * (rf_figure_change()), and of the chain's counts; null where either side
 * is unknown. */
static void
json_change_figs(struct rf_ctx *x, struct vet_buf *o)
{
	const struct vet_report *r = x->r;
	const struct rf_figure *g;
	struct rf_fval p, v;
	int64_t d, prev;
	size_t i;
	int first = 1;

	rf_str(x, o, ",\"compliance_permille\":{");
	for (g = rf_compliance; g->key; g++) {
		if (g->prev < 0)
			continue;
		json_key(x, o, g->key, strlen(g->key), &first);
		if (rf_figure_change(x, g, &p, &v, &d))
			rf_f(x, o, "%lld", (long long)d);
		else
			rf_str(x, o, "null");
	}
	rf_str(x, o, "},\"chain\":{");
	first = 1;
	for (i = 0; i < r->s->nlinks; i++) {
		rf_link_value(x, x->tot, i, &v);
		json_key(x, o, r->s->links[i], strlen(r->s->links[i]), &first);
		prev = r->prev_link[2 * i];
		if (prev == INT64_MIN)
			rf_str(x, o, "{\"planned\":null");
		else
			rf_f(x, o, "{\"planned\":%lld",
			    (long long)(v.den - prev));
		prev = r->prev_link[2 * i + 1];
		if (prev == INT64_MIN || !v.avail)
			rf_str(x, o, ",\"delivered\":null}");
		else
			rf_f(x, o, ",\"delivered\":%lld}",
			    (long long)(v.num - prev));
	}
	rf_ch(x, o, '}');
}

/* The period, the policy and the totals: the object's first members. */
static void
json_head(struct rf_ctx *x, struct vet_buf *o)
{
	const struct vet_report *r = x->r;
	char f[11], t[11], a[11];

	vet_date_format(r->pd.from, f);
	vet_date_format(r->pd.to, t);
	vet_date_format(r->pd.as_of, a);
	rf_str(x, o, "{\"period\":");
	rf_jstr(x, o, r->pd.label, strlen(r->pd.label));
	rf_f(x, o, ",\"from\":\"%s\",\"to\":\"%s\",\"as_of\":\"%s\","
	    "\"policy\":", f, t, a);
	rf_jstr(x, o, r->s->policy_id, strlen(r->s->policy_id));
	rf_f(x, o, ",\"veterans\":%lld,\"totals\":",
	    (long long)x->tot[RC_VETERANS]);
	json_counts(x, o, x->tot, r->off_cat);
}

/* The parts of group name n at part (district, street, community),
 * masked, each a member. */
static void
json_parts(struct rf_ctx *x, struct vet_buf *o, const char *part, size_t n)
{
	static const char *const parts[] = { "district", "street",
	    "community" };
	const char *e;
	size_t p, k;

	for (p = 0; p <= (size_t)x->r->by; p++) {
		e = memchr(part, RS_SEP, n);
		k = e ? (size_t)(e - part) : n;
		rf_f(x, o, "\"%s\":", parts[p]);
		vet_buf_reset(&x->scratch);
		if (vet_mask_text(&x->scratch, part, k) < 0)
			x->oom = 1;
		rf_jstr(x, o, vet_buf_str(&x->scratch), x->scratch.len);
		rf_ch(x, o, ',');
		part += k + (e != NULL);
		n -= k + (e != NULL);
	}
}

/* --by street or community: each group with its parts and counts. */
static void
json_groups(struct rf_ctx *x, struct vet_buf *o)
{
	const struct vet_report *r = x->r;
	const struct rtab *g = &r->groups;
	size_t *gx = rtab_order(g, r->s), j;
	int first = 1;

	if (gx == NULL) {
		x->oom = 1;
		return;
	}
	rf_str(x, o, ",\"groups\":[");
	for (j = 0; j < g->n; j++) {
		if (!rf_shown(x, g, gx[j]))
			continue;
		if (!first)
			rf_ch(x, o, ',');
		first = 0;
		rf_ch(x, o, '{');
		json_parts(x, o, g->names.data + g->noff[gx[j]],
		    g->nlen[gx[j]]);
		rf_str(x, o, "\"veterans\":");
		rf_f(x, o, "%lld,\"counts\":", (long long)
		    rtab_row(g, gx[j])[RC_VETERANS]);
		json_counts(x, o, rtab_row(g, gx[j]), r->off_cat);
		rf_ch(x, o, '}');
	}
	rf_ch(x, o, ']');
	free(gx);
}

/* Each link: planned, and of those delivered (null without --events:
 * unknown, not none). */
static void
json_chain(struct rf_ctx *x, struct vet_buf *o)
{
	const struct vet_report_schema *s = x->r->s;
	struct rf_fval v;
	size_t i;
	int first = 1;

	rf_str(x, o, ",\"chain\":{");
	for (i = 0; i < s->nlinks; i++) {
		rf_link_value(x, x->tot, i, &v);
		json_key(x, o, s->links[i], strlen(s->links[i]), &first);
		rf_f(x, o, "{\"planned\":%lld,\"delivered\":",
		    (long long)v.den);
		if (v.avail)
			rf_f(x, o, "%lld}", (long long)v.num);
		else
			rf_str(x, o, "null}");
	}
	rf_ch(x, o, '}');
}

/* The findings per check, masked, or null without --findings.  0, or -1
 * out of memory. */
static int
json_findings(struct rf_ctx *x, struct vet_buf *o)
{
	struct rf_finding *fd;
	size_t j, nf;
	int first = 1;

	if (!x->r->have_findings) {
		rf_str(x, o, "null");
		return 0;
	}
	if ((fd = rf_findings(x->r, &nf)) == NULL) {
		x->oom = 1;
		return -1;
	}
	rf_ch(x, o, '{');
	for (j = 0; j < nf; j++) {
		vet_buf_reset(&x->scratch);
		if (vet_mask_text(&x->scratch, fd[j].p, fd[j].n) < 0)
			x->oom = 1;
		json_key(x, o, vet_buf_str(&x->scratch), x->scratch.len,
		    &first);
		rf_f(x, o, "%lld", (long long)fd[j].count);
	}
	rf_ch(x, o, '}');
	free(fd);
	return 0;
}

/* Figures figs per district shown (ix: the districts in order), as
 * json_figs() writes them. */
static void
json_figs_by_district(struct rf_ctx *x, struct vet_buf *o,
    const struct rf_figure *figs, const size_t *ix, int pd)
{
	const struct vet_report *r = x->r;
	size_t j;
	int first = 1;

	for (j = 0; j < r->districts.n; j++) {
		if (!rf_shown(x, &r->districts, ix[j]))
			continue;
		json_name(x, o, &r->districts, ix[j], &first);
		rf_ch(x, o, '{');
		json_figs(x, o, figs, rtab_row(&r->districts, ix[j]),
		    rf_side_row(r, ix[j]), pd);
		rf_ch(x, o, '}');
	}
}

/* --compare: the change of the totals, per district and of the figures. */
static void
json_change(struct rf_ctx *x, struct vet_buf *o, const size_t *ix)
{
	const struct vet_report *r = x->r;
	const struct vet_report_schema *s = r->s;
	const int64_t *c, *d;
	size_t i, j;
	long row;
	int first = 1, first2;

	rf_str(x, o, ",\"change\":{\"period\":");
	rf_jstr(x, o, r->prev_label, strlen(r->prev_label));
	rf_str(x, o, ",\"totals\":{");
	for (i = 0; i < s->ncat; i++) {
		json_key(x, o, s->cats[i], strlen(s->cats[i]), &first);
		if (r->prev_tot[i] == INT64_MIN)
			rf_str(x, o, "null");
		else
			rf_f(x, o, "%lld", (long long)(
			    x->tot[r->off_cat + i] - r->prev_tot[i]));
	}
	rf_str(x, o, "},\"by_district\":{");
	first = 1;
	for (j = 0; j < r->districts.n; j++) {
		if (!rf_shown(x, &r->districts, ix[j]))
			continue;
		c = rtab_row(&r->districts, ix[j]);
		row = rtab_find(&r->prev_dist,
		    r->districts.names.data + r->districts.noff[ix[j]],
		    r->districts.nlen[ix[j]]);
		d = row >= 0 ? rtab_row(&r->prev_dist, (size_t)row) : NULL;
		json_name(x, o, &r->districts, ix[j], &first);
		rf_ch(x, o, '{');
		first2 = 1;
		for (i = 0; i < s->ncat; i++) {
			json_key(x, o, s->cats[i], strlen(s->cats[i]),
			    &first2);
			/* A district absent last quarter had none, when
			 * the report listed them all. */
			if ((d && d[i] == INT64_MIN) ||
			    (!d && !r->prev_all_districts))
				rf_str(x, o, "null");
			else
				rf_f(x, o, "%lld", (long long)(
				    c[r->off_cat + i] - (d ? d[i] : 0)));
		}
		rf_ch(x, o, '}');
	}
	rf_ch(x, o, '}');
	json_change_figs(x, o);
	rf_ch(x, o, '}');
}

void
rf_write_json(struct rf_ctx *x, struct vet_buf *o)
{
	const struct vet_report *r = x->r;
	size_t *ix, i, j;
	int first;

	json_head(x, o);
	if ((ix = rtab_order(&r->districts, r->s)) == NULL) {
		x->oom = 1;
		return;
	}
	rf_str(x, o, ",\"by_district\":{");
	first = 1;
	for (j = 0; j < r->districts.n; j++)
		if (rf_shown(x, &r->districts, ix[j])) {
			json_name(x, o, &r->districts, ix[j], &first);
			json_counts(x, o, rtab_row(&r->districts, ix[j]),
			    r->off_cat);
		}
	rf_ch(x, o, '}');
	if (r->by != VET_REPORT_BY_DISTRICT) {
		json_groups(x, o);
		if (x->oom)
			goto out;
	}

	rf_str(x, o, ",\"priority\":{");
	for (i = 1; i < RP_NPRIO; i++)
		rf_f(x, o, "\"%zu\":%lld,", i,
		    (long long)x->tot[r->off_prio + i]);
	rf_f(x, o, "\"none\":%lld}", (long long)x->tot[r->off_prio]);

	rf_str(x, o, ",\"needs_action\":");
	json_action(x, o, x->tot);
	rf_str(x, o, ",\"needs_action_by_district\":{");
	first = 1;
	for (j = 0; j < r->districts.n; j++)
		if (rf_shown(x, &r->districts, ix[j])) {
			json_name(x, o, &r->districts, ix[j], &first);
			json_action(x, o, rtab_row(&r->districts, ix[j]));
		}
	rf_ch(x, o, '}');
	json_chain(x, o);

	rf_str(x, o, ",\"compliance\":{");
	json_figs(x, o, rf_compliance, x->tot, x->dtot, 0);
	rf_f(x, o, ",\"job_fairs_target\":%d,\"findings\":",
	    r->s->job_fairs_per_year);
	if (json_findings(x, o) < 0)
		goto out;
	rf_str(x, o, ",\"by_district\":{");
	json_figs_by_district(x, o, rf_compliance, ix, 0);
	rf_str(x, o, "}}");
	/* The 六有: planned and delivered per district. */
	rf_str(x, o, ",\"scorecard\":{");
	json_figs_by_district(x, o, rf_six, ix, 1);
	rf_ch(x, o, '}');
	if (r->have_prev)
		json_change(x, o, ix);
	if (x->f->min_cell > 1)
		rf_f(x, o, ",\"min_cell\":%ld,\"suppressed\":%zu",
		    x->f->min_cell, x->nsup);
	rf_str(x, o, "}\n");
out:
	free(ix);
}
