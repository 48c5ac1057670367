/*
 * intake.c - raw rows and JSON Lines records to canonical records
 * (intake.h).
 *
 * A record is built in two steps: each cell is normalised into a slot of
 * its field (the JSON text of the value, in vals), then the slots are
 * written in the mapping's field order followed by the unknown columns.
 * All buffers are reused, so a warm record costs no allocation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/encoding.h"
#include "vet/id.h"
#include "vet/intake.h"
#include "vet/json.h"
#include "vet/mask.h"
#include "vet/mem.h"
#include "vet/policy.h"
#include "vet/schema.h"

#include "intake_impl.h"

/* Longest piece of a cell quoted in a message, in bytes. */
#define QUOTE_MAX 40

/* Distinct JSON keys and mapped cell values remembered (powers of two);
 * a table is used up to half full, and only for short texts. */
#define JHASH_CAP 512
#define VC_CAP 1024
/* The value table starts this small and doubles up to VC_CAP: a short
 * run should not clear 40 KiB (ten pages) it never uses. */
#define VC_MIN 64
#define CACHE_TEXT_MAX 256

/* Makes room for n more bytes and the NUL in b, so that put() needs no
 * check. */
static inline int
room(struct vet_buf *b, size_t n)
{
	if (b->cap - b->len > n)
		return 0;
	return vet_buf_grow(b, n);
}

static inline void
put(struct vet_buf *b, const void *p, size_t n)
{
	vet_mem_copy_short(b->data + b->len, p, n);
	b->len += n;
}

static inline void
putch(struct vet_buf *b, char c)
{
	b->data[b->len++] = c;
}

/* True when s holds a backslash; JSON strings are short, so eight bytes
 * at a time in a register beat the call of memchr() for most. */
static inline int
has_backslash(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t x;
	size_t i = 0;

	if (n > 64)
		return memchr(s, '\\', n) != NULL;
	if (n < 8) {
		for (; i < n; i++)
			if (s[i] == '\\')
				return 1;
		return 0;
	}
	/* The last eight bytes, overlapping the loop's, end the scan. */
	for (;; i += 8) {
		if (i + 8 > n)
			i = n - 8;
		memcpy(&x, s + i, 8);
		x ^= ones * '\\';
		if (((x - ones) & ~x & (ones << 7)) != 0)
			return 1;
		if (i + 8 == n)
			return 0;
	}
}

/* vet_trim() for the usual cell, which has nothing to trim, without the
 * call. */
static inline struct vet_span
trimmed(struct vet_span s)
{
	const unsigned char *p = (const unsigned char *)s.p;

	if (s.n > 0 && p[0] > ' ' && p[0] != 0xe3 && p[s.n - 1] > ' ' &&
	    p[s.n - 1] != 0x80)
		return s;
	return vet_trim(s);
}

/*
 * A hash of short texts (keys, enum values) for the caches: length, the
 * first and the last eight bytes.  Texts that share those only collide,
 * which costs a comparison, not a wrong answer.
 */
static uint32_t
fast_hash(uint32_t seed, const char *s, size_t n)
{
	uint64_t a = 0, b = 0, h;
	uint32_t x, y;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		a = x;
		b = y;
	} else if (n > 0)
		a = (uint64_t)(unsigned char)s[0] |
		    (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
	h = (a ^ ((uint64_t)seed << 32 | n)) * 0x9e3779b97f4a7c15ULL;
	h ^= b * 0xff51afd7ed558ccdULL;
	h ^= h >> 32;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (uint32_t)(h >> 32);
}

/*
 * Appends s as a JSON string.  Text known to be valid UTF-8 (t->trust)
 * with nothing to escape, the usual cell, is copied in one piece; the rest
 * goes through vet_json_add_string(), which also replaces invalid UTF-8.
 */
static int
add_str(struct vet_intake *t, struct vet_buf *b, const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const unsigned char *p = (const unsigned char *)s;
	uint64_t x, q, e;
	uint32_t u, v;
	size_t i;

	if (!t->trust)
		return vet_json_add_string(b, s, n);
	/* Eight bytes at a time, the last eight overlapping the ones before
	 * (four for a shorter text): is any a control character, '"' or
	 * '\\'? */
	if (n >= 8) {
		for (i = 0;; i += 8) {
			if (i + 8 > n)
				i = n - 8;
			memcpy(&x, p + i, 8);
			q = x ^ (ones * '"');
			e = x ^ (ones * '\\');
			if ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) |
			    ((e - ones) & ~e)) & (ones << 7))
				return vet_json_add_string(b, s, n);
			if (i + 8 == n)
				break;
		}
	} else if (n >= 4) {
		memcpy(&u, p, 4);
		memcpy(&v, p + n - 4, 4);
		x = (uint64_t)u << 32 | v;
		q = x ^ (ones * '"');
		e = x ^ (ones * '\\');
		if ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) |
		    ((e - ones) & ~e)) & (ones << 7))
			return vet_json_add_string(b, s, n);
	} else
		for (i = 0; i < n; i++)
			if (p[i] < 0x20 || p[i] == '"' || p[i] == '\\')
				return vet_json_add_string(b, s, n);
	if (room(b, n + 2) < 0)
		return VET_ENOMEM;
	putch(b, '"');
	put(b, s, n);
	putch(b, '"');
	b->data[b->len] = '\0';
	return 0;
}

/* A byte of the first two of a word or cell, for the look-up that passes
 * most cells: a name starting 张 or 王 shares its first byte with 无 or
 * 未, rarely its second too. */
static inline unsigned char
word_key(const char *s, size_t n)
{
	unsigned b1 = n > 1 ? (unsigned char)s[1] : 0;

	return (unsigned char)((unsigned char)s[0] ^ (b1 * 7u));
}

static void
note_word(struct vet_intake *t, const char *w, int kind)
{
	size_t n = strlen(w);

	t->wlead[word_key(w, n)] = 1;
	if (n > t->wmax)
		t->wmax = n;
	if (t->nwords < VET_INTAKE_MAX_WORDS) {
		t->words[t->nwords].w = w;
		t->words[t->nwords].n = n;
		t->words[t->nwords++].kind = kind;
	}
}

/* 1 when cell s is a word for "unknown", 2 for "none", 3 for both; 0. */
static inline int
special_word(const struct vet_intake *t, struct vet_span s)
{
	size_t i;
	int k = 0;

	if (s.n > t->wmax || !t->wlead[word_key(s.p, s.n)])
		return 0;
	for (i = 0; i < t->nwords; i++)
		if (t->words[i].n == s.n && memcmp(t->words[i].w, s.p,
		    s.n) == 0)
			k |= t->words[i].kind;
	return k;
}

