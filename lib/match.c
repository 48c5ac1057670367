/*
 * match.c - posts held in memory and indexed, veterans read from their
 * classified records, the hard constraints, the score and the top-K search
 * (match.h).  The search never scores all pairs: a veteran's candidates are
 * the posts of its district and desired district and the posts that ask
 * for one of its skills or are in one of its desired industries; every
 * other post scores only its "no skills required" and salary parts, and
 * those are walked in score order from lists sorted once, stopping at the
 * first that cannot enter the top K.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vet/json.h"
#include "vet/match.h"
#include "vet/record.h"
#include "vet/schema.h"
#include "match_impl.h"


/* ---- lifecycle ------------------------------------------------------ */

static int
count(const char *const *codes)
{
	int n = 0;

	while (codes[n] != NULL)
		n++;
	return n;
}

int
vet_match_init(struct vet_match **mp, const struct vet_policy *policy,
    vet_day as_of, struct vet_error *err)
{
	struct vet_match *m;
	int i;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return vet_error_nomem(err);
	m->policy = policy;
	m->as_of = as_of;
	/* The indexes are sized for the schema's levels and post types;
	 * a schema that grew one needs NEDU or NPOST to follow. */
	m->edu_codes = vet_schema_field(VET_KIND_VETERAN, "education")->codes;
	m->post_codes = vet_schema_field(VET_KIND_JOB, "post_type")->codes;
	if (count(m->edu_codes) != NEDU || count(m->post_codes) != NPOST) {
		free(m);
		return vet_error_set(err, VET_EINTERNAL, NULL, 0, 0,
		    "the schema's education levels or post types are not "
		    "the %d and %d vet-match was built for", NEDU, NPOST);
	}
	for (i = 0; i < NEDU; i++)
		m->edu_len[i] = (uint8_t)strlen(m->edu_codes[i]);
	for (i = 0; i < NPOST; i++)
		m->post_len[i] = (uint8_t)strlen(m->post_codes[i]);
	vet_record_init(&m->rec);
	*mp = m;
	return 0;
}

void
vet_match_free(struct vet_match *m)
{
	if (m == NULL)
		return;
	vet_match__itab_free(&m->vocab);
	vet_match__itab_free(&m->words);
	vet_match__itab_free(&m->texts);
	vet_match__itab_free(&m->dates);
	vet_buf_release(&m->ids);
	free(m->idslots);
	free(m->jobs);
	free(m->req);
	vet_match__index_free(&m->ix, 0);
	vet_match__index_free(&m->live, 1);
	free(m->stamp);
	free(m->room);
	vet_record_release(&m->rec);
	vet_buf_release(&m->tmp);
	vet_buf_release(&m->idbuf);
	vet_buf_release(&m->det);
	free(m->vsk);
	free(m->vind);
	free(m->top);
	free(m->av);
	vet_buf_release(&m->idpool);
	free(m->pool);
	free(m);
}

size_t
vet_match_njobs(const struct vet_match *m)
{
	return m->njobs;
}

size_t
vet_match_nopen(const struct vet_match *m)
{
	return m->nopen;
}

/* ---- field helpers -------------------------------------------------- */

static int
bad_type(struct vet_error *err, const char *name, const char *what)
{
	return vet_error_set(err, VET_EDATA, NULL, 0, 0,
	    "field '%s' must be %s", name, what);
}

/* The decoded contents of string field f (into tmp when escaped). */
static int
field_str(struct vet_buf *tmp, const struct vet_field *f, const char *name,
    struct vet_span *out, struct vet_error *err)
{
	if (f->type != VET_JSON_STRING)
		return bad_type(err, name, "a string");
	if (vet_json_string(f->val, tmp, out) < 0)
		return vet_error_nomem(err);
	return 0;
}

