/*
 * match_load.c - the posts' store (match.h): interned strings, the packed
 * posts and their job_ids, and the fast reading of a plain job line.
 *
 * A city's job file holds a million posts whose districts, streets,
 * industries, skills, dates, titles and employers repeat: each distinct
 * raw text is kept once and a post holds numbers.  A text seen before was
 * checked when first seen, so reading it again costs finding its closing
 * quote and one hash lookup.  A line the fast reader cannot vouch for
 * (an escape, a nested value it does not know, anything wrong) goes to
 * the general reader in match.c, which gives the errors, so both accept
 * the same lines and store them the same way.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vet/date.h"
#include "vet/json.h"
#include "vet/match.h"
#include "vet/utf8.h"
#include "match_impl.h"

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define LOAD_SSE2 1
#else
#define LOAD_SSE2 0
#endif

/* ---- string tables -------------------------------------------------- */

/*
 * Eight bytes at a time, then mixed so that the low bits, which pick the
 * slot, depend on every byte: job_ids differ in their last ones.  A tail
 * is read as the last eight bytes, overlapping, when there are eight.
 */
static inline uint32_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
	uint32_t lo, hi;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (i < n) {
		if (n >= 8)
			memcpy(&w, s + n - 8, 8);
		else if (n >= 4) {
			memcpy(&lo, s, 4);
			memcpy(&hi, s + n - 4, 4);
			w = (uint64_t)hi << 32 | lo;
		} else {
			for (w = 0; n-- > 0;)
				w = w << 8 | (unsigned char)s[n];
		}
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

/* The slot that holds s or the empty one where it would go. */
static inline size_t
itab_slot(const struct itab *t, const char *s, size_t n, uint32_t h)
{
	const struct itab_item *it;
	size_t i;

	for (i = h & (t->cap - 1); t->slots[i] != 0; i = (i + 1) & (t->cap - 1)) {
		it = &t->items[t->slots[i] - 1];
		if (it->hash == h && it->len == n &&
		    memcmp(t->text.data + it->off, s, n) == 0)
			break;
	}
	return i;
}

static int
itab_grow(struct itab *t)
{
	uint32_t *old = t->slots;
	size_t oldcap = t->cap, i, j;

	t->cap = oldcap ? oldcap * 2 : 256;
	if ((t->slots = calloc(t->cap, sizeof *t->slots)) == NULL) {
		t->slots = old;
		t->cap = oldcap;
		return VET_ENOMEM;
	}
	for (i = 0; i < oldcap; i++) {
		if (old[i] == 0)
			continue;
		for (j = t->items[old[i] - 1].hash & (t->cap - 1);
		    t->slots[j] != 0; j = (j + 1) & (t->cap - 1))
			;
		t->slots[j] = old[i];
	}
	free(old);
	return 0;
}

/* The item number of s, or -1. */
int
vet_match__find(const struct itab *t, const char *s, size_t n)
{
	size_t i;

	if (t->cap == 0)
		return -1;
	i = itab_slot(t, s, n, hash_bytes(s, n));
	return t->slots[i] != 0 ? (int)t->slots[i] - 1 : -1;
}

/*
 * Adds s with value val unless present; *item is its number.  Returns 1
 * when added, 0 when present, VET_ENOMEM (also when the numbers or the
 * offsets would pass 32 bits, which a job file of 64 MiB lines could
 * only reach by holding some 4 GiB of distinct texts).
 */
int
vet_match__intern(struct itab *t, const char *s, size_t n, int32_t val,
    uint32_t *item)
{
	struct itab_item *it;
	uint32_t h = hash_bytes(s, n);
	size_t i, cap;

	if ((t->n + 1) * 2 > t->cap && itab_grow(t) < 0)
		return VET_ENOMEM;
	i = itab_slot(t, s, n, h);
	if (t->slots[i] != 0) {
		*item = t->slots[i] - 1;
		return 0;
	}
	if (t->n >= INT32_MAX || t->text.len + n >= UINT32_MAX)
		return VET_ENOMEM;
	if (t->n == t->capitems) {
		cap = t->capitems ? t->capitems * 2 : 256;
		if ((it = realloc(t->items, cap * sizeof *it)) == NULL)
			return VET_ENOMEM;
		t->items = it;
		t->capitems = cap;
	}
	it = &t->items[t->n];
	it->off = (uint32_t)t->text.len;
	it->len = (uint32_t)n;
	it->hash = h;
	it->val = val;
	/* A NUL after each text, so that a word reads as a C string. */
	if (vet_buf_add(&t->text, s, n) < 0 || vet_buf_addch(&t->text, 0) < 0)
		return VET_ENOMEM;
	*item = (uint32_t)t->n;
	t->slots[i] = (uint32_t)++t->n;
	return 1;
}

void
vet_match__itab_free(struct itab *t)
{
	free(t->slots);
	free(t->items);
	vet_buf_release(&t->text);
	memset(t, 0, sizeof *t);
}

/* Removes the items from n0 on, newest first, by backward-shift
 * deletion, which keeps every probe chain whole. */
static void
itab_undo(struct itab *t, size_t n0, size_t len0)
{
	const struct itab_item *it;
	size_t i, j, home, mask;

	while (t->n > n0) {
		mask = t->cap - 1;
		it = &t->items[t->n - 1];
		i = itab_slot(t, t->text.data + it->off, it->len, it->hash);
		for (j = (i + 1) & mask; t->slots[j] != 0; j = (j + 1) & mask) {
			home = t->items[t->slots[j] - 1].hash & mask;
			if (((j - home) & mask) >= ((j - i) & mask)) {
				t->slots[i] = t->slots[j];
				i = j;
			}
		}
		t->slots[i] = 0;
		t->n--;
	}
	t->text.len = len0;
}

void
vet_match__mark(const struct vet_match *m, struct vet_match__mark *k)
{
	const struct itab *t[4] = { &m->vocab, &m->words, &m->texts,
	    &m->dates };
	int i;

	for (i = 0; i < 4; i++) {
		k->n[i] = t[i]->n;
		k->len[i] = t[i]->text.len;
	}
}

void
vet_match__undo(struct vet_match *m, const struct vet_match__mark *k)
{
	struct itab *t[4] = { &m->vocab, &m->words, &m->texts, &m->dates };
	int i;

	for (i = 0; i < 4; i++)
		itab_undo(t[i], k->n[i], k->len[i]);
}

int
vet_match__vocab_put(struct vet_match *m, const char *s, size_t n,
    int32_t *id)
{
	uint32_t item;

	if (vet_match__intern(&m->vocab, s, n, (int32_t)m->vocab.n,
	    &item) < 0)
		return VET_ENOMEM;
	*id = (int32_t)item;
	return 0;
}

int
vet_match__push_req(struct vet_match *m, int32_t v)
{
	int32_t *p;
	size_t cap;

	if (m->nreq == m->capreq) {
		cap = m->capreq ? m->capreq * 2 : 1024;
		if ((p = realloc(m->req, cap * sizeof *p)) == NULL)
			return VET_ENOMEM;
		m->req = p;
		m->capreq = cap;
	}
	m->req[m->nreq++] = v;
	return 0;
}

/* ---- posts ---------------------------------------------------------- */

void
vet_match__job_init(struct vet_match *m, struct job *j)
{
	memset(j, 0, sizeof *j);
	j->salary = -1;
	j->openings = -1;
	j->title = j->employer = j->salary_raw = NOTEXT;
	j->district_raw = j->street_raw = NOTEXT;
	j->district = j->street = j->industry = -1;
	j->reqoff = (uint32_t)m->nreq;
	j->max_age = -1;
	j->min_edu = -1;
	j->type = POST_MARKET;
}

static int
grow_idslots(struct vet_match *m)
{
	uint32_t *old = m->idslots, h;
	size_t oldcap = m->idcap, i, k;
	const struct job *j;

	m->idcap = oldcap ? oldcap * 2 : 1024;
	if ((m->idslots = calloc(m->idcap, sizeof *m->idslots)) == NULL) {
		m->idslots = old;
		m->idcap = oldcap;
		return VET_ENOMEM;
	}
	for (i = 0; i < oldcap; i++) {
		if (old[i] == 0)
			continue;
		j = &m->jobs[old[i] - 1];
		h = hash_bytes(vet_match__id(m, j), j->idlen);
		for (k = h & (m->idcap - 1); m->idslots[k] != 0;
		    k = (k + 1) & (m->idcap - 1))
			;
		m->idslots[k] = old[i];
	}
	free(old);
	return 0;
}

/* The slot of job_id [s, s + n) in m->idslots, or the empty one. */
static size_t
id_slot(const struct vet_match *m, const char *s, size_t n)
{
	const struct job *j;
	size_t k;

	for (k = hash_bytes(s, n) & (m->idcap - 1); m->idslots[k] != 0;
	    k = (k + 1) & (m->idcap - 1)) {
		j = &m->jobs[m->idslots[k] - 1];
		if (j->idlen == n && memcmp(vet_match__id(m, j), s, n) == 0)
			break;
	}
	return k;
}

/* The post with job_id [s, s + n), or -1. */
int
vet_match__find_job(const struct vet_match *m, const char *s, size_t n)
{
	size_t k;

	if (m->idcap == 0)
		return -1;
	k = id_slot(m, s, n);
	return m->idslots[k] != 0 ? (int)m->idslots[k] - 1 : -1;
}

/*
 * Keeps post j with raw job_id raw and decoded id (which may point into
 * raw).  Returns 0, 1 when the job_id is taken (nothing kept), VET_ENOMEM.
 */
int
vet_match__job_commit(struct vet_match *m, struct job *j, struct vet_span raw,
    struct vet_span id)
{
	struct job *jobs;
	size_t k, cap, off;

	if ((m->njobs + 1) * 2 > m->idcap && grow_idslots(m) < 0)
		return VET_ENOMEM;
	k = id_slot(m, id.p, id.n);
	if (m->idslots[k] != 0)
		return 1;
	if (m->njobs >= INT32_MAX - 1 ||
	    m->ids.len + raw.n + id.n >= UINT32_MAX)
		return VET_ENOMEM;
	if (m->njobs == m->capjobs) {
		cap = m->capjobs ? m->capjobs * 2 : 256;
		if ((jobs = realloc(m->jobs, cap * sizeof *jobs)) == NULL)
			return VET_ENOMEM;
		m->jobs = jobs;
		m->capjobs = cap;
	}
	off = m->ids.len;
	if (vet_buf_add(&m->ids, raw.p, raw.n) < 0)
		return VET_ENOMEM;
	j->rawoff = (uint32_t)off;
	j->rawlen = (uint32_t)raw.n;
	/* A job_id without escapes is its raw text less the quotes. */
	if (id.p == raw.p + 1 && id.n + 2 == raw.n)
		j->idoff = (uint32_t)off + 1;
	else {
		j->idoff = (uint32_t)m->ids.len;
		if (vet_buf_add(&m->ids, id.p, id.n) < 0)
			return VET_ENOMEM;
	}
	j->idlen = (uint32_t)id.n;
	m->nopen += j->open;
	m->jobs[m->njobs] = *j;
	m->idslots[k] = (uint32_t)++m->njobs;
	return 0;
}

/* ---- the fast reader ------------------------------------------------ */

#define WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')

static const unsigned char *
skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end && *p <= ' ' && WS(*p))
		p++;
	return p;
}