int
vet_intake_init(struct vet_intake *t, const struct vet_mapping *m,
    const struct vet_policy *p, vet_day today)
{
	const char *const *w;
	size_t i;

	memset(t, 0, sizeof *t);
	t->map = m;
	t->policy = p;
	t->today = today;
	vet_record_init(&t->rec);
	vet_strmap_init(&t->unknown_set);
	if (m->nfields > 0 &&
	    ((t->slots = calloc(m->nfields, sizeof *t->slots)) == NULL ||
	    (t->req = malloc(m->nfields * sizeof *t->req)) == NULL))
		return VET_ENOMEM;
	for (i = 0; i < m->nfields; i++)
		if (m->fields[i].required)
			t->req[t->nreq++] = i;
	for (w = vet_schema_unknown_words; *w != NULL; w++)
		note_word(t, *w, 1);
	for (w = vet_schema_none_words; *w != NULL; w++)
		note_word(t, *w, 2);
	t->f_id = vet_mapping_field(m, "id");
	t->f_sex = vet_mapping_field(m, "sex");
	t->f_birth = vet_mapping_field(m, "birth_date");
	t->f_last = vet_mapping_field(m, "last_contact_date");
	t->f_type = m->kind == VET_KIND_EVENT ? vet_mapping_field(m, "type") :
	    -1;
	/* Only the kinds whose records carry a person's sex and birth date
	 * derive them from the id. */
	if (m->kind != VET_KIND_VETERAN && m->kind != VET_KIND_EXTRACT)
		t->f_sex = t->f_birth = -1;
	return 0;
}

void
vet_intake_release(struct vet_intake *t)
{
	free(t->colfield);
	free(t->colkey);
	free(t->colkeylen);
	free(t->slots);
	free(t->req);
	free(t->unknown_off);
	vet_strmap_release(&t->unknown_set);
	vet_buf_release(&t->keys);
	vet_buf_release(&t->header_msg);
	vet_buf_release(&t->vals);
	vet_buf_release(&t->extra);
	vet_buf_release(&t->tmp);
	vet_buf_release(&t->tmp2);
	vet_buf_release(&t->out_tmp);
	vet_buf_release(&t->errtext);
	vet_buf_release(&t->unknown);
	vet_buf_release(&t->jkeytext);
	free(t->jnext);
	free(t->jhash);
	free(t->vc);
	vet_buf_release(&t->vctext);
	free(t->memo);
	vet_record_release(&t->rec);
	memset(t, 0, sizeof *t);
}

size_t
vet_intake_errors(const struct vet_intake *t, const char *const **errs)
{
	*errs = t->errs;
	return t->nerr;
}

size_t
vet_intake_nunknown(const struct vet_intake *t)
{
	return t->nunknown;
}

const char *
vet_intake_unknown(const struct vet_intake *t, size_t i)
{
	return t->unknown.data + t->unknown_off[i];
}

int
vet_intake_unknown_full(const struct vet_intake *t)
{
	return t->unknown_full;
}

static void
add_error(struct vet_intake *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records a reason; the pointers are fixed up when the record ends, since
 * errtext may move while it grows. */
static void
add_error(struct vet_intake *t, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (t->nerr == VET_INTAKE_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	t->erroff[t->nerr] = t->errtext.len;
	/*
	 * A reason that cannot be kept must not let the record pass as good
	 * (fault injection wrote a bad row to the output so): the record
	 * fails as out of memory instead.
	 */
	if (vet_buf_add(&t->errtext, msg, strlen(msg) + 1) < 0) {
		t->oom = 1;
		return;
	}
	t->nerr++;
}

static int
finish_errors(struct vet_intake *t)
{
	size_t i;

	for (i = 0; i < t->nerr; i++)
		t->errs[i] = t->errtext.data + t->erroff[i];
	return t->nerr > 0 ? VET_EDATA : 0;
}

/* A cell quoted for a message: cut on a character boundary, ids and
 * phones in it masked.  Without the memory for it, the record fails as
 * out of memory (t->oom), as add_error() does: a reason that names less
 * than the cell must not be written. */
const char *
vet_intake__quote(struct vet_intake *t, const char *s, size_t n)
{
	size_t k = n;

	if (k > QUOTE_MAX) {
		k = QUOTE_MAX;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	vet_buf_reset(&t->tmp2);
	if (vet_mask_text(&t->tmp2, s, k) < 0 ||
	    (k < n && vet_buf_addstr(&t->tmp2, "...") < 0))
		t->oom = 1;
	return vet_buf_str(&t->tmp2);
}

int
vet_intake__note_unknown(struct vet_intake *t, const char *s, size_t n)
{
	size_t *o, v;
	int rc;

	if (vet_strmap_get(&t->unknown_set, s, n, &v))
		return 0;
	if (t->nunknown == VET_INTAKE_MAX_UNKNOWN) {
		t->unknown_full = 1;
		return 0;
	}
	if ((rc = vet_strmap_put(&t->unknown_set, s, n, t->nunknown,
	    NULL)) < 0)
		return rc;
	if (t->nunknown == t->capunknown) {
		size_t cap = t->capunknown ? t->capunknown * 2 : 16;

		if ((o = realloc(t->unknown_off, cap * sizeof *o)) == NULL)
			return VET_ENOMEM;
		t->unknown_off = o;
		t->capunknown = cap;
	}
	t->unknown_off[t->nunknown] = t->unknown.len;
	if (vet_buf_add(&t->unknown, s, n) < 0 ||
	    vet_buf_addch(&t->unknown, '\0') < 0)
		return VET_ENOMEM;
	t->nunknown++;
	return 0;
}

static void
begin_record(struct vet_intake *t)
{
	size_t i;

	t->oom = 0;
	/* finish_record() clears the slots of a record it writes as it
	 * goes; any other record leaves them to clear here. */
	if (t->dirty)
		for (i = 0; i < t->map->nfields; i++) {
			t->slots[i].set = 0;
			t->slots[i].bad = 0;
		}
	t->dirty = 1;
	vet_buf_reset(&t->vals);
	vet_buf_reset(&t->extra);
	vet_buf_reset(&t->errtext);
	t->nerr = 0;
	t->sex = 0;
	t->has_id = 0;
	t->nset = 0;
	t->need = 0;
	t->has_last_contact = 0;
}

/* Starts the value of field f in vals; end_slot() closes it. */
static size_t
begin_slot(struct vet_intake *t)
{
	return t->vals.len;
}

static int
end_slot(struct vet_intake *t, size_t f, size_t off)
{
	if (t->oom || t->vals.data == NULL)
		return VET_ENOMEM;
	t->slots[f].ext = NULL;
	t->slots[f].kext = NULL;
	t->slots[f].off = off;
	t->nset++;
	t->need += t->map->fields[f].jkeylen + t->vals.len - off + 1;
	t->slots[f].len = t->vals.len - off;
	t->slots[f].set = 1;
	return 0;
}

/* Copies s into tmp with full-width ASCII folded and trims it again. */
static struct vet_span
folded(struct vet_intake *t, struct vet_span s)
{
	size_t n;

	if (memchr(s.p, 0xef, s.n) == NULL && memchr(s.p, 0xe3, s.n) == NULL)
		return s;
	vet_buf_reset(&t->tmp);
	if (vet_buf_add(&t->tmp, s.p, s.n) < 0) {
		s.n = 0;
		return s;
	}
	n = vet_fold_width(t->tmp.data, t->tmp.len);
	s.p = t->tmp.data;
	s.n = n;
	return vet_trim(s);
}

static void
add_int(struct vet_intake *t, struct vet_buf *b, long long v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	if (vet_buf_add(b, p, (size_t)(tmp + sizeof tmp - p)) < 0)
		t->oom = 1;
}

/* True when s starts with three digits and then no further digit. */
static int
grouped(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
	return n == 3 || s[3] < '0' || s[3] > '9';
}

static int
parse_int(const char *s, size_t n, long long *out)
{
	long long v = 0;
	size_t i = 0;
	int neg = 0, digits = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (v > (9223372036854775807LL - 9) / 10)
				return -1;
			v = v * 10 + (s[i] - '0');
			digits++;
		} else if (s[i] == ',' && digits > 0 && i + 3 < n + 1 &&
		    grouped(s + i + 1, n - i - 1))
			continue;	/* digit grouping, 5,000 */
		else
			break;
	}
	/* A spreadsheet writes 3 as 3.0 or 3.00. */
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] == '0'; i++)
			;
	}
	if (i != n || digits == 0)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