static int
field_date(struct vet_buf *tmp, const struct vet_field *f, const char *name,
    vet_day *out, struct vet_error *err)
{
	struct vet_span s;
	int rc;

	if ((rc = field_str(tmp, f, name, &s, err)) < 0)
		return rc;
	if (vet_date_parse(s.p, s.n, out) < 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field '%s' is not a date (YYYY-MM-DD)", name);
	return 0;
}

static int
field_int(const struct vet_field *f, const char *name, int64_t *out,
    struct vet_error *err)
{
	if (f->type != VET_JSON_NUMBER || vet_json_int(f->val, out) < 0)
		return bad_type(err, name, "an integer");
	return 0;
}

static int
field_num(const struct vet_field *f, const char *name, double *out,
    struct vet_error *err)
{
	if (f->type != VET_JSON_NUMBER || vet_json_number(f->val, out) < 0)
		return bad_type(err, name, "a number");
	return 0;
}

static int
field_enum(struct vet_buf *tmp, const struct vet_field *f, const char *name,
    const char *const *codes, int ncodes, int *out, struct vet_error *err)
{
	struct vet_span s;
	int i, rc;

	if ((rc = field_str(tmp, f, name, &s, err)) < 0)
		return rc;
	for (i = 0; i < ncodes; i++)
		if (strlen(codes[i]) == s.n && memcmp(codes[i], s.p, s.n) == 0) {
			*out = i;
			return 0;
		}
	return vet_error_set(err, VET_EDATA, NULL, 0, 0,
	    "unknown value in field '%s'", name);
}

static int
key_is(const struct vet_field *f, const char *k)
{
	size_t n = strlen(k);

	return f->key.n == n && memcmp(f->key.p, k, n) == 0 &&
	    !f->key_escaped;
}

static int
parse_error(const struct vet_error *perr, struct vet_error *err)
{
	if (err != NULL && err != perr)
		*err = *perr;
	return perr->status;
}

/* ---- posts ---------------------------------------------------------- */

/*
 * The general reader of a job line: any valid JSON, with the errors of
 * SPEC 2.2.  A plain line never comes here (vet_match__fast_job() in
 * match_load.c keeps it the same way, faster); this one decides the rest.
 */

/* A job's text field kept as a vocabulary word: district, street or
 * industry; the raw text, for the output, in m->words. */
static int
job_word(struct vet_match *m, struct job *j, const struct vet_field *f,
    const char *name, struct vet_error *err)
{
	struct vet_span s;
	uint32_t raw;
	int32_t v;
	int rc;

	if ((rc = field_str(&m->tmp, f, name, &s, err)) < 0)
		return rc;
	if (vet_match__vocab_put(m, s.p, s.n, &v) < 0 ||
	    vet_match__intern(&m->words, f->val.p, f->val.n, v, &raw) < 0)
		return VET_ENOMEM;
	if (name[0] == 'd') {
		j->district = v;
		j->district_raw = raw;
	} else if (name[0] == 's') {
		j->street = v;
		j->street_raw = raw;
	} else
		j->industry = v;
	return 0;
}

/* A job's required skills, each once, appended to m->req. */
static int
job_skills(struct vet_match *m, struct job *j, const struct vet_field *f,
    struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span s, el;
	size_t k;
	int32_t v;

	if (f->type != VET_JSON_ARRAY)
		return bad_type(err, "required_skills", "an array of strings");
	vet_json_iter_init(&it, f->val);
	while (vet_json_iter_next(&it, NULL, &el)) {
		if (vet_json_type_of(el) != VET_JSON_STRING)
			return bad_type(err, "required_skills",
			    "an array of strings");
		if (vet_json_string(el, &m->tmp, &s) < 0 ||
		    vet_match__vocab_put(m, s.p, s.n, &v) < 0)
			return VET_ENOMEM;
		/* A skill named twice counts once. */
		for (k = j->reqoff; k < m->nreq; k++)
			if (m->req[k] == v)
				break;
		if (k == m->nreq && vet_match__push_req(m, v) < 0)
			return VET_ENOMEM;
	}
	j->nreq = (int32_t)(m->nreq - j->reqoff);
	return 0;
}

static int
job_text(struct vet_match *m, const struct vet_field *f, const char *name,
    uint32_t *item, struct vet_error *err)
{
	if (f->type != VET_JSON_STRING)
		return bad_type(err, name, "a string");
	return vet_match__intern(&m->texts, f->val.p, f->val.n, 0, item) < 0 ?
	    VET_ENOMEM : 0;
}

static int
job_field(struct vet_match *m, struct job *j, const struct vet_field *f,
    vet_day *posted, vet_day *expires, struct vet_error *err)
{
	int64_t i64;
	int rc, e;

	if (f->type == VET_JSON_NULL)
		return 0;
	if (key_is(f, "title"))
		return job_text(m, f, "title", &j->title, err);
	else if (key_is(f, "employer"))
		return job_text(m, f, "employer", &j->employer, err);
	else if (key_is(f, "district"))
		return job_word(m, j, f, "district", err);
	else if (key_is(f, "street"))
		return job_word(m, j, f, "street", err);
	else if (key_is(f, "industry"))
		return job_word(m, j, f, "industry", err);
	else if (key_is(f, "openings")) {
		if ((rc = field_int(f, "openings", &j->openings, err)) < 0)
			return rc;
		if (j->openings < 0)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "field 'openings' must not be negative");
	} else if (key_is(f, "min_education")) {
		if ((rc = field_enum(&m->tmp, f, "min_education",
		    m->edu_codes, NEDU, &e, err)) == 0)
			j->min_edu = (int8_t)e;
		return rc;
	} else if (key_is(f, "post_type")) {
		if ((rc = field_enum(&m->tmp, f, "post_type", m->post_codes,
		    NPOST, &e, err)) == 0)
			j->type = (uint8_t)e;
		return rc;
	} else if (key_is(f, "max_age")) {
		if ((rc = field_int(f, "max_age", &i64, err)) < 0)
			return rc;
		if (i64 < 0 || i64 > 200)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "field 'max_age' out of range");
		j->max_age = (int16_t)i64;
	} else if (key_is(f, "salary")) {
		if ((rc = field_num(f, "salary", &j->salary, err)) < 0)
			return rc;
		if (j->salary < 0)
			return vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "field 'salary' must not be negative");
		if (vet_match__intern(&m->texts, f->val.p, f->val.n, 0,
		    &j->salary_raw) < 0)
			return VET_ENOMEM;
	} else if (key_is(f, "posted_date")) {
		return field_date(&m->tmp, f, "posted_date", posted, err);
	} else if (key_is(f, "expires_date")) {
		return field_date(&m->tmp, f, "expires_date", expires, err);
	} else if (key_is(f, "required_skills"))
		return job_skills(m, j, f, err);
	return 0;
}

/* The job_id of a line whose fields are good; 0 or a status. */
static int
job_id(struct vet_match *m, struct job *j, const struct vet_field *idf,
    struct vet_error *err)
{
	struct vet_span s;
	int rc;

	if (idf == NULL || idf->type == VET_JSON_NULL)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing 'job_id'");
	if ((rc = field_str(&m->tmp, idf, "job_id", &s, err)) < 0)
		return rc;
	if (s.n == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "field 'job_id' is empty");
	if ((rc = vet_match__job_commit(m, j, idf->val, s)) < 0)
		return vet_error_nomem(err);
	if (rc > 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "duplicate job_id");
	return 0;
}

