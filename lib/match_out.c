/*
 * match_out.c - the output lines of vet-match: a recommendation (--top) or
 * an allocation, each with the reasons of its score (match.h).  It reads
 * veterans and searches with match.c, which never calls back into it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vet/json.h"
#include "vet/match.h"
#include "vet/record.h"
#include "match_impl.h"

static int
add_name(const struct vet_match *m, struct vet_buf *b, int id)
{
	const char *s;
	size_t n;

	s = vet_match__word(m, id, &n);
	return vet_buf_add(b, s, n);
}

static int
reason(struct vet_buf *out, const char *code, int points,
    const struct vet_buf *det, int first)
{
	if (vet_buf_addf(out, "%s{\"code\":\"%s\",\"points\":%d,\"detail\":",
	    first ? "" : ",", code, points) < 0 ||
	    vet_json_add_string(out, det->data, det->len) < 0 ||
	    vet_buf_addch(out, '}') < 0)
		return VET_ENOMEM;
	return 0;
}

/* The skills reason into d: the required skills the veteran has, or
 * none of them.  0, or negative when d cannot grow. */
static int
why_skills(struct vet_match *m, struct vet_buf *d, const struct vet *v,
    const struct job *j)
{
	int i, hit = 0, first, r = 0, id;

	if (j->nreq == 0)
		return vet_buf_addstr(d, "no skills required");
	for (i = 0; i < j->nreq; i++) {
		id = m->req[j->reqoff + i];
		for (first = 0; first < v->nskills; first++)
			if (v->skills[first] == id)
				break;
		if (first < v->nskills) {
			r |= vet_buf_addstr(d, hit ? ", " : "has ");
			r |= add_name(m, d, id);
			hit++;
		}
	}
	if (hit == 0) {
		r |= vet_buf_addstr(d, "has none of ");
		for (i = 0; i < j->nreq; i++) {
			if (i > 0)
				r |= vet_buf_addstr(d, ", ");
			r |= add_name(m, d, m->req[j->reqoff + i]);
		}
	}
	r |= vet_buf_addf(d, " (%d of %d required)", hit, j->nreq);
	return r;
}

/* The nearby reason into d (part: the score's nearby part). */
static int
why_nearby(struct vet_match *m, struct vet_buf *d, const struct vet *v,
    const struct job *j, int part)
{
	int r = 0;

	if (part == VET_MATCH_W_STREET) {
		r |= vet_buf_addstr(d, "same street ");
		r |= add_name(m, d, j->street);
	} else if (part > 0) {
		r |= vet_buf_addstr(d, j->district == v->district ?
		    "same district " : "desired district ");
		r |= add_name(m, d, j->district);
	} else if (j->district >= 0) {
		r |= vet_buf_addstr(d, "elsewhere: ");
		r |= add_name(m, d, j->district);
	} else
		r |= vet_buf_addstr(d, "district of the post unknown");
	return r;
}

/* The salary reason into d (part: the score's salary part). */
static int
why_salary(struct vet_buf *d, const struct vet *v, const struct job *j,
    int part)
{
	int r = 0;

	if (j->salary < 0)
		return vet_buf_addstr(d, "salary of the post unknown");
	if (v->dsal < 0)
		return vet_buf_addstr(d, "desired_salary unknown");
	r |= vet_json_add_number(d, j->salary);
	r |= vet_buf_addstr(d, part == VET_MATCH_W_SALARY ? " >= desired " :
	    part > 0 ? " is at least 80% of desired " :
	    " is below 80% of desired ");
	r |= vet_json_add_number(d, v->dsal);
	return r;
}