static int
parse_number(struct vet_intake *t, const char *s, size_t n, double *out)
{
	char buf[64], *end;
	size_t i, k = 0;

	if (n == 0 || n >= sizeof buf)
		return -1;
	for (i = 0; i < n; i++) {
		/* Only the characters of a decimal number; strtod would also
		 * take hex, inf and nan. */
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '-' || s[i] == '+' || s[i] == 'e' || s[i] == 'E'))
			return -1;
		buf[k++] = s[i];
	}
	buf[k] = '\0';
	*out = strtod(buf, &end);
	(void)t;
	return *end == '\0' && end != buf ? 0 : -1;
}

/* Sets field f to JSON text of the input that is already canonical. */
static inline int
ext_slot(struct vet_intake *t, size_t f, const struct vet_span *raw)
{
	t->slots[f].ext = raw->p;
	t->slots[f].kext = NULL;
	t->slots[f].off = 0;
	t->nset++;
	t->need += t->map->fields[f].jkeylen + raw->n + 1;
	t->slots[f].len = raw->n;
	t->slots[f].set = 1;
	return 0;
}

/* True for a JSON number that is an integer written the way add_int()
 * writes it. */
static int
canonical_int(struct vet_span v)
{
	size_t i = 0;

	if (v.n > 0 && v.p[0] == '-')
		i = 1;
	if (i >= v.n || v.n - i > 18 || v.p[i] < '0' || v.p[i] > '9' ||
	    (v.p[i] == '0' && (v.n - i > 1 || i == 1)))
		return 0;
	for (; i < v.n; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return 0;
	return 1;
}

/* True when s is printable ASCII without spaces: a phone number with
 * nothing to fold or remove. */
static int
plain_ascii(struct vet_span s)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] <= ' ' ||
		    (unsigned char)s.p[i] >= 0x7f)
			return 0;
	return 1;
}

/* The mapped value of text s of field f, if it was seen before. */
static const struct vet_intake_vc *
vc_find(const struct vet_intake *t, size_t f, struct vet_span s, uint32_t h)
{
	const struct vet_intake_vc *e;
	size_t j;

	if (t->vc == NULL)
		return NULL;
	for (j = h & (t->vccap - 1);; j = (j + 1) & (t->vccap - 1)) {
		e = &t->vc[j];
		if (e->field == 0)
			return NULL;
		if (e->hash == h && e->field == f + 1 && e->len == s.n &&
		    vet_mem_eq_short(t->vctext.data + e->off, s.p, s.n))
			return e;
	}
}

/*
 * vc_find() for a column that repeats its values: the field's last two
 * values are tried before the hash.  An entry is checked in full, so one
 * the table has since dropped and reused only misses.
 */
static inline const struct vet_intake_vc *
vc_recent(struct vet_intake *t, size_t f, struct vet_span s)
{
	struct vet_intake_slot *sl = &t->slots[f];
	const struct vet_intake_vc *e;
	uint32_t k;
	int i;

	for (i = 0; i < 2; i++) {
		if ((k = sl->vcl[i]) == 0)
			continue;
		e = &t->vc[k - 1];
		if (e->field == f + 1 && e->len == s.n &&
		    vet_mem_eq_short(t->vctext.data + e->off, s.p, s.n)) {
			if (i == 1) {
				sl->vcl[1] = sl->vcl[0];
				sl->vcl[0] = k;
			}
			return e;
		}
	}
	e = vc_find(t, f, s, fast_hash((uint32_t)f + 1, s.p, s.n));
	if (e != NULL) {
		sl->vcl[1] = sl->vcl[0];
		sl->vcl[0] = (uint32_t)(e - t->vc) + 1;
	}
	return e;
}

/* Doubles the value table, or makes its first.  0 or -1. */
static int
vc_grow(struct vet_intake *t)
{
	size_t cap = t->vccap ? t->vccap * 2 : VC_MIN, i, k;
	struct vet_intake_vc *n;

	if ((n = calloc(cap, sizeof *n)) == NULL)
		return -1;
	for (i = 0; i < t->vccap; i++) {
		if (t->vc[i].field == 0)
			continue;
		for (k = t->vc[i].hash & (cap - 1); n[k].field != 0;
		    k = (k + 1) & (cap - 1))
			;
		n[k] = t->vc[i];
	}
	/* The columns' recent entries (vcl) now point at other entries:
	 * vc_recent() checks an entry in full, so they only miss once. */
	free(t->vc);
	t->vc = n;
	t->vccap = cap;
	return 0;
}

/*
 * Remembers that text s of field f became JSON text [j, j + jn).  The
 * table only saves work, so a failure to grow it is not an error; when it
 * is half full at VC_CAP it starts over, which bounds it for columns of
 * free text.
 */
static void
vc_add(struct vet_intake *t, size_t f, struct vet_span s, uint32_t h,
    const char *j, size_t jn)
{
	struct vet_intake_vc *e;
	size_t k;

	if (s.n > CACHE_TEXT_MAX || jn > CACHE_TEXT_MAX)
		return;
	if ((t->vc == NULL || (t->nvc >= t->vccap / 2 &&
	    t->vccap < VC_CAP)) && vc_grow(t) < 0)
		return;
	if (t->nvc >= t->vccap / 2) {
		memset(t->vc, 0, t->vccap * sizeof *t->vc);
		t->nvc = 0;
		vet_buf_reset(&t->vctext);
	}
	if (room(&t->vctext, s.n + jn) < 0)
		return;
	for (k = h & (t->vccap - 1); t->vc[k].field != 0;
	    k = (k + 1) & (t->vccap - 1))
		;
	e = &t->vc[k];
	e->hash = h;
	e->field = (uint32_t)f + 1;
	e->off = t->vctext.len;
	e->len = s.n;
	put(&t->vctext, s.p, s.n);
	e->joff = t->vctext.len;
	e->jlen = jn;
	put(&t->vctext, j, jn);
	t->nvc++;
}