/*
 * The closing quote of the string opened at q, or NULL at an escape, a
 * control character or the end: the general reader takes those.  Bytes
 * of multibyte characters are passed over here and checked by the caller
 * when the text is new.
 */
static const unsigned char *
str_close(const unsigned char *q, const unsigned char *end)
{
	const unsigned char *p = q + 1;

#if LOAD_SSE2
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i c = _mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
		    _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x));
		unsigned mk = (unsigned)_mm_movemask_epi8(c);

		if (mk != 0) {
			p += __builtin_ctz(mk);
			return *p == '"' ? p : NULL;
		}
		p += 16;
	}
#endif
	for (; p < end; p++) {
		if (*p == '"')
			return p;
		if (*p == '\\' || *p < 0x20)
			return NULL;
	}
	return NULL;
}

/* True when [p, e) is valid UTF-8; ASCII, as job_ids are, is quick. */
static int
text_ok(const unsigned char *p, const unsigned char *e)
{
	const unsigned char *q;

	for (q = p; q < e; q++)
		if (*q >= 0x80)
			return vet_utf8_valid((const char *)q,
			    (size_t)(e - q));
	return 1;
}

/* The byte after the JSON number at p, or NULL when it is not one. */
static const unsigned char *
num_end(const unsigned char *p, const unsigned char *end)
{
#define DIGIT(c) ((c) >= '0' && (c) <= '9')
	if (p < end && *p == '-')
		p++;
	if (p >= end || !DIGIT(*p))
		return NULL;
	if (*p == '0')
		p++;
	else
		while (p < end && DIGIT(*p))
			p++;
	if (p < end && *p == '.') {
		if (++p >= end || !DIGIT(*p))
			return NULL;
		while (p < end && DIGIT(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !DIGIT(*p))
			return NULL;
		while (p < end && DIGIT(*p))
			p++;
	}
	/* "01" is no number: what follows must end it. */
	if (p < end && (DIGIT(*p) || *p == '.' || *p == 'e' || *p == 'E'))
		return NULL;
	return p;
#undef DIGIT
}

enum key {
	K_OTHER, K_JOB_ID, K_TITLE, K_EMPLOYER, K_DISTRICT, K_STREET,
	K_INDUSTRY, K_OPENINGS, K_MIN_EDU, K_POST_TYPE, K_MAX_AGE, K_SALARY,
	K_POSTED, K_EXPIRES, K_SKILLS
};

#define IS(s) (n == sizeof(s) - 1 && memcmp(k, s, n) == 0)

static enum key
key_of(const unsigned char *k, size_t n)
{
	switch (n) {
	case 5:
		return IS("title") ? K_TITLE : K_OTHER;
	case 6:
		return IS("job_id") ? K_JOB_ID : IS("street") ? K_STREET :
		    IS("salary") ? K_SALARY : K_OTHER;
	case 7:
		return IS("max_age") ? K_MAX_AGE : K_OTHER;
	case 8:
		return IS("employer") ? K_EMPLOYER : IS("district") ?
		    K_DISTRICT : IS("industry") ? K_INDUSTRY :
		    IS("openings") ? K_OPENINGS : K_OTHER;
	case 9:
		return IS("post_type") ? K_POST_TYPE : K_OTHER;
	case 11:
		return IS("posted_date") ? K_POSTED : K_OTHER;
	case 12:
		return IS("expires_date") ? K_EXPIRES : K_OTHER;
	case 13:
		return IS("min_education") ? K_MIN_EDU : K_OTHER;
	case 15:
		return IS("required_skills") ? K_SKILLS : K_OTHER;
	}
	return K_OTHER;
}

#undef IS

#if LOAD_SSE2
/* Each known key with its closing quote, in 16 bytes. */
static const char key_pat[][16] = {
	[K_JOB_ID] = "job_id\"", [K_TITLE] = "title\"",
	[K_EMPLOYER] = "employer\"", [K_DISTRICT] = "district\"",
	[K_STREET] = "street\"", [K_INDUSTRY] = "industry\"",
	[K_OPENINGS] = "openings\"", [K_MIN_EDU] = "min_education\"",
	[K_POST_TYPE] = "post_type\"", [K_MAX_AGE] = "max_age\"",
	[K_SALARY] = "salary\"", [K_POSTED] = "posted_date\"",
	[K_EXPIRES] = "expires_date\"", [K_SKILLS] = "required_skills\""
};

static const uint8_t key_len[] = {
	[K_JOB_ID] = 6, [K_TITLE] = 5, [K_EMPLOYER] = 8, [K_DISTRICT] = 8,
	[K_STREET] = 6, [K_INDUSTRY] = 8, [K_OPENINGS] = 8, [K_MIN_EDU] = 13,
	[K_POST_TYPE] = 9, [K_MAX_AGE] = 7, [K_SALARY] = 6, [K_POSTED] = 11,
	[K_EXPIRES] = 12, [K_SKILLS] = 15
};

/*
 * Lines of a job file give their keys in one order: the key that followed
 * the previous one in the last line is tried first, one 16-byte compare instead of finding
 * the closing quote and matching the name.  p is after the opening quote
 * with 16 bytes readable; the closing quote of k there, or NULL.
 */
static const unsigned char *
key_guess(const unsigned char *p, enum key k)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i y = _mm_loadu_si128((const __m128i *)(const void *)
	    key_pat[k]);
	size_t n = key_len[k] + 1;
	unsigned want = (1u << n) - 1;

	if (((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) & want) !=
	    want)
		return NULL;
	return p + n - 1;
}
#endif