int
vet_match_add_job(struct vet_match *m, const char *line, size_t n,
    struct vet_error *err)
{
	struct vet_error perr;
	struct vet_match__mark mark;
	struct job j;
	const struct vet_field *f, *idf = NULL;
	vet_day posted = INT32_MIN, expires = INT32_MAX;
	size_t i;
	int rc;

	if (m->indexed)
		return vet_error_set(err, VET_EINTERNAL, NULL, 0, 0,
		    "post added after indexing");
	vet_match__mark(m, &mark);
	if ((rc = vet_match__fast_job(m, line, n)) != 0)
		return rc > 0 ? 0 : vet_error_nomem(err);
	vet_match__undo(m, &mark);
	vet_error_clear(&perr);
	if (vet_record_parse(&m->rec, line, n, &perr) < 0)
		return parse_error(&perr, err);
	vet_match__job_init(m, &j);
	for (i = 0; i < m->rec.n; i++) {
		f = &m->rec.fields[i];
		if (key_is(f, "job_id")) {
			if (idf == NULL)
				idf = f;
			continue;
		}
		if ((rc = job_field(m, &j, f, &posted, &expires, err)) < 0)
			goto fail;
	}
	j.nreq = (int32_t)(m->nreq - j.reqoff);
	j.open = j.openings > 0 && posted <= m->as_of && m->as_of <= expires;
	if ((rc = job_id(m, &j, idf, err)) < 0)
		goto fail;
	return 0;
fail:
	m->nreq = j.reqoff;
	vet_match__undo(m, &mark);
	if (rc == VET_ENOMEM)
		vet_error_nomem(err);
	return rc;
}

/* ---- indexes -------------------------------------------------------- */

/* Builds list k = the open posts j with key(j) containing k, each list
 * in the order of ord (the open posts in ranking order). */
static int
csr_build(struct vet_match *m, struct csr *c, size_t nkeys,
    const uint32_t *ord, size_t nord,
    int (*keys)(const struct vet_match *, const struct job *,
    const int32_t **))
{
	const int32_t *ks;
	size_t i, total = 0, *fill;
	int nk, a;

	c->nkeys = nkeys;
	if ((c->start = calloc(nkeys + 1, sizeof *c->start)) == NULL)
		return VET_ENOMEM;
	c->end = c->start + 1;
	for (i = 0; i < nord; i++) {
		nk = keys(m, &m->jobs[ord[i]], &ks);
		for (a = 0; a < nk; a++)
			c->start[ks[a] + 1]++;
	}
	for (i = 0; i < nkeys; i++)
		c->start[i + 1] += c->start[i];
	total = c->start[nkeys];
	if ((c->items = malloc((total ? total : 1) * sizeof *c->items)) ==
	    NULL || (fill = malloc((nkeys + 1) * sizeof *fill)) == NULL)
		return VET_ENOMEM;
	memcpy(fill, c->start, (nkeys + 1) * sizeof *fill);
	for (i = 0; i < nord; i++) {
		nk = keys(m, &m->jobs[ord[i]], &ks);
		for (a = 0; a < nk; a++)
			c->items[fill[ks[a]]++] = (int)ord[i];
	}
	free(fill);
	return 0;
}

static int
key_district(const struct vet_match *m, const struct job *j,
    const int32_t **ks)
{
	*ks = &j->district;
	return j->district >= 0;
}

static int
key_industry(const struct vet_match *m, const struct job *j,
    const int32_t **ks)
{
	*ks = &j->industry;
	return j->industry >= 0;
}

static int
key_skills(const struct vet_match *m, const struct job *j,
    const int32_t **ks)
{
	*ks = m->req + j->reqoff;
	return j->nreq;
}

static const struct vet_match *sort_m;

/* job_id ascending, byte order. */
static int
cmp_id(const void *pa, const void *pb)
{
	const struct job *a = &sort_m->jobs[*(const uint32_t *)pa];
	const struct job *b = &sort_m->jobs[*(const uint32_t *)pb];
	size_t n = a->idlen < b->idlen ? a->idlen : b->idlen;
	int c;

	if ((c = memcmp(vet_match__id(sort_m, a), vet_match__id(sort_m, b),
	    n)) != 0)
		return c;
	return a->idlen < b->idlen ? -1 : a->idlen > b->idlen;
}

/* Salary descending with unknown last, as an unsigned key ascending; 0
 * and -0 are one salary. */
static uint64_t
salary_key(double s)
{
	uint64_t b;

	if (s < 0)
		return UINT64_MAX;
	if (s == 0)
		s = 0;
	memcpy(&b, &s, sizeof b);
	return (UINT64_C(1) << 63) - 1 - b;
}

/*
 * Sorts ord (n open posts by job_id) by salary, stably: a radix sort a
 * byte at a time, passing over the bytes every salary shares (the low
 * ones of whole numbers), so a million posts sort in a few passes.
 */
/* The same order for a few posts, by insertion: the radix sort's
 * histograms are 16 KiB to clear. */
static void
sort_salary_few(const struct vet_match *m, uint32_t *ord, size_t n)
{
	size_t i, j;
	uint32_t v;
	uint64_t k;

	for (i = 1; i < n; i++) {
		v = ord[i];
		k = salary_key(m->jobs[v].salary);
		for (j = i; j > 0 &&
		    salary_key(m->jobs[ord[j - 1]].salary) > k; j--)
			ord[j] = ord[j - 1];
		ord[j] = v;
	}
}