static int
is_sep(const unsigned char *p, size_t n, size_t i, size_t *len)
{
	if (p[i] == ',' || p[i] == ';' || p[i] == '|' || p[i] == '\n' ||
	    p[i] == '\r') {
		*len = 1;
		return 1;
	}
	if (i + 2 < n && ((p[i] == 0xe3 && p[i + 1] == 0x80 &&
	    p[i + 2] == 0x81) ||	/* 、 */
	    (p[i] == 0xef && p[i + 1] == 0xbc &&
	    (p[i + 2] == 0x8c || p[i + 2] == 0x9b)))) {	/* ，； */
		*len = 3;
		return 1;
	}
	return 0;
}

/* Appends the JSON array of the items of s to vals; 0 items: -1. */
static int
put_array(struct vet_intake *t, struct vet_span s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, start = 0, k = 0, items = 0;
	struct vet_span item;

	/* The bytes a separator can start with. */
	static const unsigned char lead[256] = {
		[','] = 1, [';'] = 1, ['|'] = 1, ['\n'] = 1, ['\r'] = 1,
		[0xe3] = 1, [0xef] = 1
	};

	if (vet_buf_addch(&t->vals, '[') < 0)
		t->oom = 1;
	for (;;) {
		if (i < s.n && (!lead[p[i]] || !is_sep(p, s.n, i, &k))) {
			i++;
			continue;
		}
		item.p = s.p + start;
		item.n = i - start;
		item = vet_trim(item);
		if (item.n > 0) {
			if (items++ > 0 && vet_buf_addch(&t->vals, ',') < 0)
				t->oom = 1;
			if (add_str(t, &t->vals, item.p, item.n) < 0)
				t->oom = 1;
		}
		if (i >= s.n)
			break;
		i += k;
		start = i;
	}
	if (vet_buf_addch(&t->vals, ']') < 0)
		t->oom = 1;
	return items > 0 ? 0 : -1;
}

/*
 * put_cell() for the usual JSON value, one already canonical: the slot
 * points at raw, without put_cell()'s copies, its buffer checks and the
 * call.  s and raw are as put_cell() takes them, raw not NULL.  Returns 1
 * when it set the slot, 0 when nothing was done and the value needs
 * put_cell(); it decides exactly as put_cell() would.
 */
static inline int
quick_cell(struct vet_intake *t, size_t f, struct vet_span s,
    const struct vet_span *raw)
{
	const struct vet_intake_vc *e;
	const unsigned char *p = (const unsigned char *)s.p;
	const char *code;
	int rawstr;
	vet_day day;

	/* What trimmed() lets through untouched, a field not yet set, and
	 * not a word for "unknown" or "none". */
	if (s.n == 0 || p[0] <= ' ' || p[0] == 0xe3 || p[s.n - 1] <= ' ' ||
	    p[s.n - 1] == 0x80 || t->slots[f].set || special_word(t, s))
		return 0;
	rawstr = raw->p[0] == '"';
	switch (t->map->fields[f].type) {
	case VET_FT_STRING:
		if (!rawstr)
			return 0;
		break;
	case VET_FT_PHONE:
		if (!rawstr || !plain_ascii(s))
			return 0;
		break;
	case VET_FT_DISTRICT:
	case VET_FT_BOOL:
	case VET_FT_ENUM:
		e = vc_recent(t, f, s);
		if (e == NULL || raw->n != e->jlen)
			return 0;
		code = t->vctext.data + e->joff;
		if (!vet_mem_eq_short(raw->p, code, e->jlen))
			return 0;
		if ((long)f == t->f_sex)
			t->sex = code[0] == '"' ? code[1] : code[0];
		break;
	case VET_FT_DATE:
		if (!rawstr || s.n != 10 || vet_date_parse(s.p, s.n, &day) < 0)
			return 0;
		if ((long)f == t->f_birth)
			t->birth = day;
		if ((long)f == t->f_last) {
			t->last_contact = day;
			t->has_last_contact = 1;
		}
		break;
	case VET_FT_INT:
		if (rawstr || !canonical_int(s))
			return 0;
		break;
	case VET_FT_NUMBER:
		if (rawstr || s.n > 15 || !canonical_int(s))
			return 0;
		break;
	default:
		return 0;
	}
	ext_slot(t, f, raw);
	return 1;
}

/*
 * The put_*() of put_cell(), one per field type, return PUT_END when the
 * value is in vals from the slot's start (put_cell() ends the slot), and
 * else what put_cell() returns: 0 (the slot set from raw, or the cell
 * rejected with its reason added) or VET_ENOMEM.  s is trimmed, rawstr
 * says raw is a JSON string.
 */
#define PUT_END 1

/* put_id() is the path of every record's id, which a call costs 1% of
 * vet-intake's instructions on JSON Lines: kept inline, as before it was a
 * function of its own. */
#define ALWAYS_INLINE	__attribute__((always_inline))

static inline ALWAYS_INLINE int
put_id(struct vet_intake *t, size_t f, struct vet_span s,
    const struct vet_span *raw, int rawstr)
{
	struct vet_error err;
	enum vet_id_fault fault;
	char id[19];
	vet_day day;
	int born;

	if (t->raw_id) {
		if (rawstr)
			return ext_slot(t, f, raw);
		if (add_str(t, &t->vals, s.p, s.n) < 0)
			t->oom = 1;
		return PUT_END;
	}
	err.msg[0] = '\0';
	/* An id typed as the 18 characters it should be needs no
	 * normalising, only the checks; the rest go the long way, which
	 * also words the error. */
	born = 0;
	if (s.n == 18 && vet_id_valid(s.p, 18) &&
	    vet_id_birth(s.p, &day) == 0 && day <= t->today) {
		memcpy(id, s.p, 18);
		id[18] = '\0';
		born = 1;
	} else if (vet_id_normalize(s.p, s.n, t->today, id, &fault,
	    &err) < 0) {
		add_error(t, "%s", err.msg);
		t->slots[f].bad = 1;
		return 0;
	}
	if ((long)f == t->f_id) {
		memcpy(t->id, id, 19);
		t->has_id = 1;
		/* check_person() needs the birth date again. */
		t->id_has_born = born;
		t->id_born = born ? day : 0;
	}
	if (rawstr && s.n == 18 && memcmp(s.p, id, 18) == 0)
		return ext_slot(t, f, raw);
	putch(&t->vals, '"');
	put(&t->vals, id, 18);
	putch(&t->vals, '"');
	return PUT_END;
}

static int
put_phone(struct vet_intake *t, size_t f, struct vet_span s,
    const struct vet_span *raw, int rawstr)
{
	struct vet_span v;
	size_t i;

	if (rawstr && plain_ascii(s))
		return ext_slot(t, f, raw);
	/* Nothing to fold or take out: the text as it is, escaped. */
	if (plain_ascii(s)) {
		if (add_str(t, &t->vals, s.p, s.n) < 0)
			t->oom = 1;
		return PUT_END;
	}
	/* Spaces out, and the rest through the escaping writer: a phone
	 * cell is text like any other, and one holding '"' or '\\' must not
	 * end the string or add a field. */
	v = folded(t, s);
	vet_buf_reset(&t->tmp2);
	for (i = 0; i < v.n; i++)
		if (v.p[i] != ' ' && vet_buf_addch(&t->tmp2, v.p[i]) < 0)
			return VET_ENOMEM;
	if (add_str(t, &t->vals, t->tmp2.data == NULL ? "" : t->tmp2.data,
	    t->tmp2.len) < 0)
		t->oom = 1;
	return PUT_END;
}