/*
 * A string [q, e] (quotes included) interned in t; the text is checked
 * to be UTF-8 only when new.  decode: a new word gets its vocabulary id
 * as val.  Returns 1 with *item, 0 to fall back, VET_ENOMEM.
 */
static inline int
fast_text(struct vet_match *m, struct itab *t, const unsigned char *q,
    const unsigned char *e, int decode, uint32_t *item)
{
	const char *s = (const char *)q;
	size_t n = (size_t)(e - q) + 1;
	int32_t v = -1;
	int i;

	if ((i = vet_match__find(t, s, n)) >= 0) {
		*item = (uint32_t)i;
		return 1;
	}
	if (!text_ok(q + 1, e))
		return 0;
	if (decode && vet_match__vocab_put(m, s + 1, n - 2, &v) < 0)
		return VET_ENOMEM;
	if (vet_match__intern(t, s, n, v, item) < 0)
		return VET_ENOMEM;
	return 1;
}

/* A date [q, e] (quotes included): 1 with *day, 0 to fall back. */
static int
fast_date(struct vet_match *m, const unsigned char *q,
    const unsigned char *e, vet_day *day)
{
	const char *s = (const char *)q;
	size_t n = (size_t)(e - q) + 1;
	uint32_t item;
	int i;

	if ((i = vet_match__find(&m->dates, s, n)) >= 0) {
		*day = m->dates.items[i].val;
		return 1;
	}
	if (vet_date_parse(s + 1, n - 2, day) < 0)
		return 0;
	return vet_match__intern(&m->dates, s, n, *day, &item) < 0 ?
	    VET_ENOMEM : 1;
}