static int
sort_salary(const struct vet_match *m, uint32_t *ord, size_t n)
{
	size_t (*hist)[256], i, sum, t;
	uint32_t *tmp, *src = ord, *dst;
	uint64_t k;
	int d;

	if (n <= 32) {
		sort_salary_few(m, ord, n);
		return 0;
	}
	if ((hist = calloc(8, sizeof *hist)) == NULL ||
	    (tmp = malloc((n + 1) * sizeof *tmp)) == NULL) {
		free(hist);
		return VET_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		k = salary_key(m->jobs[ord[i]].salary);
		for (d = 0; d < 8; d++)
			hist[d][(k >> (8 * d)) & 0xff]++;
	}
	dst = tmp;
	for (d = 0; d < 8; d++) {
		k = salary_key(m->jobs[ord[0]].salary);
		if (hist[d][(k >> (8 * d)) & 0xff] == n)
			continue;
		for (i = sum = 0; i < 256; i++) {
			t = hist[d][i];
			hist[d][i] = sum;
			sum += t;
		}
		for (i = 0; i < n; i++) {
			k = salary_key(m->jobs[src[i]].salary);
			dst[hist[d][(k >> (8 * d)) & 0xff]++] = src[i];
		}
		dst = src;
		src = src == ord ? tmp : ord;
	}
	if (src != ord)
		memcpy(ord, src, n * sizeof *ord);
	free(tmp);
	free(hist);
	return 0;
}

/*
 * The open posts in ranking order: salary descending (unknown last),
 * then job_id ascending; each post's rank is its place, so that a tie of
 * scores is one comparison.  Job files come sorted by job_id more often
 * than not, and then the first sort is a check.
 */
static int
rank_posts(struct vet_match *m, uint32_t **ordp, size_t *np)
{
	uint32_t *ord;
	size_t i, n = 0;
	int sorted = 1;

	*ordp = NULL;
	if ((ord = malloc((m->nopen + 1) * sizeof *ord)) == NULL)
		return VET_ENOMEM;
	sort_m = m;
	for (i = 0; i < m->njobs; i++)
		if (m->jobs[i].open) {
			ord[n] = (uint32_t)i;
			if (n > 0 && sorted && cmp_id(&ord[n - 1], &ord[n]) > 0)
				sorted = 0;
			n++;
		}
	if (!sorted)
		qsort(ord, n, sizeof *ord, cmp_id);
	if (n > 0 && sort_salary(m, ord, n) < 0) {
		free(ord);
		return VET_ENOMEM;
	}
	for (i = 0; i < n; i++)
		m->jobs[ord[i]].rank = (uint32_t)i;
	*ordp = ord;
	*np = n;
	return 0;
}

int
vet_match_index(struct vet_match *m, struct vet_error *err)
{
	size_t i, n, nv = m->vocab.n;
	uint32_t *ord = NULL;
	struct job *j;
	int a, l;

	if (m->indexed)
		return 0;
	m->indexed = 1;
	if (rank_posts(m, &ord, &n) < 0)
		goto nomem;
	/* Every list in ranking order: vet_match__search() stops walking
	 * a district list or a stream at the first post that cannot enter
	 * the top. */
	if (csr_build(m, &m->ix.by_district, nv, ord, n, key_district) < 0 ||
	    csr_build(m, &m->ix.by_industry, nv, ord, n, key_industry) < 0 ||
	    csr_build(m, &m->ix.by_skill, nv, ord, n, key_skills) < 0)
		goto nomem;
	/* A post of level l goes into the lists of levels l and above. */
	for (i = 0; i < n; i++) {
		j = &m->jobs[ord[i]];
		for (l = j->min_edu + 1; l < NLEVEL; l++)
			m->ix.nstream[j->nreq == 0][l]++;
	}
	for (a = 0; a < 2; a++)
		for (l = 0; l < NLEVEL; l++) {
			if ((m->ix.stream[a][l] = malloc(
			    (m->ix.nstream[a][l] + 1) * sizeof(int))) == NULL)
				goto nomem;
			m->ix.nstream[a][l] = 0;
		}
	for (i = 0; i < n; i++) {
		j = &m->jobs[ord[i]];
		a = j->nreq == 0;
		for (l = j->min_edu + 1; l < NLEVEL; l++)
			m->ix.stream[a][l][m->ix.nstream[a][l]++] = (int)ord[i];
	}
	free(ord);
	ord = NULL;
	if ((m->stamp = calloc(m->njobs + 1, sizeof *m->stamp)) == NULL ||
	    (m->room = calloc(m->njobs + 1, sizeof *m->room)) == NULL)
		goto nomem;
	for (i = 0; i < m->njobs; i++)
		m->room[i] = m->jobs[i].open ? m->jobs[i].openings : 0;
	return 0;
nomem:
	free(ord);
	return vet_error_nomem(err);
}

void
vet_match__index_free(struct index *x, int copy)
{
	int a, l;

	free(x->by_district.start);
	free(x->by_district.items);
	free(x->by_skill.start);
	free(x->by_skill.items);
	free(x->by_industry.start);
	free(x->by_industry.items);
	if (copy) {
		free(x->by_district.end);
		free(x->by_skill.end);
		free(x->by_industry.end);
	}
	for (a = 0; a < 2; a++)
		for (l = 0; l < NLEVEL; l++)
			free(x->stream[a][l]);
	memset(x, 0, sizeof *x);
}

/* Copies c into d keeping only the posts with room. */
static int
csr_prune(const struct vet_match *m, const struct csr *c, struct csr *d)
{
	size_t k, i, n = 0;

	if (d->start == NULL) {
		d->nkeys = c->nkeys;
		if ((d->start = malloc((c->nkeys + 1) * sizeof *d->start)) ==
		    NULL || (d->end = malloc((c->nkeys + 1) *
		    sizeof *d->end)) == NULL || (d->items = malloc(
		    (c->start[c->nkeys] + 1) * sizeof *d->items)) == NULL)
			return VET_ENOMEM;
	}
	/* In place when d already holds a pruned copy: n never passes i. */
	for (k = 0; k < c->nkeys; k++) {
		i = c->start[k];
		d->start[k] = n;
		for (; i < c->end[k]; i++)
			if (m->room[c->items[i]] > 0)
				d->items[n++] = c->items[i];
		d->end[k] = n;
	}
	return 0;
}