/* A district, yes/no or code cell not in the column's cache: its code,
 * through the mapping (and the policy's district names). */
static int
put_new_code(struct vet_intake *t, size_t f, struct vet_span s)
{
	const struct vet_map_field *fd = &t->map->fields[f];
	const char *code;
	struct vet_span v;

	if (fd->type == VET_FT_DISTRICT) {
		code = vet_mapping_value(t->map, f, s.p, s.n);
		if (code != NULL) {
			s.p = code;
			s.n = strlen(code);
		}
		/* The policy's name for it: 朝阳, 北京市朝阳区 and 朝陽區 are
		 * all 朝阳区. */
		if (t->policy != NULL) {
			code = vet_policy_district_name(t->policy, s.p, s.n);
			if (code == NULL) {
				add_error(t, "unknown district '%s'",
				    vet_intake__quote(t, s.p, s.n));
				t->slots[f].bad = 1;
				return 0;
			}
			s.p = code;
			s.n = strlen(code);
		}
		if (add_str(t, &t->vals, s.p, s.n) < 0)
			t->oom = 1;
		return PUT_END;
	}
	v = folded(t, s);
	code = vet_mapping_value(t->map, f, v.p, v.n);
	if (code == NULL) {
		add_error(t, fd->type == VET_FT_BOOL ?
		    "not a yes/no value '%s' in field '%s'" :
		    "unknown value '%s' in field '%s'", vet_intake__quote(t, s.p, s.n),
		    fd->name);
		t->slots[f].bad = 1;
		return 0;
	}
	if ((fd->type == VET_FT_BOOL ? vet_buf_addstr(&t->vals, code) :
	    add_str(t, &t->vals, code, strlen(code))) < 0)
		t->oom = 1;
	if ((long)f == t->f_sex)
		t->sex = code[0];
	return PUT_END;
}

static int
put_code(struct vet_intake *t, size_t f, struct vet_span s,
    const struct vet_span *raw, size_t off)
{
	const struct vet_intake_vc *e;
	const char *code;
	uint32_t h;
	int rc;

	/* A column holds few distinct values: map each once. */
	h = fast_hash((uint32_t)f + 1, s.p, s.n);
	if ((e = vc_find(t, f, s, h)) != NULL) {
		if (room(&t->vals, e->jlen) < 0)
			return VET_ENOMEM;
		code = t->vctext.data + e->joff;
		if ((long)f == t->f_sex)
			t->sex = code[0] == '"' ? code[1] : code[0];
		if (raw != NULL && raw->n == e->jlen &&
		    vet_mem_eq_short(raw->p, code, e->jlen))
			return ext_slot(t, f, raw);
		put(&t->vals, code, e->jlen);
		return PUT_END;
	}
	if ((rc = put_new_code(t, f, s)) != PUT_END)
		return rc;
	if (t->oom)
		return VET_ENOMEM;
	vc_add(t, f, s, h, t->vals.data + off, t->vals.len - off);
	return PUT_END;
}

static int
put_date(struct vet_intake *t, size_t f, struct vet_span s,
    const struct vet_span *raw, int rawstr)
{
	const struct vet_map_field *fd = &t->map->fields[f];
	struct vet_error err;
	struct vet_span v;
	char date[11];
	vet_day day;
	int y, m, d;

	/* YYYY-MM-DD, the usual form, needs no loose parse. */
	if (s.n == 10 && vet_date_parse(s.p, s.n, &day) == 0) {
		if (rawstr)
			ext_slot(t, f, raw);
		else {
			putch(&t->vals, '"');
			put(&t->vals, s.p, 10);
			putch(&t->vals, '"');
		}
	} else if (vet_intake__quick_date(s.p, s.n, &y, &m, &d) == 0 &&
	    vet_date_from_ymd(y, m, d, &day) == 0) {
		putch(&t->vals, '"');
		vet_intake__put_ymd(&t->vals, y, m, d);
		putch(&t->vals, '"');
	} else {
		v = folded(t, s);
		err.msg[0] = '\0';
		if (vet_date_parse_cell(v.p, v.n, fd->flags & VET_SF_MONTH ?
		    VET_DATE_MONTH : 0, &day, &err) < 0) {
			add_error(t, "%s in field '%s'", err.msg, fd->name);
			t->slots[f].bad = 1;
			return 0;
		}
		vet_date_format(day, date);
		putch(&t->vals, '"');
		put(&t->vals, date, 10);
		putch(&t->vals, '"');
	}
	if ((long)f == t->f_birth)
		t->birth = day;
	if ((long)f == t->f_last) {
		t->last_contact = day;
		t->has_last_contact = 1;
	}
	return rawstr ? 0 : PUT_END;
}

static int
put_int(struct vet_intake *t, size_t f, struct vet_span s,
    const struct vet_span *raw, int rawstr)
{
	struct vet_span v;
	long long iv;

	if (raw != NULL && !rawstr && canonical_int(s))
		return ext_slot(t, f, raw);
	v = folded(t, s);
	if (parse_int(v.p, v.n, &iv) < 0) {
		add_error(t, "not an integer '%s' in field '%s'",
		    vet_intake__quote(t, s.p, s.n), t->map->fields[f].name);
		t->slots[f].bad = 1;
		return 0;
	}
	add_int(t, &t->vals, iv);
	return PUT_END;
}

static int
put_number(struct vet_intake *t, size_t f, struct vet_span s,
    const struct vet_span *raw, int rawstr)
{
	struct vet_span v;
	double dv;

	/* Up to 15 digits, an integer is exact in a double and is written
	 * back as it is. */
	if (raw != NULL && !rawstr && s.n <= 15 && canonical_int(s))
		return ext_slot(t, f, raw);
	v = folded(t, s);
	if (parse_number(t, v.p, v.n, &dv) < 0 || dv != dv || dv - dv != 0) {
		add_error(t, "not a number '%s' in field '%s'",
		    vet_intake__quote(t, s.p, s.n), t->map->fields[f].name);
		t->slots[f].bad = 1;
		return 0;
	}
	if (vet_json_add_number(&t->vals, dv) < 0)
		t->oom = 1;
	return PUT_END;
}

/*
 * Normalises the text of one cell into the slot of field f.  Empty cells
 * leave the field absent.  Errors are added to the record's reasons.  raw,
 * when not NULL, is the JSON text the value came in (a string without
 * escapes, with its quotes, or a number or literal): when the value is
 * already canonical the slot points at it instead of a copy.
 */
