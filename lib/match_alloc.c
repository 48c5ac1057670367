/*
 * match_alloc.c - --allocate: matched veterans served one at a time in
 * priority order, each taking its best eligible post that still has room
 * (match.h).  It uses the search of match.c and the output lines of
 * match_out.c; neither calls back into it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vet/json.h"
#include "vet/match.h"
#include "vet/record.h"
#include "match_impl.h"


/* ---- --allocate ----------------------------------------------------- */

static int
cmp_serve(const void *pa, const void *pb)
{
	const struct avet *a = *(const struct avet *const *)pa;
	const struct avet *b = *(const struct avet *const *)pb;
	size_t n;
	int c;

	if (a->v.priority != b->v.priority)
		return a->v.priority < b->v.priority ? -1 : 1;
	if (a->v.hard != b->v.hard)
		return a->v.hard ? -1 : 1;
	if (a->v.assisted != b->v.assisted)
		return a->v.assisted < b->v.assisted ? -1 : 1;
	n = a->v.idlen < b->v.idlen ? a->v.idlen : b->v.idlen;
	if ((c = memcmp(a->v.id, b->v.id, n)) != 0)
		return c;
	if (a->v.idlen != b->v.idlen)
		return a->v.idlen < b->v.idlen ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int
vet_match_allocate(struct vet_match *m, struct vet_error *err)
{
	struct avet **order, *a;
	struct cand c;
	size_t i, n;

	for (i = 0; i < m->nav; i++) {
		a = &m->av[i];
		a->v.id = m->idpool.data + a->idoff;
		a->v.skills = m->pool + a->skoff;
		a->v.inds = m->pool + a->indoff;
	}
	if ((order = malloc((m->nav + 1) * sizeof *order)) == NULL)
		return vet_error_nomem(err);
	for (i = 0; i < m->nav; i++)
		order[i] = &m->av[i];
	qsort(order, m->nav, sizeof *order, cmp_serve);
	if (vet_match__prune(m) < 0)
		goto nomem;
	for (i = 0; i < m->nav; i++) {
		a = order[i];
		vet_match__search(m, &a->v, 1, 1, &c, &n);
		if (n == 1) {
			a->job = c.job;
			a->score = c.score;
			a->eligible = 1;
			if (--m->room[c.job] == 0) {
				m->nfull++;
				if (vet_match__prune(m) < 0)
					goto nomem;
			}
			continue;
		}
		vet_match__search(m, &a->v, 1, 0, &c, &n);
		a->eligible = n == 1;
	}
	free(order);
	return 0;
nomem:
	free(order);
	return vet_error_nomem(err);
}

size_t
vet_match_alloc_count(const struct vet_match *m)
{
	return m->nav;
}

int
vet_match_alloc_write(struct vet_match *m, size_t i, struct vet_buf *out)
{
	const struct avet *a = &m->av[i];
	char date[11];

	if (a->job >= 0)
		return vet_match__write(m, out, &a->v, a->job, a->score, 0,
		    a->v.priority);
	vet_date_format(m->as_of, date);
	if (vet_buf_addstr(out, "{\"id\":") < 0 ||
	    vet_json_add_string(out, a->v.id, a->v.idlen) < 0 ||
	    vet_buf_addf(out, ",\"job_id\":null,\"priority\":%lld,\"why\":",
	    (long long)a->v.priority) < 0)
		return VET_ENOMEM;
	vet_buf_reset(&m->det);
	if (a->eligible) {
		if (vet_buf_addstr(&m->det, "every eligible post was taken by "
		    "veterans served before") < 0)
			return VET_ENOMEM;
	} else if (vet_buf_addf(&m->det, "no eligible post open on %s",
	    date) < 0)
		return VET_ENOMEM;
	if (vet_json_add_string(out, m->det.data, m->det.len) < 0 ||
	    vet_buf_addstr(out, "}\n") < 0)
		return VET_ENOMEM;
	return 0;
}