/*
 * --allocate fills posts, and a search that needs room would step over
 * the full ones again and again; so the live copy of the indexes drops
 * them whenever an eighth of its posts has filled since it was made.
 */
int
vet_match__prune(struct vet_match *m)
{
	struct index *src = m->has_live ? &m->live : &m->ix;
	size_t i, n;
	int a, l;

	if (m->has_live && m->nfull * 8 < m->nlive)
		return 0;
	if (csr_prune(m, &src->by_district, &m->live.by_district) < 0 ||
	    csr_prune(m, &src->by_skill, &m->live.by_skill) < 0 ||
	    csr_prune(m, &src->by_industry, &m->live.by_industry) < 0)
		return VET_ENOMEM;
	for (a = 0; a < 2; a++)
		for (l = 0; l < NLEVEL; l++) {
			if (!m->has_live && (m->live.stream[a][l] = malloc(
			    (m->ix.nstream[a][l] + 1) * sizeof(int))) == NULL)
				return VET_ENOMEM;
			for (i = n = 0; i < src->nstream[a][l]; i++)
				if (m->room[src->stream[a][l][i]] > 0)
					m->live.stream[a][l][n++] =
					    src->stream[a][l][i];
			m->live.nstream[a][l] = n;
		}
	m->has_live = 1;
	m->nfull = 0;
	for (i = m->nlive = 0; i < m->njobs; i++)
		m->nlive += m->room[i] > 0;
	return 0;
}

/* ---- constraints and score ------------------------------------------ */

static int
eligible(const struct vet *v, const struct job *j)
{
	if (!j->open)
		return 0;
	if (j->min_edu >= 0 && (v->edu < 0 || v->edu < j->min_edu))
		return 0;
	if (j->max_age >= 0 && (v->age < 0 || v->age > j->max_age))
		return 0;
	if (j->type == POST_WELFARE && !v->welfare_ok)
		return 0;
	if (j->type == POST_DEDICATED && !v->in_scope)
		return 0;
	return 1;
}

static int
has_id(const int *a, int n, int x)
{
	int i;

	for (i = 0; i < n; i++)
		if (a[i] == x)
			return 1;
	return 0;
}

int
vet_match__eligible(const struct vet *v, const struct job *j)
{
	return eligible(v, j);
}

int
vet_match__score(const struct vet_match *m, const struct vet *v,
    const struct job *j, int parts[4])
{
	int i, hit = 0;

	if (j->nreq == 0)
		parts[0] = VET_MATCH_W_NO_SKILLS;
	else {
		for (i = 0; i < j->nreq; i++)
			hit += has_id(v->skills, v->nskills,
			    m->req[j->reqoff + i]);
		parts[0] = VET_MATCH_W_SKILLS * hit / j->nreq;
	}
	if (j->district >= 0 && j->district == v->district)
		parts[1] = j->street >= 0 && j->street == v->street ?
		    VET_MATCH_W_STREET : VET_MATCH_W_DISTRICT;
	else if (j->district >= 0 && j->district == v->desired)
		parts[1] = VET_MATCH_W_DISTRICT;
	else
		parts[1] = 0;
	parts[2] = j->industry >= 0 && has_id(v->inds, v->ninds,
	    j->industry) ? VET_MATCH_W_INDUSTRY : 0;
	if (j->salary < 0 || v->dsal < 0)
		parts[3] = 0;
	else if (j->salary >= v->dsal)
		parts[3] = VET_MATCH_W_SALARY;
	else if (j->salary * 10 >= v->dsal * 8)
		parts[3] = VET_MATCH_W_SALARY_NEAR;
	else
		parts[3] = 0;
	return parts[0] + parts[1] + parts[2] + parts[3];
}

/* ---- search --------------------------------------------------------- */

/* True when candidate a ranks before b. */
static int
before(const struct vet_match *m, int ja, int sa, int jb, int sb)
{
	if (sa != sb)
		return sa > sb;
	return m->jobs[ja].rank < m->jobs[jb].rank;
}

/* Inserts into the sorted top (n of at most k). */
static void
top_insert(const struct vet_match *m, struct cand *top, size_t *n, size_t k,
    int job, int score)
{
	size_t i;

	if (*n == k && !before(m, job, score, top[k - 1].job,
	    top[k - 1].score))
		return;
	i = *n < k ? (*n)++ : k - 1;
	while (i > 0 && before(m, job, score, top[i - 1].job,
	    top[i - 1].score)) {
		top[i] = top[i - 1];
		i--;
	}
	top[i].job = job;
	top[i].score = score;
}

/* The salary part of the score of post j for veteran v. */
static int
salary_part(const struct vet *v, const struct job *j)
{
	if (j->salary < 0 || v->dsal < 0)
		return 0;
	return j->salary >= v->dsal ? VET_MATCH_W_SALARY :
	    j->salary * 10 >= v->dsal * 8 ? VET_MATCH_W_SALARY_NEAR : 0;
}