/* The code of [q, e] (quotes included) among codes, or -1. */
static int
fast_code(const unsigned char *q, const unsigned char *e,
    const char *const *codes, const uint8_t *len, int ncodes)
{
	size_t n = (size_t)(e - q) - 1;
	int i;

	for (i = 0; i < ncodes; i++)
		if (len[i] == n && memcmp(codes[i], q + 1, n) == 0)
			return i;
	return -1;
}

/* required_skills from '[' at p: the byte after ']', or NULL to fall
 * back (*rc VET_ENOMEM when that is why). */
static const unsigned char *
fast_skills(struct vet_match *m, struct job *j, const unsigned char *p,
    const unsigned char *end, int *rc)
{
	const unsigned char *e;
	uint32_t item;
	size_t k;
	int32_t v;

	p = skip_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		if (p >= end || *p != '"' || (e = str_close(p, end)) == NULL ||
		    (*rc = fast_text(m, &m->words, p, e, 1, &item)) <= 0)
			return NULL;
		v = m->words.items[item].val;
		/* A skill named twice counts once. */
		for (k = j->reqoff; k < m->nreq; k++)
			if (m->req[k] == v)
				break;
		if (k == m->nreq && (*rc = vet_match__push_req(m, v)) < 0)
			return NULL;
		p = skip_ws(e + 1, end);
		if (p < end && *p == ']')
			break;
		if (p >= end || *p != ',')
			return NULL;
		p = skip_ws(p + 1, end);
	}
	j->nreq = (int32_t)(m->nreq - j->reqoff);
	return p + 1;
}

