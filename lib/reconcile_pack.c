/*
 * reconcile_pack.c - the extract held packed (reconcile_impl.h): about a
 * quarter of its text for the usual extract (an id, a name, a birth date
 * and a few booleans), so vet-reconcile holds less than the extract's
 * size, indexes included.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/hash.h"
#include "vet/json.h"
#include "vet/record.h"

#include "reconcile_impl.h"

/* The value tags; a larger one is 4 + 2 * length + 1 for a string kept
 * without its quotes, 4 + 2 * length for any other JSON text. */
enum {
	V_TRUE,
	V_FALSE,
	V_NULL,
	V_ID,		/* the join id as a JSON string */
	V_TEXT
};

int
vet_reconcile__grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return VET_ENOMEM;
		ncap *= 2;
	}
	if ((np = realloc(*p, ncap * size)) == NULL)
		return VET_ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

void
vet_reconcile__store_init(struct vet_reconcile__store *s)
{
	memset(s, 0, sizeof *s);
	vet_buf_init(&s->pack);
	vet_buf_init(&s->ktext);
	vet_strmap_init(&s->kmap);
}

void
vet_reconcile__store_release(struct vet_reconcile__store *s)
{
	vet_buf_release(&s->pack);
	vet_buf_release(&s->ktext);
	vet_strmap_release(&s->kmap);
	free(s->off);
	free(s->key);
	free(s->prev);
	memset(s, 0, sizeof *s);
}

uint64_t
vet_reconcile__id18_code(const char *p, size_t n)
{
	uint64_t c = 0;
	size_t i;

	if (n != 18)
		return 0;
	for (i = 0; i < 17; i++) {
		unsigned d = (unsigned)(unsigned char)p[i] - '0';

		if (d > 9)
			return 0;
		c = c * 10 + d;
	}
	if (p[17] >= '0' && p[17] <= '9')
		return c * 11 + (uint64_t)(p[17] - '0') + 1;
	if (p[17] == 'X')
		return c * 11 + 10 + 1;
	return 0;
}

/* The 18 characters of id code c (nonzero). */
static void
id18_text(uint64_t c, char out[18])
{
	unsigned k;
	int i;

	c--;
	k = (unsigned)(c % 11);
	c /= 11;
	out[17] = k == 10 ? 'X' : (char)('0' + k);
	for (i = 16; i >= 0; i--) {
		out[i] = (char)('0' + c % 10);
		c /= 10;
	}
}