/*
 * Scores the posts of one index list not seen yet.  A district list
 * (district set) comes after the skill and industry lists: a post not seen
 * yet shares no skill and no desired industry with the veteran, so it
 * scores at most its "no skills required" part, 30 for being near and
 * its salary part.  The list is in ranking order (salary descending,
 * then job_id), along which that bound with the no-skills part taken as
 * 20 never rises: the first post whose bound cannot enter a full top ends
 * the walk, and one whose own bound cannot is passed over unscored.  A
 * post left unseen scores no more in the walk of the streams, so it does
 * not enter there either.  A district office whose every post is in its
 * own district would otherwise score nearly all pairs.
 */
static void
scan_list(struct vet_match *m, const struct vet *v, const struct csr *c,
    int key, int need_room, int district, struct cand *top, size_t *n,
    size_t k)
{
	const struct job *jb;
	size_t i;
	int j, sal, parts[4];

	if (key < 0)
		return;
	for (i = c->start[key]; i < c->end[key]; i++) {
		j = c->items[i];
		if (m->stamp[j] == m->cur)
			continue;
		jb = &m->jobs[j];
		if (district && *n == k) {
			sal = salary_part(v, jb) + VET_MATCH_W_STREET;
			if (!before(m, j, sal + VET_MATCH_W_NO_SKILLS,
			    top[k - 1].job, top[k - 1].score))
				return;
			if (jb->nreq > 0 && !before(m, j, sal, top[k - 1].job,
			    top[k - 1].score)) {
				m->stamp[j] = m->cur;
				continue;
			}
		}
		m->stamp[j] = m->cur;
		if (!eligible(v, jb) || (need_room && m->room[j] <= 0))
			continue;
		top_insert(m, top, n, k, j, vet_match__score(m, v, jb, parts));
	}
}

int
vet_match__search(struct vet_match *m, const struct vet *v, size_t k,
    int need_room, struct cand *top, size_t *ntop)
{
	const struct index *x = need_room && m->has_live ? &m->live : &m->ix;
	size_t p, n = 0;
	int a, l, j, s, i;

	*ntop = 0;
	if (k == 0 || m->nopen == 0)
		return 0;
	if (++m->cur == 0) {
		memset(m->stamp, 0, (m->njobs + 1) * sizeof *m->stamp);
		m->cur = 1;
	}
	for (i = 0; i < v->nskills; i++)
		scan_list(m, v, &x->by_skill, v->skills[i], need_room, 0, top,
		    &n, k);
	for (i = 0; i < v->ninds; i++)
		scan_list(m, v, &x->by_industry, v->inds[i], need_room, 0, top,
		    &n, k);
	scan_list(m, v, &x->by_district, v->district, need_room, 1, top, &n,
	    k);
	scan_list(m, v, &x->by_district, v->desired, need_room, 1, top, &n,
	    k);
	/*
	 * Every post not seen yet is elsewhere, in no desired industry and
	 * shares no skill with the veteran: its score is its "no skills
	 * required" part plus its salary part.  Posts with no required
	 * skills score at least 20, the others at most 15, so the first
	 * stream comes wholly before the second, and within a stream the
	 * order salary descending, job_id ascending is the ranking order:
	 * the first post that cannot enter the top ends the search.
	 */
	l = v->edu < 0 ? 0 : v->edu + 1;
	for (a = 1; a >= 0; a--) {
		for (p = 0; p < x->nstream[a][l]; p++) {
			j = x->stream[a][l][p];
			if (m->stamp[j] == m->cur)
				continue;
			if (!eligible(v, &m->jobs[j]) ||
			    (need_room && m->room[j] <= 0))
				continue;
			s = (a ? VET_MATCH_W_NO_SKILLS : 0);
			if (m->jobs[j].salary >= 0 && v->dsal >= 0)
				s += m->jobs[j].salary >= v->dsal ?
				    VET_MATCH_W_SALARY :
				    m->jobs[j].salary * 10 >= v->dsal * 8 ?
				    VET_MATCH_W_SALARY_NEAR : 0;
			if (n == k && !before(m, j, s, top[k - 1].job,
			    top[k - 1].score))
				goto done;
			top_insert(m, top, &n, k, j, s);
		}
	}
done:
	*ntop = n;
	return 0;
}

/* ---- veterans ------------------------------------------------------- */

static int
push_int(int **a, size_t *cap, int n, int v)
{
	int *p;
	size_t c;

	if ((size_t)n == *cap) {
		c = *cap ? *cap * 2 : 16;
		if ((p = realloc(*a, c * sizeof *p)) == NULL)
			return VET_ENOMEM;
		*a = p;
		*cap = c;
	}
	(*a)[n] = v;
	return 0;
}

/* Appends id to a[0 .. *n) unless present. */
static int
add_id(int **a, size_t *cap, int *n, int id)
{
	if (id < 0 || has_id(*a, *n, id))
		return 0;
	if (push_int(a, cap, *n, id) < 0)
		return VET_ENOMEM;
	(*n)++;
	return 0;
}

/*
 * Appends the vocabulary ids of an array of strings field to *a.  With
 * cert, a string also certifies every skill it starts with when a
 * parenthesis, ASCII or full-width, follows the skill's name (spaces
 * between them ignored): "电工(四级)" and "电工（四级）" certify 电工, and
 * "焊工(氩弧焊)(四级)" certifies both 焊工 and 焊工(氩弧焊).
 */