/* A value of a key the posts do not use: any JSON scalar. */
static const unsigned char *
fast_other(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *e;

	switch (*p) {
	case '"':
		if ((e = str_close(p, end)) == NULL || !text_ok(p + 1, e))
			return NULL;
		return e + 1;
	case 't':
		return end - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
	case 'f':
		return end - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 :
		    NULL;
	case 'n':
		return end - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
	default:
		return num_end(p, end);
	}
}

/* What a plain line gives, before it is kept. */
struct fast {
	struct job j;
	vet_day posted, expires;
	struct vet_span raw;	/* the job_id, quotes and all */
};

static const unsigned char *
fast_number(const unsigned char *p, const unsigned char *end,
    struct vet_span *s)
{
	const unsigned char *e;

	if ((e = num_end(p, end)) == NULL)
		return NULL;
	s->p = (const char *)p;
	s->n = (size_t)(e - p);
	return e;
}

/*
 * Up to 15 plain digits as an integer: exactly what vet_json_int() and
 * vet_json_number() give for them, without their general checks.
 * Returns 1 with *out, 0 for any other number.
 */
static int
small_digits(struct vet_span s, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (s.n > 15)
		return 0;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return 0;
		v = v * 10 + (s.p[i] - '0');
	}
	*out = v;
	return 1;
}