/* Appends v as a base-128 varint (at most 10 bytes) at p; the end. */
static unsigned char *
put_uv(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static uint64_t
get_uv(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint64_t v = 0;
	unsigned sh = 0;

	while (*p & 0x80) {
		v |= (uint64_t)(*p++ & 0x7f) << sh;
		sh += 7;
	}
	v |= (uint64_t)*p++ << sh;
	*pp = p;
	return v;
}

/* The key number of field f's raw key, added to the dictionary when new;
 * the last record's key at the same place is tried first. */
static int
key_number(struct vet_reconcile__store *s, const struct vet_field *f,
    size_t i, size_t *out)
{
	const struct vet_reconcile__key *k;
	size_t v;
	int r;

	if (i < s->nprev) {
		k = &s->key[s->prev[i]];
		if (k->len == f->key.n && memcmp(s->ktext.data + k->off,
		    f->key.p, f->key.n) == 0) {
			*out = s->prev[i];
			return 0;
		}
	}
	if (vet_strmap_get(&s->kmap, f->key.p, f->key.n, &v)) {
		*out = v;
		return 0;
	}
	if (vet_reconcile__grow((void **)&s->key, &s->capkey, s->nkey + 1,
	    sizeof *s->key) < 0)
		return VET_ENOMEM;
	s->key[s->nkey].off = s->ktext.len;
	s->key[s->nkey].len = f->key.n;
	s->key[s->nkey].escaped = f->key_escaped;
	if (vet_buf_add(&s->ktext, f->key.p, f->key.n) < 0)
		return VET_ENOMEM;
	if ((r = vet_strmap_put(&s->kmap, f->key.p, f->key.n, s->nkey,
	    NULL)) < 0) {
		vet_buf_truncate(&s->ktext, s->key[s->nkey].off);
		return r;
	}
	if (f->key.n > s->maxkey)
		s->maxkey = f->key.n;
	*out = s->nkey++;
	return 0;
}

int
vet_reconcile__store_add(struct vet_reconcile__store *s,
    const struct vet_record *r, struct vet_span id)
{
	const struct vet_field *f;
	unsigned char *p, *p0;
	size_t i, need, kn, start = s->pack.len;
	uint64_t code, tag;

	/* Room for the worst case: every value as its text, every varint
	 * of its largest size. */
	need = 10 + 10 + id.n + 10;
	for (i = 0; i < r->n; i++)
		need += 20 + r->fields[i].val.n;
	if (vet_reconcile__grow((void **)&s->off, &s->cap, s->n + 1,
	    sizeof *s->off) < 0 ||
	    vet_reconcile__grow((void **)&s->prev, &s->capprev, r->n,
	    sizeof *s->prev) < 0 ||
	    vet_buf_grow(&s->pack, need) < 0)
		return VET_ENOMEM;
	p = p0 = (unsigned char *)s->pack.data + start;
	if ((code = vet_reconcile__id18_code(id.p, id.n)) != 0) {
		*p++ = 0;
		memcpy(p, &code, sizeof code);
		p += sizeof code;
	} else {
		p = put_uv(p, (uint64_t)id.n + 1);
		memcpy(p, id.p, id.n);
		p += id.n;
	}
	p = put_uv(p, r->n);
	for (i = 0; i < r->n; i++) {
		f = &r->fields[i];
		if (key_number(s, f, i, &kn) < 0)
			return VET_ENOMEM;
		s->prev[i] = kn;
		p = put_uv(p, kn);
		switch (f->type) {
		case VET_JSON_TRUE:
			*p++ = V_TRUE;
			continue;
		case VET_JSON_FALSE:
			*p++ = V_FALSE;
			continue;
		case VET_JSON_NULL:
			*p++ = V_NULL;
			continue;
		case VET_JSON_STRING:
			if (f->val.n == id.n + 2 &&
			    memcmp(f->val.p + 1, id.p, id.n) == 0) {
				*p++ = V_ID;
				continue;
			}
			tag = V_TEXT + 2 * (uint64_t)(f->val.n - 2) + 1;
			p = put_uv(p, tag);
			memcpy(p, f->val.p + 1, f->val.n - 2);
			p += f->val.n - 2;
			continue;
		default:
			tag = V_TEXT + 2 * (uint64_t)f->val.n;
			p = put_uv(p, tag);
			memcpy(p, f->val.p, f->val.n);
			p += f->val.n;
		}
	}
	s->nprev = r->n;
	s->off[s->n++] = start;
	s->pack.len = start + (size_t)(p - p0);
	s->pack.data[s->pack.len] = '\0';
	return 0;
}

/* Reads the join id at *pp into *id (pointing into the record or buf). */
static void
get_id(const unsigned char **pp, char buf[18], struct vet_span *id,
    uint64_t *code)
{
	const unsigned char *p = *pp;
	uint64_t n;

	if (*p == 0) {
		memcpy(code, p + 1, sizeof *code);
		if (buf != NULL)
			id18_text(*code, buf);
		id->p = buf;
		id->n = 18;
		*pp = p + 1 + sizeof *code;
		return;
	}
	n = get_uv(&p) - 1;
	*code = 0;
	id->p = (const char *)p;
	id->n = (size_t)n;
	*pp = p + n;
}

void
vet_reconcile__store_id(const struct vet_reconcile__store *s, size_t i,
    char buf[18], struct vet_span *id, uint64_t *code)
{
	const unsigned char *p = (const unsigned char *)s->pack.data +
	    s->off[i];

	get_id(&p, buf, id, code);
}

int
vet_reconcile__store_get(const struct vet_reconcile__store *s, size_t i,
    struct vet_record *r, struct vet_buf *text, struct vet_span *id)
{
	const unsigned char *p = (const unsigned char *)s->pack.data +
	    s->off[i];
	size_t end = i + 1 < s->n ? s->off[i + 1] : s->pack.len;
	const struct vet_reconcile__key *k;
	struct vet_field *f;
	char buf[18], *o, *o0;
	size_t j, nf, len, need;
	uint64_t code, tag;
	struct vet_span jid;

	get_id(&p, buf, &jid, &code);
	nf = (size_t)get_uv(&p);
	/* A byte of the record grows at most into "false" or the join id
	 * in quotes; a key by its quotes, ':' and ','. */
	need = (end - s->off[i]) * (jid.n + 5) + nf * (s->maxkey + 4) +
	    jid.n + 4;
	vet_buf_reset(text);
	if (nf > r->cap) {
		size_t cap = r->cap < 16 ? 16 : r->cap;

		while (cap < nf)
			cap *= 2;
		if ((f = realloc(r->fields, cap * sizeof *f)) == NULL)
			return VET_ENOMEM;
		r->fields = f;
		r->cap = cap;
	}
	if (vet_buf_grow(text, need) < 0)
		return VET_ENOMEM;
	o = o0 = text->data;
	*o++ = '{';
	for (j = 0; j < nf; j++) {
		f = &r->fields[j];
		k = &s->key[get_uv(&p)];
		if (j > 0)
			*o++ = ',';
		*o++ = '"';
		memcpy(o, s->ktext.data + k->off, k->len);
		f->key.p = o;
		f->key.n = k->len;
		f->key_escaped = k->escaped;
		o += k->len;
		*o++ = '"';
		*o++ = ':';
		f->val.p = o;
		switch (tag = get_uv(&p)) {
		case V_TRUE:
			memcpy(o, "true", 4);
			o += 4;
			f->type = VET_JSON_TRUE;
			break;
		case V_FALSE:
			memcpy(o, "false", 5);
			o += 5;
			f->type = VET_JSON_FALSE;
			break;
		case V_NULL:
			memcpy(o, "null", 4);
			o += 4;
			f->type = VET_JSON_NULL;
			break;
		case V_ID:
			*o++ = '"';
			memcpy(o, jid.p, jid.n);
			o += jid.n;
			*o++ = '"';
			f->type = VET_JSON_STRING;
			break;
		default:
			len = (size_t)((tag - V_TEXT) >> 1);
			if ((tag - V_TEXT) & 1) {
				*o++ = '"';
				memcpy(o, p, len);
				o += len;
				*o++ = '"';
				f->type = VET_JSON_STRING;
			} else {
				memcpy(o, p, len);
				o += len;
				f->type = vet_json_type_of((struct vet_span){
				    (const char *)p, len });
			}
			p += len;
		}
		f->val.n = (size_t)(o - f->val.p);
	}
	*o++ = '}';
	/* The join id after the line, which ends at a NUL. */
	*o++ = '\0';
	memcpy(o, jid.p, jid.n);
	id->p = o;
	id->n = jid.n;
	o += jid.n;
	*o = '\0';
	text->len = (size_t)(o - o0);
	r->n = nf;
	return 0;
}