static int
read_ids(struct vet_match *m, const struct vet_field *f, const char *name,
    int cert, int **a, size_t *cap, int *n, struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span el, s;
	size_t i, cut;

	if (f->type == VET_JSON_NULL)
		return 0;
	if (f->type != VET_JSON_ARRAY)
		return bad_type(err, name, "an array of strings");
	vet_json_iter_init(&it, f->val);
	while (vet_json_iter_next(&it, NULL, &el)) {
		if (vet_json_type_of(el) != VET_JSON_STRING)
			return bad_type(err, name, "an array of strings");
		if (vet_json_string(el, &m->tmp, &s) < 0)
			goto nomem;
		if (add_id(a, cap, n, vet_match__find(&m->vocab, s.p, s.n)) < 0)
			goto nomem;
		for (i = 0; cert && i < s.n; i++) {
			if (s.p[i] != '(' && (i + 3 > s.n ||
			    memcmp(s.p + i, "\xef\xbc\x88", 3) != 0))
				continue;
			for (cut = i; cut > 0 && s.p[cut - 1] == ' '; cut--)
				;
			if (cut > 0 && add_id(a, cap, n,
			    vet_match__find(&m->vocab, s.p, cut)) < 0)
				goto nomem;
		}
	}
	return 0;
nomem:
	return vet_error_nomem(err);
}

static int
read_vocab(struct vet_match *m, const struct vet_field *f, const char *name,
    int *out, struct vet_error *err)
{
	struct vet_span s;
	int rc;

	if (f->type == VET_JSON_NULL)
		return 0;
	if ((rc = field_str(&m->tmp, f, name, &s, err)) < 0)
		return rc;
	*out = vet_match__find(&m->vocab, s.p, s.n);
	return 0;
}

static int
category_priority(const struct vet_match *m, struct vet_span code,
    int64_t *prio)
{
	size_t i, n = m->policy ? vet_policy_ncategories(m->policy) : 0;

	for (i = 0; i < n; i++)
		if (vet_json_string_eq(code, vet_policy_category(m->policy, i)))
		{
			if (vet_policy_category_priority(m->policy, i) < *prio)
				*prio = vet_policy_category_priority(m->policy,
				    i);
			return 1;
		}
	return 0;
}

/* True when the JSON string el is one of the NULL-terminated codes. */
static int
is_one_of(struct vet_span el, const char *const *codes)
{
	for (; *codes != NULL; codes++)
		if (vet_json_string_eq(el, *codes))
			return 1;
	return 0;
}

/*
 * Parses a classified veteran line into v (strings in m's per-record
 * buffers).  Returns 1 when matched, 0 when not, VET_EDATA, VET_ENOMEM.
 */
/* The fields of a veteran that decide whether it is matched at all. */
struct vkeys {
	const struct vet_field *id, *cats, *need, *status, *prio;
};

static void
find_keys(const struct vet_record *rec, struct vkeys *k)
{
	const struct vet_field *f;
	size_t i;

	memset(k, 0, sizeof *k);
	for (i = 0; i < rec->n; i++) {
		f = &rec->fields[i];
		if (k->id == NULL && key_is(f, "id"))
			k->id = f;
		else if (k->cats == NULL && key_is(f, "categories"))
			k->cats = f;
		else if (k->need == NULL && key_is(f, vet_schema_match_need))
			k->need = f;
		else if (k->status == NULL && key_is(f,
		    vet_schema_match_status))
			k->status = f;
		else if (k->prio == NULL && key_is(f, "priority"))
			k->prio = f;
	}
}

/* The categories of v: in scope, hard to place, welfare posts allowed,
 * and the smallest priority of them (*catprio). */
static int
read_categories(struct vet_match *m, const struct vet_field *cats,
    struct vet *v, int64_t *catprio, struct vet_error *err)
{
	struct vet_json_iter it;
	struct vet_span el;
	int excluded = 0;

	if (cats == NULL || cats->type != VET_JSON_ARRAY)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    cats == NULL || cats->type == VET_JSON_NULL ?
		    "record is not classified: no 'categories' (run "
		    "vet-classify first)" : "field 'categories' must be an "
		    "array of strings");
	vet_json_iter_init(&it, cats->val);
	while (vet_json_iter_next(&it, NULL, &el)) {
		if (vet_json_type_of(el) != VET_JSON_STRING)
			return bad_type(err, "categories",
			    "an array of strings");
		if (is_one_of(el, vet_schema_match_not))
			excluded = 1;
		else if (vet_json_string_eq(el, "hard_to_place"))
			v->hard = v->welfare_ok = 1;
		else if (vet_json_string_eq(el, "employment_difficulty"))
			v->welfare_ok = 1;
		category_priority(m, el, catprio);
	}
	v->in_scope = !excluded;
	return 0;
}

/* One field of a matched veteran that the constraints and the score
 * use; others are let be.  0 or a status. */
static int
read_fact(struct vet_match *m, const struct vet_field *f, struct vet *v,
    int *nsk, int *nind, struct vet_error *err)
{
	int rc = 0, e;

	if (key_is(f, "education")) {
		rc = field_enum(&m->tmp, f, "education", m->edu_codes, NEDU,
		    &e, err);
		v->edu = e;
	} else if (key_is(f, "age")) {
		rc = field_int(f, "age", &v->age, err);
		if (rc == 0 && v->age < 0)
			rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "field 'age' must not be negative");
	} else if (key_is(f, "district"))
		rc = read_vocab(m, f, "district", &v->district, err);
	else if (key_is(f, "street"))
		rc = read_vocab(m, f, "street", &v->street, err);
	else if (key_is(f, "desired_district"))
		rc = read_vocab(m, f, "desired_district", &v->desired, err);
	else if (key_is(f, "skills"))
		rc = read_ids(m, f, "skills", 0, &m->vsk, &m->capvsk, nsk,
		    err);
	else if (key_is(f, "certificates"))
		rc = read_ids(m, f, "certificates", 1, &m->vsk, &m->capvsk,
		    nsk, err);
	else if (key_is(f, "desired_industries"))
		rc = read_ids(m, f, "desired_industries", 0, &m->vind,
		    &m->capvind, nind, err);
	else if (key_is(f, "desired_salary")) {
		rc = field_num(f, "desired_salary", &v->dsal, err);
		if (rc == 0 && v->dsal < 0)
			rc = vet_error_set(err, VET_EDATA, NULL, 0, 0,
			    "field 'desired_salary' must not be negative");
	} else if (key_is(f, "assisted_since"))
		rc = field_date(&m->tmp, f, "assisted_since", &v->assisted,
		    err);
	return rc;
}