/* An integer of [lo, hi]: the byte after it, or NULL to fall back. */
static const unsigned char *
fast_int(const unsigned char *p, const unsigned char *end, int64_t lo,
    int64_t hi, int64_t *out)
{
	struct vet_span s;

	if ((p = fast_number(p, end, &s)) == NULL ||
	    (!small_digits(s, out) && vet_json_int(s, out) < 0) ||
	    *out < lo || *out > hi)
		return NULL;
	return p;
}

/* A string field interned in t: the byte after it, or NULL. */
static const unsigned char *
fast_str(struct vet_match *m, struct itab *t, int decode,
    const unsigned char *p, const unsigned char *end, uint32_t *item,
    int *rc)
{
	const unsigned char *e;

	if (*p != '"' || (e = str_close(p, end)) == NULL ||
	    (*rc = fast_text(m, t, p, e, decode, item)) <= 0)
		return NULL;
	return e + 1;
}

/* The value of key k at p, as job_field() in match.c takes it: the byte
 * after it, or NULL to fall back (*rc VET_ENOMEM when that is why). */
static const unsigned char *
fast_value(struct vet_match *m, struct fast *f, enum key k,
    const unsigned char *p, const unsigned char *end, int *rc)
{
	const unsigned char *e;
	struct vet_span s;
	struct job *j = &f->j;
	uint32_t item;
	int64_t i64;
	double d;
	int c;

	if (p >= end)
		return NULL;
	/* A known field that is null is absent; a null job_id is missing. */
	if (k == K_OTHER || (*p == 'n' && k != K_JOB_ID))
		return fast_other(p, end);
	switch (k) {
	case K_JOB_ID:
		if (*p != '"' || (e = str_close(p, end)) == NULL ||
		    e == p + 1 || !text_ok(p + 1, e))
			return NULL;
		f->raw.p = (const char *)p;
		f->raw.n = (size_t)(e - p) + 1;
		return e + 1;
	case K_TITLE:
		return fast_str(m, &m->texts, 0, p, end, &j->title, rc);
	case K_EMPLOYER:
		return fast_str(m, &m->texts, 0, p, end, &j->employer, rc);
	case K_DISTRICT:
		if ((e = fast_str(m, &m->words, 1, p, end, &j->district_raw,
		    rc)) != NULL)
			j->district = m->words.items[j->district_raw].val;
		return e;
	case K_STREET:
		if ((e = fast_str(m, &m->words, 1, p, end, &j->street_raw,
		    rc)) != NULL)
			j->street = m->words.items[j->street_raw].val;
		return e;
	case K_INDUSTRY:
		if ((e = fast_str(m, &m->words, 1, p, end, &item, rc)) != NULL)
			j->industry = m->words.items[item].val;
		return e;
	case K_OPENINGS:
		return fast_int(p, end, 0, INT64_MAX, &j->openings);
	case K_MAX_AGE:
		if ((e = fast_int(p, end, 0, 200, &i64)) != NULL)
			j->max_age = (int16_t)i64;
		return e;
	case K_SALARY:
		if ((e = fast_number(p, end, &s)) == NULL)
			return NULL;
		if (small_digits(s, &i64))
			d = (double)i64;
		else if (vet_json_number(s, &d) < 0 || d < 0)
			return NULL;
		if ((*rc = vet_match__intern(&m->texts, s.p, s.n, 0,
		    &j->salary_raw)) < 0)
			return NULL;
		j->salary = d;
		return e;
	case K_MIN_EDU:
	case K_POST_TYPE:
		if (*p != '"' || (e = str_close(p, end)) == NULL)
			return NULL;
		if (k == K_MIN_EDU) {
			if ((c = fast_code(p, e, m->edu_codes, m->edu_len,
			    NEDU)) < 0)
				return NULL;
			j->min_edu = (int8_t)c;
		} else {
			if ((c = fast_code(p, e, m->post_codes, m->post_len,
			    NPOST)) < 0)
				return NULL;
			j->type = (uint8_t)c;
		}
		return e + 1;
	case K_POSTED:
	case K_EXPIRES:
		if (*p != '"' || (e = str_close(p, end)) == NULL ||
		    (*rc = fast_date(m, p, e, k == K_POSTED ? &f->posted :
		    &f->expires)) <= 0)
			return NULL;
		return e + 1;
	case K_SKILLS:
		return *p == '[' ? fast_skills(m, j, p, end, rc) : NULL;
	default:
		return NULL;
	}
}