static int
put_cell(struct vet_intake *t, size_t f, struct vet_span s,
    const struct vet_span *raw)
{
	const struct vet_map_field *fd = &t->map->fields[f];
	size_t off, n0 = s.n;
	int rawstr, k, rc;

	s = trimmed(s);
	if (s.n == 0)
		return 0;
	if (t->slots[f].set) {
		add_error(t, "field '%s' given twice", fd->name);
		t->slots[f].bad = 1;
		return 0;
	}
	/* Trimmed text is no longer the text of the input. */
	if (s.n != n0)
		raw = NULL;
	rawstr = raw != NULL && raw->p[0] == '"';
	if (room(&t->vals, s.n + 64) < 0)
		return VET_ENOMEM;
	off = begin_slot(t);
	if ((k = special_word(t, s)) != 0) {
		if (fd->type == VET_FT_ARRAY && (k & 2)) {
			put(&t->vals, "[]", 2);
			t->vals.data[t->vals.len] = '\0';
			return end_slot(t, f, off);
		}
		if (k & 1)
			return 0;
	}
	switch (fd->type) {
	case VET_FT_STRING:
		if (rawstr)
			return ext_slot(t, f, raw);
		if (add_str(t, &t->vals, s.p, s.n) < 0)
			t->oom = 1;
		rc = PUT_END;
		break;
	case VET_FT_ID:
		rc = put_id(t, f, s, raw, rawstr);
		break;
	case VET_FT_PHONE:
		rc = put_phone(t, f, s, raw, rawstr);
		break;
	case VET_FT_DISTRICT:
	case VET_FT_BOOL:
	case VET_FT_ENUM:
		rc = put_code(t, f, s, raw, off);
		break;
	case VET_FT_DATE:
		rc = put_date(t, f, s, raw, rawstr);
		break;
	case VET_FT_INT:
		rc = put_int(t, f, s, raw, rawstr);
		break;
	case VET_FT_NUMBER:
		rc = put_number(t, f, s, raw, rawstr);
		break;
	case VET_FT_ARRAY:
		if (put_array(t, s) < 0) {
			vet_buf_truncate(&t->vals, off);
			return 0;
		}
		rc = PUT_END;
		break;
	default:
		rc = PUT_END;
		break;
	}
	if (rc != PUT_END)
		return rc;
	t->vals.data[t->vals.len] = '\0';
	return end_slot(t, f, off);
}

/* Event records need more fields depending on their type (SPEC 2.2,
 * schema.h). */
static void
check_event(struct vet_intake *t)
{
	const struct vet_intake_slot *s;
	const struct vet_schema_event *ev;
	const char *const *need;
	long f;

	s = &t->slots[t->f_type];
	if (!s->set || s->len < 2 ||
	    (ev = vet_schema_event(vet_intake__slot_text(t, s) + 1,
	    s->len - 2)) == NULL)
		return;
	for (need = ev->required; *need != NULL; need++) {
		f = vet_mapping_field(t->map, *need);
		if (f >= 0 && !t->slots[f].set && !t->slots[f].bad)
			add_error(t, "missing required field '%s' for a '%s' "
			    "event", *need, ev->type);
	}
}

/* Derives sex and birth date from the id and checks the sheet's. */
static void
check_person(struct vet_intake *t)
{
	char date[11], idsex;
	vet_day born;
	size_t off;

	if (!t->has_id)
		return;
	idsex = vet_id_sex(t->id);
	if (t->f_sex >= 0) {
		if (t->slots[t->f_sex].set && t->sex != idsex)
			add_error(t, "sex '%c' contradicts id", t->sex);
		else if (!t->slots[t->f_sex].set && !t->slots[t->f_sex].bad) {
			if (room(&t->vals, 3) < 0) {
				t->oom = 1;
				return;
			}
			off = begin_slot(t);
			putch(&t->vals, '"');
			putch(&t->vals, idsex);
			putch(&t->vals, '"');
			end_slot(t, (size_t)t->f_sex, off);
		}
	}
	if (t->id_has_born)
		born = t->id_born;
	if (t->f_birth >= 0 && (t->id_has_born ||
	    vet_id_birth(t->id, &born) == 0)) {
		if (t->slots[t->f_birth].set && t->birth != born) {
			vet_date_format(t->birth, date);
			add_error(t, "birth_date '%s' contradicts the birth date "
			    "in id", date);
		} else if (!t->slots[t->f_birth].set &&
		    !t->slots[t->f_birth].bad) {
			if (room(&t->vals, 12) < 0) {
				t->oom = 1;
				return;
			}
			vet_date_format(born, date);
			off = begin_slot(t);
			putch(&t->vals, '"');
			put(&t->vals, date, 10);
			putch(&t->vals, '"');
			end_slot(t, (size_t)t->f_birth, off);
		}
	}
}

/* Writes the record built in the slots and extra to out. */
static int
finish_record(struct vet_intake *t, struct vet_buf *out)
{
	const struct vet_mapping *m = t->map;
	struct vet_intake_slot *s;
	const char *run = NULL, *end = NULL;
	size_t i, k;
	char *o, sep = '{';

	check_person(t);
	if (t->f_type >= 0)
		check_event(t);
	for (k = 0; k < t->nreq; k++) {
		i = t->req[k];
		if (!t->slots[i].set && !t->slots[i].bad)
			add_error(t, "missing required field '%s'",
			    m->fields[i].name);
	}
	/* A record is never written short of what memory refused. */
	if (t->oom)
		return VET_ENOMEM;
	if (finish_errors(t) < 0) {
		t->has_id = 0;
		return VET_EDATA;
	}
	/*
	 * One size check for the whole line, then plain copies.  Fields that
	 * follow one another in the input as they will in the output, key
	 * and value, are copied as one run.
	 */
	if (room(out, t->need + t->extra.len + 3) < 0)
		return VET_ENOMEM;
	/* Written through a cursor of its own, which the compiler keeps in
	 * a register: out->len would be reloaded after every byte stored. */
	o = out->data + out->len;
	for (i = 0; i < m->nfields; i++) {
		s = &t->slots[i];
		s->bad = 0;
		if (!s->set)
			continue;
		s->set = 0;
		if (s->kext != NULL) {
			if (run != NULL && s->kext == end + 1 && *end == ',') {
				end = s->ext + s->len;
				continue;
			}
			if (run != NULL) {
				vet_mem_copy_short(o, run, (size_t)(end - run));
				o += end - run;
			}
			*o++ = sep;
			sep = ',';
			run = s->kext;
			end = s->ext + s->len;
			continue;
		}
		if (run != NULL) {
			vet_mem_copy_short(o, run, (size_t)(end - run));
			o += end - run;
			run = NULL;
		}
		*o++ = sep;
		sep = ',';
		vet_mem_copy_short(o, m->fields[i].jkey, m->fields[i].jkeylen);
		o += m->fields[i].jkeylen;
		vet_mem_copy_short(o, vet_intake__slot_text(t, s), s->len);
		o += s->len;
	}
	if (run != NULL) {
		vet_mem_copy_short(o, run, (size_t)(end - run));
		o += end - run;
	}
	/* The unknown columns, each with its comma: the first one's goes
	 * when no field came before. */
	k = sep == '{' ? 1 : 0;
	if (k)
		*o++ = '{';
	if (t->extra.len > k) {
		vet_mem_copy_short(o, t->extra.data + k, t->extra.len - k);
		o += t->extra.len - k;
	}
	*o++ = '}';
	*o++ = '\n';
	*o = '\0';
	out->len = (size_t)(o - out->data);
	t->dirty = 0;
	return 0;
}