/* A matched veteran: what the constraints and the score use. */
static int
read_matched(struct vet_match *m, const struct vet_field *prio,
    int64_t catprio, struct vet *v, struct vet_error *err)
{
	const struct vet_field *f;
	int nsk = 0, nind = 0, rc;
	size_t i;

	v->edu = -1;
	v->age = -1;
	v->district = v->street = v->desired = -1;
	v->dsal = -1;
	v->assisted = INT32_MAX;
	/* SPEC: the smallest priority of the categories; 5 for a veteran in
	 * scope with a need and unemployed (every matched one) that has no
	 * category of priority 1 to 4. */
	v->priority = catprio <= 4 ? catprio : 5;
	if (prio != NULL && prio->type != VET_JSON_NULL &&
	    (rc = field_int(prio, "priority", &v->priority, err)) < 0)
		return rc;
	for (i = 0; i < m->rec.n; i++) {
		f = &m->rec.fields[i];
		if (f->type == VET_JSON_NULL || f->key_escaped)
			continue;
		if ((rc = read_fact(m, f, v, &nsk, &nind, err)) < 0)
			return rc;
	}
	v->skills = m->vsk;
	v->nskills = nsk;
	v->inds = m->vind;
	v->ninds = nind;
	return 1;
}

int
vet_match__read_veteran(struct vet_match *m, const char *line, size_t n,
    struct vet *v, struct vet_error *err)
{
	struct vet_error perr;
	struct vkeys k;
	struct vet_span s;
	int64_t catprio = 9;
	int rc;

	vet_error_clear(&perr);
	if (vet_record_parse(&m->rec, line, n, &perr) < 0 ||
	    vet_record_once(&m->rec, "id", line, &perr) < 0)
		return parse_error(&perr, err);
	find_keys(&m->rec, &k);
	memset(v, 0, sizeof *v);
	if (k.id == NULL || k.id->type == VET_JSON_NULL)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "missing 'id'");
	if ((rc = field_str(&m->tmp, k.id, "id", &s, err)) < 0)
		return rc;
	vet_buf_reset(&m->idbuf);
	if (vet_buf_add(&m->idbuf, s.p, s.n) < 0)
		return vet_error_nomem(err);
	v->id = m->idbuf.data;
	v->idlen = s.n;
	if ((rc = read_categories(m, k.cats, v, &catprio, err)) < 0)
		return rc;
	if (k.need != NULL && k.need->type != VET_JSON_NULL &&
	    k.need->type != VET_JSON_TRUE && k.need->type != VET_JSON_FALSE)
		return bad_type(err, vet_schema_match_need, "true or false");
	if (k.status != NULL && k.status->type != VET_JSON_NULL &&
	    k.status->type != VET_JSON_STRING)
		return bad_type(err, vet_schema_match_status, "a string");
	if (!v->in_scope || k.need == NULL || k.need->type != VET_JSON_TRUE ||
	    k.status == NULL || !vet_json_string_eq(k.status->val,
	    vet_schema_match_status_code))
		return 0;
	return read_matched(m, k.prio, catprio, v, err);
}

int
vet_match_pair(struct vet_match *m, const char *line, size_t n,
    const char *job_id, int *score, struct vet_error *err)
{
	struct vet v;
	int rc, j, parts[4];

	if ((rc = vet_match__read_veteran(m, line, n, &v, err)) <= 0)
		return rc;
	j = vet_match__find_job(m, job_id, strlen(job_id));
	if (j < 0 || !eligible(&v, &m->jobs[j]))
		return 0;
	*score = vet_match__score(m, &v, &m->jobs[j], parts);
	return 1;
}

/* ---- allocation input ----------------------------------------------- */

int
vet_match_alloc_add(struct vet_match *m, const char *line, size_t n,
    struct vet_error *err)
{
	struct vet v;
	struct avet *a;
	size_t cap;
	int rc, i;

	if ((rc = vet_match__read_veteran(m, line, n, &v, err)) <= 0)
		return rc;
	if (m->nav == m->capav) {
		cap = m->capav ? m->capav * 2 : 1024;
		if ((a = realloc(m->av, cap * sizeof *a)) == NULL)
			goto nomem;
		m->av = a;
		m->capav = cap;
	}
	a = &m->av[m->nav];
	memset(a, 0, sizeof *a);
	a->v = v;
	a->seq = m->nav;
	a->job = -1;
	a->idoff = m->idpool.len;
	if (vet_buf_add(&m->idpool, v.id, v.idlen) < 0)
		goto nomem;
	a->skoff = m->npool;
	for (i = 0; i < v.nskills; i++)
		if (push_int(&m->pool, &m->cappool, (int)m->npool++,
		    v.skills[i]) < 0)
			goto nomem;
	a->indoff = m->npool;
	for (i = 0; i < v.ninds; i++)
		if (push_int(&m->pool, &m->cappool, (int)m->npool++,
		    v.inds[i]) < 0)
			goto nomem;
	/* Pointers are set in vet_match_allocate(), once the pools stop
	 * moving. */
	a->v.id = NULL;
	a->v.skills = a->v.inds = NULL;
	m->nav++;
	return 1;
nomem:
	return vet_error_nomem(err);
}