/*
 * Reads a job line that is one flat JSON object of plain values and
 * keeps its post.  Returns 1 when kept, 0 when the general reader must
 * take the line (nothing kept), VET_ENOMEM.
 */
int
vet_match__fast_job(struct vet_match *m, const char *line, size_t n)
{
	const unsigned char *p = (const unsigned char *)line, *end = p + n;
	const unsigned char *e;
	struct vet_span id;
	struct fast f;
	unsigned seen = 0;
	enum key k, prev;
	int rc = 0;

	if (n == 0 || *p != '{')
		return 0;
	vet_match__job_init(m, &f.j);
	f.posted = INT32_MIN;
	f.expires = INT32_MAX;
	f.raw.p = NULL;
	p = skip_ws(p + 1, end);
	for (prev = K_OTHER;; prev = k) {
		if (p >= end || *p != '"')
			goto slow;
		e = NULL;
#if LOAD_SSE2
		if (m->kpred[prev] != K_OTHER && end - p >= 17 &&
		    (e = key_guess(p + 1, (enum key)m->kpred[prev])) != NULL)
			k = (enum key)m->kpred[prev];
#endif
		if (e == NULL) {
			if ((e = str_close(p, end)) == NULL)
				goto slow;
			k = key_of(p + 1, (size_t)(e - p) - 1);
			m->kpred[prev] = (uint8_t)k;
		}
		/* A field given twice is the general reader's to judge. */
		if (k != K_OTHER && (seen & 1u << k))
			goto slow;
		seen |= 1u << k;
		if (k == K_OTHER && !text_ok(p + 1, e))
			goto slow;
		/* '"key":value,' with nothing between is the usual line. */
		p = e + 1;
		if (p < end && *p <= ' ')
			p = skip_ws(p, end);
		if (p >= end || *p != ':')
			goto slow;
		p++;
		if (p < end && *p <= ' ')
			p = skip_ws(p, end);
		if ((p = fast_value(m, &f, k, p, end, &rc)) == NULL)
			goto slow;
		if (p < end && *p <= ' ')
			p = skip_ws(p, end);
		if (p < end && *p == ',') {
			p++;
			if (p < end && *p <= ' ')
				p = skip_ws(p, end);
			continue;
		}
		if (p < end && *p == '}')
			break;
		goto slow;
	}
	if (skip_ws(p + 1, end) != end || f.raw.p == NULL)
		goto slow;
	f.j.nreq = (int32_t)(m->nreq - f.j.reqoff);
	f.j.open = f.j.openings > 0 && f.posted <= m->as_of &&
	    m->as_of <= f.expires;
	id.p = f.raw.p + 1;
	id.n = f.raw.n - 2;
	if ((rc = vet_match__job_commit(m, &f.j, f.raw, id)) == 0)
		return 1;
slow:
	m->nreq = f.j.reqoff;
	return rc < 0 ? VET_ENOMEM : 0;
}