/* Kind raw: every cell a string, in column order. */
static int
raw_row(struct vet_intake *t, const struct vet_span *cells, size_t n,
    struct vet_buf *out)
{
	size_t i, start = out->len;

	int e;

	e = vet_buf_addch(out, '{') < 0;
	for (i = 0; i < n; i++) {
		if (i > 0)
			e |= vet_buf_addch(out, ',') < 0;
		e |= vet_buf_add(out, t->keys.data + t->colkey[i],
		    t->colkeylen[i]) < 0;
		e |= add_str(t, out, cells[i].p, cells[i].n) < 0;
	}
	if (e || vet_buf_add(out, "}\n", 2) < 0) {
		vet_buf_truncate(out, start);
		return VET_ENOMEM;
	}
	return 0;
}

int
vet_intake_row(struct vet_intake *t, const struct vet_span *cells, size_t n,
    struct vet_buf *out)
{
	struct vet_intake_memo *m = NULL;
	struct vet_intake__memo_ent *e;
	struct vet_span v;
	size_t i, nerr, mcols;
	long f;
	int rc, hit;

	begin_record(t);
	t->trust = t->utf8_checked;
	if (t->header_bad) {
		add_error(t, "%s", t->header_msg.data);
		return finish_errors(t);
	}
	if (n != t->ncols) {
		add_error(t, "ragged row (%zu fields, header has %zu)", n,
		    t->ncols);
		return finish_errors(t);
	}
	if (t->map->kind == VET_KIND_RAW)
		return raw_row(t, cells, n, out);
	if (t->trust && t->nmemo < n)
		vet_intake__memo_alloc(t, n);
	mcols = t->trust ? (t->nmemo < n ? t->nmemo : n) : 0;
	for (i = 0; i < n; i++) {
		if (cells[i].n == 0)
			continue;	/* an empty cell leaves its field absent */
		if ((f = t->colfield[i]) >= 0) {
			e = NULL;
			if (i < mcols) {
				m = &t->memo[i];
				if (m->field != f + 1)
					vet_intake__memo_reset(t, m, f);
				if ((e = vet_intake__memo_get(m, cells[i],
				    &hit)) != NULL && hit) {
					vet_intake__memo_use(t, m, f, e);
					continue;
				}
			}
			nerr = t->nerr;
			if ((rc = put_cell(t, (size_t)f, cells[i], NULL)) < 0)
				return rc;
			if (e != NULL)
				vet_intake__memo_keep(t, m, f, cells[i], nerr, e);
			continue;
		}
		if (t->colfield[i] == VET_INTAKE__COL_IGNORED)
			continue;
		v = vet_trim(cells[i]);
		if (v.n == 0)
			continue;
		if (vet_buf_addch(&t->extra, ',') < 0)
			t->oom = 1;
		if (vet_buf_add(&t->extra, t->keys.data + t->colkey[i],
		    t->colkeylen[i]) < 0)
			t->oom = 1;
		if (add_str(t, &t->extra, v.p, v.n) < 0)
			t->oom = 1;
	}
	return finish_record(t, out);
}

/* The elements of a JSON array for an array field, normalised like the
 * items of a cell. */
/*
 * True when array v is already as put_json_array() would write it: no
 * white space, only non-empty strings without escapes or surrounding
 * white space.
 */
static int
canonical_array(struct vet_span v)
{
	struct vet_json_iter it;
	struct vet_span el, c;
	const char *want = v.p + 1;

	if (v.n == 2)
		return 1;
	vet_json_iter_init(&it, v);
	while (vet_json_iter_next(&it, NULL, &el)) {
		if (el.p != want || el.n < 3 || el.p[0] != '"' ||
		    has_backslash(el.p, el.n))
			return 0;
		c.p = el.p + 1;
		c.n = el.n - 2;
		if (vet_trim(c).n != c.n)
			return 0;
		want = el.p + el.n + 1;
	}
	return want == v.p + v.n;
}

static int
put_json_array(struct vet_intake *t, size_t f, struct vet_span v)
{
	struct vet_json_iter it;
	struct vet_span el, s;
	size_t off = begin_slot(t), items = 0;

	if (canonical_array(v))
		return ext_slot(t, f, &v);

	if (vet_buf_addch(&t->vals, '[') < 0)
		t->oom = 1;
	vet_json_iter_init(&it, v);
	while (vet_json_iter_next(&it, NULL, &el)) {
		switch (vet_json_type_of(el)) {
		case VET_JSON_NULL:
			continue;
		case VET_JSON_STRING:
			if (vet_json_string(el, &t->tmp, &s) < 0)
				return VET_ENOMEM;
			break;
		case VET_JSON_ARRAY:
		case VET_JSON_OBJECT:
			vet_buf_truncate(&t->vals, off);
			add_error(t, "field '%s' must be a list of strings",
			    t->map->fields[f].name);
			t->slots[f].bad = 1;
			return 0;
		default:
			s = el;
			break;
		}
		s = vet_trim(s);
		if (s.n == 0)
			continue;
		if (items++ > 0 && vet_buf_addch(&t->vals, ',') < 0)
			t->oom = 1;
		if (add_str(t, &t->vals, s.p, s.n) < 0)
			t->oom = 1;
	}
	/* An explicit [] says "none", which is known, unlike a blank cell. */
	if (vet_buf_addch(&t->vals, ']') < 0)
		t->oom = 1;
	return end_slot(t, f, off);
}

/*
 * The field of a key of a JSON record.  Records of one file repeat their
 * keys in much the same order, so the key that followed the previous key
 * last time is compared first; then the keys seen so far, by text, in a
 * table that saves the mapping's lookup.  -2 when out of memory.
 */
static int
key_is_name(const struct vet_intake *t, long f, struct vet_span key)
{
	const struct vet_map_field *fd;

	if (f < 0)
		return 0;
	fd = &t->map->fields[f];
	return fd->jkeylen == key.n + 3 &&
	    memcmp(fd->jkey + 1, key.p, key.n) == 0;
}