/* The four reasons of a score, in the order of the parts. */
static int
reasons(struct vet_match *m, struct vet_buf *out, const struct vet *v,
    const struct job *j, const int parts[4])
{
	struct vet_buf *d = &m->det;
	int r;

	vet_buf_reset(d);
	if (why_skills(m, d, v, j) < 0 ||
	    vet_buf_addstr(out, ",\"reasons\":[") < 0 ||
	    reason(out, "skills", parts[0], d, 1) < 0)
		return VET_ENOMEM;
	vet_buf_reset(d);
	if (why_nearby(m, d, v, j, parts[1]) < 0 ||
	    reason(out, "nearby", parts[1], d, 0) < 0)
		return VET_ENOMEM;
	vet_buf_reset(d);
	if (j->industry < 0)
		r = vet_buf_addstr(d, "industry of the post unknown");
	else {
		r = add_name(m, d, j->industry);
		r |= vet_buf_addstr(d, parts[2] > 0 ? " is a desired industry" :
		    v->ninds > 0 ? " is not a desired industry" :
		    ": no desired industry known");
	}
	if (r < 0 || reason(out, "industry", parts[2], d, 0) < 0)
		return VET_ENOMEM;
	vet_buf_reset(d);
	if (why_salary(d, v, j, parts[3]) < 0 ||
	    reason(out, "salary", parts[3], d, 0) < 0 ||
	    vet_buf_addch(out, ']') < 0)
		return VET_ENOMEM;
	return 0;
}

/* ,"key":TEXT for item i of t, the raw JSON a post was read with. */
static int
add_raw(struct vet_buf *out, const char *key, const struct itab *t,
    uint32_t i)
{
	if (i == NOTEXT)
		return 0;
	if (vet_buf_addf(out, ",\"%s\":", key) < 0 ||
	    vet_buf_add(out, t->text.data + t->items[i].off,
	    t->items[i].len) < 0)
		return VET_ENOMEM;
	return 0;
}

int
vet_match__write(struct vet_match *m, struct vet_buf *out,
    const struct vet *v, int job, int score, long rank, int64_t priority)
{
	const struct job *j = &m->jobs[job];
	int parts[4];

	vet_match__score(m, v, j, parts);
	if (vet_buf_addstr(out, "{\"id\":") < 0 ||
	    vet_json_add_string(out, v->id, v->idlen) < 0 ||
	    vet_buf_addstr(out, ",\"job_id\":") < 0 ||
	    vet_buf_add(out, m->ids.data + j->rawoff, j->rawlen) < 0)
		return VET_ENOMEM;
	if (rank > 0 && vet_buf_addf(out, ",\"rank\":%ld", rank) < 0)
		return VET_ENOMEM;
	if (vet_buf_addf(out, ",\"score\":%d", score) < 0)
		return VET_ENOMEM;
	if (priority != INT64_MIN && vet_buf_addf(out, ",\"priority\":%lld",
	    (long long)priority) < 0)
		return VET_ENOMEM;
	if (vet_buf_addf(out, ",\"post_type\":\"%s\"",
	    m->post_codes[j->type]) < 0 ||
	    add_raw(out, "title", &m->texts, j->title) < 0 ||
	    add_raw(out, "employer", &m->texts, j->employer) < 0 ||
	    add_raw(out, "district", &m->words, j->district_raw) < 0 ||
	    add_raw(out, "street", &m->words, j->street_raw) < 0 ||
	    add_raw(out, "salary", &m->texts, j->salary_raw) < 0 ||
	    reasons(m, out, v, j, parts) < 0 ||
	    vet_buf_addstr(out, "}\n") < 0)
		return VET_ENOMEM;
	return 0;
}

/* The search of one veteran into m->top. */
static int
top_room(struct vet_match *m, size_t k, struct vet_error *err)
{
	struct cand *t;

	if (k > m->nopen)
		k = m->nopen;
	if (k > m->captop) {
		if ((t = realloc(m->top, k * sizeof *t)) == NULL)
			return vet_error_nomem(err);
		m->top = t;
		m->captop = k;
	}
	return 0;
}

int
vet_match_top(struct vet_match *m, const char *line, size_t n, size_t k,
    struct vet_buf *out, struct vet_error *err)
{
	struct vet v;
	size_t i, nt;
	int rc;

	if ((rc = vet_match__read_veteran(m, line, n, &v, err)) <= 0)
		return rc;
	if (k > m->nopen)
		k = m->nopen;
	if ((rc = top_room(m, k, err)) < 0)
		return rc;
	vet_match__search(m, &v, k, 0, m->top, &nt);
	for (i = 0; i < nt; i++)
		if (vet_match__write(m, out, &v, m->top[i].job,
		    m->top[i].score, (long)i + 1, INT64_MIN) < 0)
			return vet_error_nomem(err);
	return (int)nt;
}