static long
cached_header(struct vet_intake *t, struct vet_span key, int *canon)
{
	long f;

	struct vet_intake_jkey *c;
	size_t j;
	uint32_t h;

	if (t->jhash == NULL) {
		t->jhash = malloc(JHASH_CAP * sizeof *t->jhash);
		t->jnext = calloc(JHASH_CAP + 1, sizeof *t->jnext);
		if (t->jhash == NULL || t->jnext == NULL)
			return -2;
		for (j = 0; j < JHASH_CAP; j++)
			t->jhash[j].len = UINT32_MAX;
		t->jprev = JHASH_CAP;
	}
	if (t->jprev <= JHASH_CAP) {
		c = &t->jhash[t->jnext[t->jprev]];
		if (c->len == key.n &&
		    vet_mem_eq_short(t->jkeytext.data + c->off, key.p,
		    key.n)) {
			t->jprev = t->jnext[t->jprev];
			*canon = c->canon;
			return c->field;
		}
	}
	h = fast_hash(0, key.p, key.n);
	for (j = h & (JHASH_CAP - 1); t->jhash[j].len != UINT32_MAX;
	    j = (j + 1) & (JHASH_CAP - 1)) {
		c = &t->jhash[j];
		if (c->len == key.n &&
		    vet_mem_eq_short(t->jkeytext.data + c->off, key.p,
		    key.n))
			goto found;
	}
	/* A file whose records keep changing their keys fills the table:
	 * the keys after that are looked up every time. */
	if (t->njhash >= JHASH_CAP / 2 || key.n > CACHE_TEXT_MAX) {
		t->jprev = JHASH_CAP + 1;
		f = vet_mapping_header(t->map, key.p, key.n);
		*canon = key_is_name(t, f, key);
		return f;
	}
	c = &t->jhash[j];
	/* At most JHASH_CAP / 2 keys of CACHE_TEXT_MAX bytes: 32 bits. */
	c->off = (uint32_t)t->jkeytext.len;
	if (vet_buf_add(&t->jkeytext, key.p, key.n) < 0)
		return -2;
	c->len = (uint32_t)key.n;
	c->field = (int32_t)vet_mapping_header(t->map, key.p, key.n);
	c->canon = key_is_name(t, c->field, key);
	t->njhash++;
found:
	*canon = c->canon;
	if (t->jprev <= JHASH_CAP)
		t->jnext[t->jprev] = (uint16_t)j;
	t->jprev = j;
	return c->field;
}

/* Key of JSON field fl unescaped (into t->tmp) when it holds escapes.
 * 0 or VET_ENOMEM. */
static int
json_key(struct vet_intake *t, const struct vet_field *fl,
    struct vet_span *key)
{
	struct vet_span s;

	*key = fl->key;
	if (!fl->key_escaped)
		return 0;
	/* The key span lacks its quotes; unescape a copy. */
	vet_buf_reset(&t->out_tmp);
	if (vet_buf_addch(&t->out_tmp, '"') < 0 ||
	    vet_buf_add(&t->out_tmp, key->p, key->n) < 0 ||
	    vet_buf_addch(&t->out_tmp, '"') < 0)
		return VET_ENOMEM;
	s.p = t->out_tmp.data;
	s.n = t->out_tmp.len;
	vet_buf_reset(&t->tmp);
	if (vet_json_unescape(&t->tmp, s) < 0)
		return VET_ENOMEM;
	key->p = t->tmp.data;
	key->n = t->tmp.len;
	return 0;
}

/* A JSON field of no known name (key, unescaped) is kept as it came,
 * after the known ones.  0 or VET_ENOMEM. */
static int
json_unknown(struct vet_intake *t, const struct vet_field *fl,
    struct vet_span key)
{
	if (vet_intake__note_unknown(t, key.p, key.n) < 0)
		return VET_ENOMEM;
	if (fl->type == VET_JSON_NULL)
		return 0;
	if (vet_buf_addstr(&t->extra, ",\"") < 0)
		t->oom = 1;
	if (vet_buf_add(&t->extra, fl->key.p, fl->key.n) < 0)
		t->oom = 1;
	if (vet_buf_addstr(&t->extra, "\":") < 0)
		t->oom = 1;
	if (vet_buf_add(&t->extra, fl->val.p, fl->val.n) < 0)
		t->oom = 1;
	return 0;
}

/* JSON field fl into the slot of field f (canon: under the field's own
 * key).  0, or VET_ENOMEM. */
static int
json_field(struct vet_intake *t, const struct vet_field *fl, size_t f,
    int canon)
{
	const struct vet_span *raw = &fl->val;
	struct vet_span s;
	int rc;

	switch (fl->type) {
	case VET_JSON_NULL:
		return 0;
	case VET_JSON_STRING:
		s.p = fl->val.p + 1;
		s.n = fl->val.n - 2;
		if (has_backslash(s.p, s.n)) {
			if (vet_json_string(fl->val, &t->out_tmp, &s) < 0)
				return VET_ENOMEM;
			raw = NULL;
		}
		break;
	case VET_JSON_ARRAY:
		if (t->map->fields[f].type == VET_FT_ARRAY) {
			if ((rc = put_json_array(t, f, fl->val)) < 0)
				return rc;
			goto kept;
		}
		/* FALLTHROUGH */
	case VET_JSON_OBJECT:
		add_error(t, "field '%s' must not be %s",
		    t->map->fields[f].name, fl->type == VET_JSON_ARRAY ?
		    "a list" : "an object");
		t->slots[f].bad = 1;
		return 0;
	default:
		s = fl->val;
		break;
	}
	if (raw == NULL || !quick_cell(t, f, s, raw)) {
		if ((rc = put_cell(t, f, s, raw)) < 0)
			return rc;
	}
kept:
	/*
	 * A value kept as it came (its slot points at it), under the
	 * field's own key with nothing between, is written with its key as
	 * one piece of the input (finish_record()).
	 */
	if (t->slots[f].ext == fl->val.p && canon && !fl->key_escaped &&
	    fl->val.p == fl->key.p + fl->key.n + 2)
		t->slots[f].kext = fl->key.p - 1;
	return 0;
}

int
vet_intake_json(struct vet_intake *t, const char *p, size_t n,
    struct vet_buf *out)
{
	struct vet_error err;
	const struct vet_field *fl;
	struct vet_span key;
	size_t i;
	long f;
	int rc, canon;

	begin_record(t);
	t->trust = 1;	/* the parser checked the UTF-8 */
	/* Only what a failure reads: clearing the whole error costs more
	 * than a small record's parse. */
	err.col = 0;
	err.msg[0] = '\0';
	if ((rc = vet_record_parse(&t->rec, p, n, &err)) < 0) {
		if (rc == VET_ENOMEM)
			return VET_ENOMEM;
		if (err.col > 0)
			add_error(t, "invalid JSON at byte %ld: %s", err.col,
			    err.msg);
		else
			add_error(t, "invalid JSON: %s", err.msg);
		return finish_errors(t);
	}
	if (t->map->kind == VET_KIND_RAW) {
		if (vet_record_write(out, &t->rec, NULL) < 0)
			return VET_ENOMEM;
		return 0;
	}
	t->jprev = JHASH_CAP;	/* the first key follows no key */
	for (i = 0; i < t->rec.n; i++) {
		fl = &t->rec.fields[i];
		if (json_key(t, fl, &key) < 0)
			return VET_ENOMEM;
		f = cached_header(t, key, &canon);
		if (f == -2)
			return VET_ENOMEM;
		if (f < 0)
			rc = json_unknown(t, fl, key);
		else
			rc = json_field(t, fl, (size_t)f, canon);
		if (rc < 0)
			return rc;
	}
	return finish_record(t, out);
}
