/*
 * classify.c - filling rule slots from a record, classification, chain
 * links and the policy's own tests (classify.h, policy.h); the block and
 * the decision cache are in classify_cache.c, the reasons in
 * classify_reason.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/classify.h"
#include "vet/hash.h"
#include "vet/id.h"
#include "classify_impl.h"
#include "policy_impl.h"
#include "policy_load.h"

const char *const vet_classify__fact_fields[7] = { "training_hours",
	"refusals", "exited", "exit_date", "exit_reason", "assisted_since",
	"last_contact_date" };

const int vet_classify__fact_field[VET_FACT_N] = { F_HOURS, F_REFUSALS,
	F_EXITED, F_ASSISTED, F_CONTACT };

const char *const vet_classify__block_keys[B_N] = { "age", "working_age",
	"categories", "priority", "measures", "reasons", "policy", "as_of" };
const unsigned char vet_classify__block_klen[B_N] = { 3, 11, 10, 8, 8, 7,
	6, 5 };

static int
find_key(const struct vet_policy *p, const char *k, size_t n)
{
	size_t j;

	for (j = vet_policy_key_hash(k, n) & p->keymask;
	    p->keys[j].name != NULL;
	    j = (j + 1) & p->keymask)
		if (p->keys[j].len == n && memcmp(p->keys[j].name, k, n) == 0)
			return p->keys[j].sym;
	return -1;
}

/* Why a record cannot be classified.  Values are never quoted in it: a
 * wrong value may be an id or a phone typed into the wrong column. */
static int
why_set(char *why, size_t whysz, const char *fmt, const char *name)
{
	snprintf(why, whysz, fmt, name);
	return VET_EDATA;
}

/*
 * The elements of the valid JSON array v when all are strings, else -1.
 * A walk over the text rather than vet_json_iter: the lists are short and
 * read for every record.
 */
static int32_t
count_strings(struct vet_span v)
{
	const char *p = v.p + 1, *end = v.p + v.n - 1;	/* at ']' */
	int32_t n = 0;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r' || *p == ','))
			p++;
		if (p >= end)
			return n;
		if (*p != '"')
			return -1;
		/* Valid text: the string ends at the first unescaped quote. */
		for (p++; *p != '"'; p++)
			if (*p == '\\')
				p++;
		p++;
		n++;
	}
}

/*
 * A string value with escapes is decoded into tmp; its offset is kept in
 * v->n's place (fix[]) until every field is read, because tmp may move.
 */
struct fixup {
	int sym;
	size_t off, len;
};

/* The string values to point into tmp once the record is read. */
struct vet_fill_scratch {
	struct fixup fix[VET_RULE_MAX_SYMS];
};

static int
fill_value(const struct vet_policy *p, const struct vet_field *f, int k,
    struct vet_rval *v, struct vet_buf *tmp, struct fixup *fix, int *nfix,
    char *why, size_t whysz)
{
	const struct vet_rule_sym *s = &p->syms.syms[k];
	const char *const *e;
	const char *str;
	size_t len, off;
	int rc;

	if (f->type == VET_JSON_NULL)
		return 0;
	v->present = 1;
	switch (s->type) {
	case VET_RT_BOOL:
		if (f->type != VET_JSON_TRUE && f->type != VET_JSON_FALSE)
			return why_set(why, whysz,
			    "field '%s' must be true or false", s->name);
		v->num = f->type == VET_JSON_TRUE;
		break;
	case VET_RT_NUM:
		if (f->type != VET_JSON_NUMBER ||
		    vet_json_number(f->val, &v->num) != 0)
			return why_set(why, whysz, "field '%s' must be a number",
			    s->name);
		break;
	case VET_RT_STR:
	case VET_RT_DATE:
		if (f->type != VET_JSON_STRING)
			return why_set(why, whysz, s->type == VET_RT_DATE ?
			    "field '%s' must be a date YYYY-MM-DD" :
			    "field '%s' must be a string", s->name);
		if (f->val_escaped) {
			off = tmp->len;
			if ((rc = vet_json_unescape(tmp, f->val)) < 0)
				return rc;
			len = tmp->len - off;
			str = tmp->data + off;
		} else {
			off = (size_t)-1;
			str = f->val.p + 1;
			len = f->val.n - 2;
		}
		if (s->type == VET_RT_DATE) {
			if (vet_date_parse(str, len, &v->day) != 0)
				return why_set(why, whysz, "field '%s' is not "
				    "a date YYYY-MM-DD", s->name);
			break;
		}
		if (s->enums != NULL) {
			/* The first byte first: the codes of a field
			 * mostly differ there. */
			for (e = s->enums; *e != NULL; e++)
				if ((len == 0 || (*e)[0] == str[0]) &&
				    strlen(*e) == len &&
				    memcmp(*e, str, len) == 0)
					break;
			if (*e == NULL)
				return why_set(why, whysz, "field '%s' has a "
				    "value that is not one of its codes",
				    s->name);
		}
		if (off != (size_t)-1) {
			fix[*nfix].sym = k;
			fix[*nfix].off = off;
			fix[*nfix].len = len;
			(*nfix)++;
		} else {
			v->s = str;
			v->n = len;
		}
		break;
	case VET_RT_STRS:
		if (f->type != VET_JSON_ARRAY)
			return why_set(why, whysz,
			    "field '%s' must be a list of strings", s->name);
		if ((v->count = count_strings(f->val)) < 0)
			return why_set(why, whysz, "field '%s' must be "
			    "a list of strings", s->name);
		v->s = f->val.p;
		v->n = f->val.n;
		break;
	default:
		return VET_EINTERNAL;
	}
	v->known = 1;
	return 0;
}

static void
init_codes(struct vet_rval *vals, const struct vet_pitem *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (items[i].sym < 0)
			continue;
		memset(&vals[items[i].sym], 0, sizeof vals[0]);
		vals[items[i].sym].type = VET_RT_BOOL;
		vals[items[i].sym].known = 1;
	}
}

/* In link mode a code slot is whether the record's categories or measures
 * array holds the code. */
static void
fill_codes(const struct vet_policy *p, const struct vet_pitem *items,
    size_t n, const struct vet_rval *arr, struct vet_rval *vals,
    struct vet_buf *scratch)
{
	struct vet_json_iter it;
	struct vet_span el, s;
	size_t i;

	init_codes(vals, items, n);
	if (!arr->known)
		return;
	vet_json_iter_init(&it, (struct vet_span){ arr->s, arr->n });
	while (vet_json_iter_next(&it, NULL, &el)) {
		if (vet_json_string(el, scratch, &s) != 0)
			continue;
		for (i = 0; i < n; i++)
			/* The first byte first: most codes differ there,
			 * and it spares a strlen per code and element. */
			if (items[i].sym >= 0 && s.n > 0 &&
			    items[i].code[0] == s.p[0] &&
			    strlen(items[i].code) == s.n &&
			    memcmp(items[i].code, s.p, s.n) == 0)
				vals[items[i].sym].num = 1;
	}
}

/* Sets age, retirement and working age unknown. */
static void
unknown_age(const struct vet_policy *p, struct vet_rval *vals)
{
	memset(&vals[p->s_age], 0, sizeof vals[0]);
	vals[p->s_age].type = VET_RT_NUM;
	memset(&vals[p->s_retire], 0, sizeof vals[0]);
	vals[p->s_retire].type = VET_RT_DATE;
	memset(&vals[p->s_working_age], 0, sizeof vals[0]);
	vals[p->s_working_age].type = VET_RT_BOOL;
}

/* The as-of date and its y-m-d, against which every age is reckoned. */
struct asof {
	vet_day day;
	int y, m, d;
};

static void
asof_set(struct asof *at, vet_day as_of)
{
	at->day = as_of;
	vet_date_to_ymd(as_of, &at->y, &at->m, &at->d);
}

/*
 * Birth date and sex (from the valid id, or "" when none, when the record
 * lacks them), then age, retirement and working age.  0, or VET_EDATA
 * with why set; in link mode a record without a usable birth date or sex
 * gets them unknown instead.
 */
static int
fill_person(const struct vet_policy *p, struct vet_rval *vals,
    const char *id, vet_day idbirth, const struct asof *at, int link_mode,
    char *why, size_t whysz)
{
	struct vet_rule_env env;
	struct vet_rval *v;
	vet_day birth, retire, as_of = at->day;
	int age, by, bm, bd;

	v = &vals[p->s_birth];
	if (!v->known) {
		if (id[0] == '\0') {
			if (link_mode) {
				unknown_age(p, vals);
				return 0;
			}
			return why_set(why, whysz, "no valid %s, and no valid "
			    "id to derive it from", "birth_date");
		}
		v->day = idbirth;
		v->known = 1;
	} else if (!link_mode && id[0] != '\0' && idbirth != v->day)
		/* SPEC 2.1: a birth date that contradicts the id is an
		 * error; classifying it would age the wrong person.  Link
		 * mode reads records this has already passed. */
		return why_set(why, whysz, "field '%s' contradicts the id",
		    "birth_date");
	birth = v->day;
	if (birth > as_of) {
		if (link_mode) {
			unknown_age(p, vals);
			return 0;
		}
		return why_set(why, whysz, "%s is after the as-of date",
		    "birth_date");
	}
	v = &vals[p->s_sex];
	if (!v->known) {
		if (id[0] != '\0') {
			v->s = vet_id_sex(id) == 'M' ? "M" : "F";
			v->n = 1;
			v->known = 1;
		} else if (!link_mode)
			return why_set(why, whysz, "no valid %s, and no valid "
			    "id to derive it from", "sex");
	} else if (!link_mode && id[0] != '\0' &&
	    (v->n != 1 || v->s[0] != vet_id_sex(id)))
		return why_set(why, whysz, "field '%s' contradicts the id",
		    "sex");

	/* vet_date_years(), with the as-of date's y-m-d made once. */
	vet_date_to_ymd(birth, &by, &bm, &bd);
	age = at->y - by;
	if (at->m < bm || (at->m == bm && at->d < bd))
		age--;
	unknown_age(p, vals);
	vals[p->s_age].known = 1;
	vals[p->s_age].num = age;
	env.syms = &p->syms;
	env.vals = vals;
	env.as_of = as_of;
	if (vet_policy_retirement(p, &env, birth, &retire)) {
		vals[p->s_retire].known = 1;
		vals[p->s_retire].day = retire;
		vals[p->s_working_age].known = 1;
		vals[p->s_working_age].num = age >= p->min_age &&
		    as_of < retire;
	}
	return 0;
}

/*
 * The classifier's table of the record keys the rules use.  Every key of
 * every record is looked up, so a key is read as at most three words (its
 * first and last bytes, enough to compare a key of up to 24 bytes
 * without memcmp), hashed from them, and found with one probe mostly.
 * Only keys classification reads are in it (not the link-only ones).
 */
struct vet_ckey {
	uint64_t a, b, c;	/* key_words() of the name */
	size_t len;		/* 0: empty slot */
	const char *name;
	int sym;		/* -1: only a block key */
	int block;		/* one of vet_classify__block_keys */
};

/* Loads of the key's bytes that never read outside it. */
static inline void
key_words(const char *k, size_t n, uint64_t *a, uint64_t *b, uint64_t *c)
{
	uint32_t x, y;

	*c = 0;
	if (n >= 8) {
		memcpy(a, k, 8);
		memcpy(b, k + n - 8, 8);
		if (n > 16)
			memcpy(c, k + 8, 8);
	} else if (n >= 4) {
		memcpy(&x, k, 4);
		memcpy(&y, k + n - 4, 4);
		*a = x;
		*b = y;
	} else if (n > 0) {
		/* Bytes 0, n / 2 and n - 1 are all of them. */
		*a = (uint64_t)(unsigned char)k[0] |
		    (uint64_t)(unsigned char)k[n / 2] << 8;
		*b = (unsigned char)k[n - 1];
	} else
		*a = *b = 0;
}

static inline size_t
key_slot(uint64_t a, uint64_t b, size_t n)
{
	uint64_t h = (a ^ (b * 0x9e3779b97f4a7c15ULL) ^ n) *
	    0xff51afd7ed558ccdULL;

	return (size_t)(h >> 40);
}

static inline const struct vet_ckey *
ckey_find(const struct vet_ckey *t, size_t mask, const char *k, size_t n)
{
	const struct vet_ckey *e;
	uint64_t a, b, c;
	size_t j;

	key_words(k, n, &a, &b, &c);
	for (j = key_slot(a, b, n) & mask;; j = (j + 1) & mask) {
		e = &t[j];
		if (e->len == 0)
			return NULL;
		if (e->len == n && e->a == a && e->b == b && e->c == c &&
		    (n <= 24 || memcmp(e->name, k, n) == 0))
			return e;
	}
}

/* The entry of name n bytes long in c->keys, added when absent.  There is
 * always an empty slot: the table is at most a quarter full. */
static struct vet_ckey *
ckey_add(struct vet_classifier *c, const char *name, size_t n)
{
	struct vet_ckey *e;
	uint64_t a, b, w;
	size_t j;

	key_words(name, n, &a, &b, &w);
	for (j = key_slot(a, b, n) & c->keymask; c->keys[j].len != 0;
	    j = (j + 1) & c->keymask)
		if (c->keys[j].len == n && memcmp(c->keys[j].name, name,
		    n) == 0)
			return &c->keys[j];
	e = &c->keys[j];
	e->a = a;
	e->b = b;
	e->c = w;
	e->len = n;
	e->name = name;
	e->sym = -1;
	return e;
}

/* Builds c->keys from the policy's fields.  0 or VET_ENOMEM. */
static int
make_keys(struct vet_classifier *c)
{
	const struct vet_policy *p = c->p;
	const struct vet_rule_sym *s;
	const struct vet_ckey *e;
	size_t i, size, n;

	for (size = 64; size < 4 * (p->nfields + B_N); size *= 2)
		;
	if ((c->keys = calloc(size, sizeof *c->keys)) == NULL)
		return VET_ENOMEM;
	c->keymask = size - 1;
	for (i = 0; i < p->nfields; i++) {
		s = &p->syms.syms[p->fields[i]];
		/* What classification writes is not read when classifying. */
		if (!(s->scopes & ~VET_SCOPE_LINK) ||
		    (n = strlen(s->name)) == 0)
			continue;
		ckey_add(c, s->name, n)->sym = p->fields[i];
	}
	/* The fill sees whether the record holds a field the block writes
	 * (it is then placed by vet_record_write). */
	for (i = 0; i < B_N; i++)
		ckey_add(c, vet_classify__block_keys[i],
		    vet_classify__block_klen[i])->block = 1;
	/* The record's "id" is found here: its second occurrence is seen
	 * while filling, and vet_record_once() is asked only then. */
	e = ckey_find(c->keys, c->keymask, "id", 2);
	c->id_in_fill = p->s_id >= 0 && e != NULL && e->sym == p->s_id;
	return 0;
}

/*
 * vet_policy_fill(), with the classifier's key table kt (or NULL for the
 * policy's).  With check_id, a second "id" stops the fill (VET_EDATA,
 * *check_id set): the caller asks vet_record_once(), as it does on any
 * failure, so that "given twice" is the message whatever the other
 * fields hold.  With kt, *plain is set when the record can be written as
 * its own text and the block (write_output): its fields compact
 * ('"key":value' joined by ','), no key escaped and none of them one the
 * block writes.
 */
static int
fill(const struct vet_policy *p, const struct vet_ckey *kt, size_t kmask,
    const struct vet_record *r, const struct asof *at, int link_mode,
    struct vet_rval *vals, struct vet_buf *tmp, struct vet_fill_scratch *sc,
    char *why, size_t whysz, int *check_id, int *plain)
{
	struct fixup *fix = sc->fix;
	/* On the stack, 512 bytes: a store to a char array elsewhere could
	 * alias any value the loops keep in registers. */
	unsigned char seen[VET_RULE_MAX_SYMS];
	struct vet_rval *v;
	const struct vet_field *f;
	const struct vet_ckey *e;
	struct vet_buf kb = VET_BUF_INIT;
	struct vet_span ks;
	size_t i, span = 0;
	int k, rc, nfix = 0, odd = 0;
	vet_day idbirth = 0;
	char id[19];

	vet_buf_reset(tmp);
	for (i = 0; i < p->nfields; i++) {
		k = p->fields[i];
		memset(&vals[k], 0, sizeof vals[k]);
		vals[k].type = (unsigned char)p->syms.syms[k].type;
		seen[k] = 0;
	}
	for (i = 0; i < r->n; i++) {
		f = &r->fields[i];
		/* '"key":value' and a ',' each: compact text spans the sum. */
		span += f->key.n + f->val.n + 4;
		if (f->key_escaped) {
			odd = 1;
			/* Rare: decode the key to look it up. */
			vet_buf_reset(&kb);
			if (vet_json_string((struct vet_span){ f->key.p - 1,
			    f->key.n + 2 }, &kb, &ks) != 0) {
				if (check_id != NULL)
					*check_id = 1;
				continue;
			}
		} else
			ks = f->key;
		if (kt != NULL) {
			if ((e = ckey_find(kt, kmask, ks.p, ks.n)) == NULL)
				continue;
			odd |= e->block;
			if ((k = e->sym) < 0)
				continue;
		} else if ((k = find_key(p, ks.p, ks.n)) < 0 || (!link_mode &&
		    !(p->syms.syms[k].scopes & ~VET_SCOPE_LINK)))
			/* What classification writes is not read when
			 * classifying. */
			continue;
		/* The first of duplicate keys counts, as vet_record_get. */
		if (seen[k]) {
			if (check_id != NULL && k == p->s_id) {
				*check_id = 1;
				vet_buf_release(&kb);
				return VET_EDATA;
			}
			continue;
		}
		seen[k] = 1;
		if ((rc = fill_value(p, f, k, &vals[k], tmp, fix, &nfix, why,
		    whysz)) < 0) {
			vet_buf_release(&kb);
			return rc;
		}
	}
	vet_buf_release(&kb);
	if (plain != NULL)
		/* Each gap between fields is at least its compact form. */
		*plain = !odd && (r->n == 0 || span - 1 ==
		    (size_t)(r->fields[r->n - 1].val.p +
		    r->fields[r->n - 1].val.n - (r->fields[0].key.p - 1)));
	for (i = 0; i < (size_t)nfix; i++) {
		vals[fix[i].sym].s = tmp->data + fix[i].off;
		vals[fix[i].sym].n = fix[i].len;
	}
	for (i = 0; i < p->ndefaults; i++) {
		v = &vals[p->defaults[i].sym];
		if (!v->known) {
			*v = p->defaults[i].val;
			v->present = 0;
		}
	}

	/* Sex and birth date come from the id when the record lacks them. */
	v = &vals[p->s_id];
	id[0] = '\0';
	if (v->known && v->n == 18 && vet_id_valid_birth(v->s, 18, &idbirth)) {
		memcpy(id, v->s, 18);
		id[18] = '\0';
	}
	/*
	 * Link mode (the report's chain, on classified records) needs no
	 * birth date or sex: without them age, working age and sex are
	 * unknown, and a rule comparing them is false.
	 */
	if ((rc = fill_person(p, vals, id, idbirth, at, link_mode, why,
	    whysz)) < 0)
		return rc;

	if (link_mode) {
		fill_codes(p, p->cats, p->ncats, &vals[p->s_categories], vals,
		    &kb);
		fill_codes(p, p->meas, p->nmeas, &vals[p->s_measures], vals,
		    &kb);
		vet_buf_release(&kb);
	}
	return 0;
}

int
vet_policy_fill(const struct vet_policy *p, const struct vet_record *r,
    vet_day as_of, int link_mode, struct vet_rval *vals, struct vet_buf *tmp,
    char *why, size_t whysz)
{
	struct vet_fill_scratch sc;	/* not a classifier's hot path */
	struct asof at;

	asof_set(&at, as_of);
	return fill(p, NULL, 0, r, &at, link_mode, vals, tmp, &sc, why, whysz,
	    NULL, NULL);
}

/*
 * The constant pieces of the block (classify.h, struct vet_cpieces),
 * escaped once here rather than per record, into c->made; c->pc shows
 * them.  0 or VET_ENOMEM.
 */
static int
make_pieces(struct vet_classifier *c)
{
	const struct vet_policy *p = c->p;
	const struct vet_pitem *it;
	struct vet_buf *b = &c->made.text;
	struct vet_cpiece *code, *head;
	size_t i, n = p->ncats + p->nmeas;
	int e = 0;

	if ((code = calloc(2 * n + 1, sizeof *code)) == NULL)
		return VET_ENOMEM;
	c->made.code = code;
	head = code + n;
	for (i = 0; e == 0 && i < n; i++) {
		it = i < p->ncats ? &p->cats[i] : &p->meas[i - p->ncats];
		code[i].off = b->len;
		e = vet_json_add_string(b, it->code, strlen(it->code));
		code[i].len = b->len - code[i].off;
		head[i].off = b->len;
		if (e == 0)
			e = vet_buf_addstr(b, "{\"code\":");
		if (e == 0)
			e = vet_json_add_string(b, it->code, strlen(it->code));
		if (e == 0)
			e = vet_buf_addstr(b, ",\"clause\":");
		if (e == 0)
			e = vet_json_add_string(b, it->clause,
			    strlen(it->clause));
		if (e == 0)
			e = vet_buf_addstr(b, ",\"detail\":");
		head[i].len = b->len - head[i].off;
	}
	if (e == 0)
		e = vet_classify__make_reasons(c);
	c->pc.text = vet_buf_str(b);
	c->pc.code = code;
	c->pc.head = head;
	c->pc.alt_first = c->made.alt_first;
	c->pc.alt = c->made.alt;
	return e;
}

/* The tail ',"policy":"..","as_of":".."'.  0 or VET_ENOMEM. */
static int
make_tail(struct vet_classifier *c)
{
	struct vet_buf *b = &c->tail;
	int e;

	e = vet_buf_addstr(b, ",\"policy\":");
	c->tail_policy.off = b->len;
	if (e == 0)
		e = vet_json_add_string(b, c->p->id, strlen(c->p->id));
	c->tail_policy.len = b->len - c->tail_policy.off;
	if (e == 0)
		e = vet_buf_addstr(b, ",\"as_of\":");
	if (e == 0)
		e = vet_json_add_string(b, c->as_of_str, 10);
	return e;
}

/* Whether the pieces make wrote (pre) hold for the parameters in vals:
 * a detail shows a parameter's value, which has a period in force. */
static int
pre_fits(const struct vet_cpre *pre, const struct vet_policy *p,
    const struct vet_rval *vals)
{
	const struct vet_rval *v;
	size_t i;

	if (pre->nparams != p->nparams)
		return 0;
	for (i = 0; i < p->nparams; i++) {
		v = &vals[p->params[i].sym];
		if (v->known != pre->known[i] ||
		    (v->known && v->num != pre->num[i]))
			return 0;
	}
	return 1;
}

int
vet_classify_init(struct vet_classifier *c, const struct vet_policy *p,
    vet_day as_of, struct vet_error *err)
{
	size_t i;
	int rc;

	memset(c, 0, sizeof *c);
	c->p = p;
	c->as_of = as_of;
	vet_date_format(as_of, c->as_of_str);
	vet_date_to_ymd(as_of, &c->as_of_y, &c->as_of_m, &c->as_of_d);
	c->vals = calloc(p->syms.n ? p->syms.n : 1, sizeof *c->vals);
	c->cat = calloc(p->ncats + 1, 1);
	c->meas = calloc(p->nmeas + 1, 1);
	/* Not cleared: fill() writes what it reads. */
	c->fsc = malloc(sizeof *c->fsc);
	if (c->vals == NULL || c->cat == NULL || c->meas == NULL ||
	    c->fsc == NULL) {
		rc = vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
		goto fail;
	}
	c->dated = calloc(p->ndated + 1, 1);
	c->dated_day = calloc(p->ndated + 1, sizeof *c->dated_day);
	if (c->dated == NULL || c->dated_day == NULL) {
		rc = vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
		goto fail;
	}
	for (i = 0; i < 7; i++)
		c->fsym[i] = vet_rule_symtab_find(&p->syms,
		    vet_classify__fact_fields[i],
		    strlen(vet_classify__fact_fields[i]));
	if ((rc = vet_policy_set_params(p, as_of, c->vals, err)) < 0)
		goto fail;
	init_codes(c->vals, p->cats, p->ncats);
	init_codes(c->vals, p->meas, p->nmeas);
	if (p->cpre != NULL && pre_fits(p->cpre, p, c->vals))
		c->pc = p->cpre->pc;
	else if ((rc = make_pieces(c)) < 0) {
		rc = vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
		goto fail;
	}
	if ((rc = make_tail(c)) < 0 || (rc = make_keys(c)) < 0) {
		rc = vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
		goto fail;
	}
	c->dec_off = p->ncats > 64 || p->nmeas > 64;
	vet_record_init(&c->rec);
	vet_fieldset_init(&c->fs);
	return 0;
fail:
	free(c->keys);
	free(c->made.code);
	free(c->made.alt_first);
	free(c->made.alt);
	vet_buf_release(&c->made.text);
	vet_buf_release(&c->tail);
	free(c->vals);
	free(c->fsc);
	free(c->cat);
	free(c->meas);
	free(c->dated);
	free(c->dated_day);
	memset(c, 0, sizeof *c);
	return rc;
}

void
vet_classify_release(struct vet_classifier *c)
{
	free(c->keys);
	free(c->dec);
	vet_buf_release(&c->dtext);
	free(c->made.code);
	free(c->made.alt_first);
	free(c->made.alt);
	vet_buf_release(&c->made.text);
	vet_buf_release(&c->tail);
	vet_buf_release(&c->block);
	free(c->vals);
	free(c->fsc);
	free(c->cat);
	free(c->meas);
	free(c->dated);
	free(c->dated_day);
	vet_record_release(&c->rec);
	vet_fieldset_release(&c->fs);
	vet_buf_release(&c->tmp);
	vet_buf_release(&c->detail);
	vet_buf_release(&c->ftmp);
	memset(c, 0, sizeof *c);
}

void
vet_classify_set_events(struct vet_classifier *c, struct vet_event_index *x)
{
	c->events = x;
}

/*
 * A code's slot is made a known boolean once, at init (init_codes), and
 * nothing but decide() writes it after: only whether it holds changes.
 */
static inline void
set_code(struct vet_rval *vals, int sym, int held)
{
	if (sym >= 0)
		vals[sym].num = held;
}

/* Evaluates categories, priority and measures on filled slots. */
static void
decide(struct vet_classifier *c)
{
	const struct vet_policy *p = c->p;
	struct vet_rule_env env = { &p->syms, c->vals, c->as_of };
	size_t i;
	int excl = -1, prio;

	c->dcats = c->dmeas = 0;
	for (i = 0; i < p->ncats; i++) {
		if (excl >= 0) {
			c->cat[i] = 0;
		} else {
			c->cat[i] = (unsigned char)vet_rule_eval(
			    &p->cats[i].rule, &env);
			if (c->cat[i] && p->cats[i].exclusive) {
				/* Nothing before it holds either. */
				excl = (int)i;
				memset(c->cat, 0, i);
				c->cat[i] = 1;
			}
		}
		set_code(c->vals, p->cats[i].sym, c->cat[i]);
	}
	if (excl >= 0) {
		c->dcats = (uint64_t)1 << (excl & 63);
		for (i = 0; i < (size_t)excl; i++)
			set_code(c->vals, p->cats[i].sym, 0);
		for (i = 0; i < p->nmeas; i++) {
			c->meas[i] = 0;
			set_code(c->vals, p->meas[i].sym, 0);
		}
		c->priority = p->cats[excl].priority;
		return;
	}
	prio = p->prio_default;
	for (i = 0; i < p->ncats; i++)
		if (c->cat[i]) {
			c->dcats |= (uint64_t)1 << (i & 63);
			if (p->cats[i].priority < prio)
				prio = p->cats[i].priority;
		}
	for (i = 0; i < p->nprio; i++)
		if (p->prio[i].value < prio &&
		    vet_rule_eval(&p->prio[i].rule, &env))
			prio = p->prio[i].value;
	c->priority = prio;
	for (i = 0; i < p->nmeas; i++) {
		c->meas[i] = (unsigned char)vet_rule_eval(&p->meas[i].rule,
		    &env);
		c->dmeas |= (uint64_t)c->meas[i] << (i & 63);
		set_code(c->vals, p->meas[i].sym, c->meas[i]);
	}
}

/* ---- SPEC 2.3: the record as it stood on as_of ------------------------ */

/*
 * A fact paired with a date after as_of is not yet true: a boolean is
 * false, anything else absent.  Only what the rules see changes.
 */
static void
date_facts(struct vet_classifier *c)
{
	const struct vet_policy *p = c->p;
	const struct vet_pdated *d;
	struct vet_rval *v, *dv;
	vet_day day;
	size_t i;

	for (i = 0; i < p->ndated; i++) {
		d = &p->dated[i];
		c->dated[i] = 0;
		v = &c->vals[d->fact_sym];
		dv = &c->vals[d->date_sym];
		if (!dv->known || dv->day <= c->as_of || !v->known ||
		    !v->present)
			continue;
		day = dv->day;
		if (v->type == VET_RT_BOOL) {
			if (v->num == 0)
				continue;
			v->num = 0;
		} else {
			v->known = 0;
			v->present = 0;
		}
		c->dated[i] = 1;
		c->dated_day[i] = day;
	}
}

static void
set_slot(struct vet_classifier *c, int field, int type, double num,
    vet_day day, const char *str, size_t n)
{
	struct vet_rval *v;
	int k = c->fsym[field];

	if (k < 0)
		return;
	v = &c->vals[k];
	memset(v, 0, sizeof *v);
	v->type = (unsigned char)type;
	if (type == VET_RT_BOOL || type == VET_RT_NUM)
		v->num = num;
	else if (type == VET_RT_DATE)
		v->day = day;
	else if (str == NULL)
		return;		/* absent */
	else {
		v->s = str;
		v->n = n;
	}
	v->known = v->present = 1;
}

static void
clear_slot(struct vet_classifier *c, int field)
{
	int k = c->fsym[field];
	unsigned char type;

	if (k < 0)
		return;
	type = c->vals[k].type;
	memset(&c->vals[k], 0, sizeof c->vals[k]);
	c->vals[k].type = type;
}

/* The record's date field key: 1 and *out, else 0. */
static int
rec_date(struct vet_classifier *c, const char *key, vet_day *out)
{
	struct vet_span s;

	return vet_record_str(&c->rec, key, &c->ftmp, &s) == 1 &&
	    vet_date_parse(s.p, s.n, out) == 0;
}

/*
 * Takes the facts the log speaks for into the slots, and notes which
 * differ from the record (those are written, with a `fact:` reason).
 */
static int
log_facts(struct vet_classifier *c)
{
	struct vet_event_facts *fx = &c->fx;
	const struct vet_rval *idv = &c->vals[c->p->s_id];
	const struct vet_field *f;
	struct vet_span s;
	vet_day d, seen;
	double num;
	int64_t iv;
	int b, has;

	memset(c->changed, 0, sizeof c->changed);
	memset(fx, 0, sizeof *fx);
	if (c->events == NULL || !idv->known ||
	    !vet_event_index_get(c->events, idv->s, idv->n, fx))
		return 0;
	vet_buf_reset(&c->ftmp);
	if (fx->has_hours) {
		c->changed[VET_FACT_TRAINING] = vet_record_num(&c->rec,
		    "training_hours", &num) != 1 || num != fx->hours;
		set_slot(c, F_HOURS, VET_RT_NUM, fx->hours, 0, NULL, 0);
	}
	if (fx->has_refusals) {
		c->changed[VET_FACT_REFUSALS] = vet_record_int(&c->rec,
		    "refusals", &iv) != 1 || iv != fx->refusals;
		set_slot(c, F_REFUSALS, VET_RT_NUM, (double)fx->refusals, 0,
		    NULL, 0);
	}
	if (fx->has_exit) {
		has = vet_record_bool(&c->rec, "exited", &b) == 1;
		f = vet_record_get(&c->rec, "exit_reason");
		if (f != NULL && f->type == VET_JSON_NULL)
			f = NULL;
		if (fx->exited)
			c->changed[VET_FACT_EXITED] = !has || !b ||
			    !rec_date(c, "exit_date", &d) ||
			    d != fx->exit_day || (fx->reason == NULL) !=
			    (f == NULL) || (f != NULL &&
			    (f->val.n != fx->reason_len ||
			    memcmp(f->val.p, fx->reason, f->val.n) != 0));
		else
			c->changed[VET_FACT_EXITED] = !has || b ||
			    (vet_record_get(&c->rec, "exit_date") != NULL &&
			    vet_record_get(&c->rec, "exit_date")->type !=
			    VET_JSON_NULL) || f != NULL;
		set_slot(c, F_EXITED, VET_RT_BOOL, fx->exited, 0, NULL, 0);
		if (fx->exited)
			set_slot(c, F_EXIT_DATE, VET_RT_DATE, 0, fx->exit_day,
			    NULL, 0);
		else
			clear_slot(c, F_EXIT_DATE);
		clear_slot(c, F_EXIT_REASON);
		if (fx->exited && fx->reason != NULL) {
			if (vet_json_string((struct vet_span){ fx->reason,
			    fx->reason_len }, &c->ftmp, &s) < 0)
				return VET_ENOMEM;
			set_slot(c, F_EXIT_REASON, VET_RT_STR, 0, 0, s.p,
			    s.n);
		}
	}
	if (fx->has_restart) {
		/* A reentry later than the assistance as it stood on as_of
		 * moves its start there: it starts anew. */
		has = c->fsym[F_ASSISTED] >= 0 &&
		    c->vals[c->fsym[F_ASSISTED]].known;
		seen = has ? c->vals[c->fsym[F_ASSISTED]].day : 0;
		if (!has && rec_date(c, "assisted_since", &d) &&
		    d <= c->as_of) {
			has = 1;
			seen = d;
		}
		if (has && fx->restart > seen) {
			c->changed[VET_FACT_ASSISTED] = !rec_date(c,
			    "assisted_since", &d) || d != fx->restart;
			set_slot(c, F_ASSISTED, VET_RT_DATE, 0, fx->restart,
			    NULL, 0);
		} else if (!has || fx->restart < seen)
			/* No assistance to move (SPEC: a reentry later than
			 * it moves it), or one that began after the
			 * reentry: the log does not speak for it. */
			fx->has_restart = 0;
	}
	if (fx->has_contact) {
		c->changed[VET_FACT_CONTACT] = !rec_date(c,
		    "last_contact_date", &d) || d != fx->contact;
		set_slot(c, F_CONTACT, VET_RT_DATE, 0, fx->contact, NULL, 0);
	}
	return 0;
}

/* The fields of the changed facts, into the fieldset. */
static int
add_fact_fields(struct vet_classifier *c)
{
	const struct vet_event_facts *fx = &c->fx;
	struct vet_fieldset *fs = &c->fs;
	char d[11];
	int e = 0;

	if (c->changed[VET_FACT_TRAINING])
		e = vet_fieldset_add_num(fs, "training_hours", fx->hours);
	if (e == 0 && c->changed[VET_FACT_REFUSALS])
		e = vet_fieldset_add_int(fs, "refusals", fx->refusals);
	if (e == 0 && c->changed[VET_FACT_EXITED]) {
		e = vet_fieldset_add_bool(fs, "exited", fx->exited);
		vet_date_format(fx->exit_day, d);
		if (e == 0)
			e = fx->exited ? vet_fieldset_add_str(fs, "exit_date",
			    d, 10) : vet_fieldset_drop(fs, "exit_date");
		if (e == 0)
			e = fx->exited && fx->reason != NULL ?
			    vet_fieldset_add_raw(fs, "exit_reason",
			    fx->reason, fx->reason_len) :
			    vet_fieldset_drop(fs, "exit_reason");
	}
	if (e == 0 && c->changed[VET_FACT_ASSISTED]) {
		vet_date_format(fx->restart, d);
		e = vet_fieldset_add_str(fs, "assisted_since", d, 10);
	}
	if (e == 0 && c->changed[VET_FACT_CONTACT]) {
		vet_date_format(fx->contact, d);
		e = vet_fieldset_add_str(fs, "last_contact_date", d, 10);
	}
	return e;
}

/*
 * Whether the record can be written as its own text and the block: fill
 * saw its fields plain, and no fact was changed by the log.  Else
 * vet_record_write() places the fields.
 */
static int
plain_record(const struct vet_classifier *c)
{
	int k;

	for (k = 0; k < VET_FACT_N; k++)
		if (c->changed[k])
			return 0;
	return c->plain;
}

static int
write_output(struct vet_classifier *c, struct vet_buf *out)
{
	const struct vet_record *r = &c->rec;
	const char *s, *e;
	size_t n;
	int k, rc;

	if ((rc = vet_classify__build_block(c)) < 0)
		return rc;
	if (plain_record(c)) {
		n = 0;
		s = NULL;
		if (r->n > 0) {
			/* From the first key's quote to the last value's end. */
			s = r->fields[0].key.p - 1;
			e = r->fields[r->n - 1].val.p +
			    r->fields[r->n - 1].val.n;
			n = (size_t)(e - s);
		}
		if (vet_buf_grow(out, n + c->block.len + 4) < 0)
			return VET_ENOMEM;
		vet_classify__put(out, "{", 1);
		if (n > 0) {
			vet_classify__put(out, s, n);
			vet_classify__put(out, ",", 1);
		}
		vet_classify__put(out, c->block.data, c->block.len);
		vet_classify__put(out, "}\n", 2);
		out->data[out->len] = '\0';
		return 0;
	}
	vet_fieldset_reset(&c->fs);
	if ((rc = add_fact_fields(c)) < 0)
		return rc;
	for (k = 0; k < B_N; k++)
		if ((rc = vet_fieldset_add_raw(&c->fs,
		    vet_classify__block_keys[k], c->block.data +
		    c->bval[k].off, c->bval[k].len)) < 0)
			return rc;
	return vet_record_write(out, r, &c->fs);
}

/* Parses and classifies one line; the results stay in c. */
static int
classify(struct vet_classifier *c, const char *s, size_t n,
    struct vet_error *err)
{
	const struct vet_policy *p = c->p;
	struct asof at;
	char why[256];
	int rc, rc2, check;

	why[0] = '\0';
	if ((rc = vet_record_parse(&c->rec, s, n, err)) < 0 ||
	    (!c->id_in_fill &&
	    (rc = vet_record_once(&c->rec, "id", s, err)) < 0))
		return rc;
	check = 0;
	at.day = c->as_of;
	at.y = c->as_of_y;
	at.m = c->as_of_m;
	at.d = c->as_of_d;
	rc = fill(p, c->keys, c->keymask, &c->rec, &at, 0, c->vals,
	    &c->tmp, c->fsc, why, sizeof why, c->id_in_fill ? &check : NULL,
	    &c->plain);
	/* The id given twice is the message, as when it is asked first. */
	if ((rc < 0 || check) && c->id_in_fill) {
		if ((rc2 = vet_record_once(&c->rec, "id", s, err)) < 0)
			return rc2;
		if (check && rc == VET_EDATA && why[0] == '\0')
			/* Not twice after all: fill again without stopping. */
			rc = fill(p, c->keys, c->keymask, &c->rec, &at, 0,
			    c->vals, &c->tmp, c->fsc, why, sizeof why, NULL,
			    &c->plain);
	}
	if (rc == VET_EDATA)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "%s", why);
	if (rc < 0)
		return vet_error_set(err, rc, NULL, 0, 0, "out of memory");
	c->age = (int)c->vals[p->s_age].num;
	c->working_age = c->vals[p->s_working_age].known ?
	    c->vals[p->s_working_age].num != 0 : -1;
	/* SPEC 2.3: the record as it stood on as_of, then what the event
	 * log says happened by then. */
	date_facts(c);
	if ((rc = log_facts(c)) < 0)
		return vet_error_set(err, rc, NULL, 0, 0, "out of memory");
	decide(c);
	return 0;
}

int
vet_classify_line(struct vet_classifier *c, const char *s, size_t n,
    struct vet_buf *out, struct vet_error *err)
{
	int rc;

	if ((rc = classify(c, s, n, err)) < 0)
		return rc;
	if ((rc = write_output(c, out)) < 0)
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	return 0;
}

/* Chain links. */

int
vet_policy_links_eval(const struct vet_policy *p,
    const struct vet_record *r, vet_day as_of, int *hits,
    struct vet_error *err)
{
	struct vet_rval vals[VET_RULE_MAX_SYMS];
	struct vet_rule_env env = { &p->syms, vals, as_of };
	struct vet_buf tmp = VET_BUF_INIT;
	char why[256];
	size_t i;
	int rc;

	memset(vals, 0, p->syms.n * sizeof vals[0]);
	if ((rc = vet_policy_set_params(p, as_of, vals, err)) < 0)
		return rc;
	rc = vet_policy_fill(p, r, as_of, 1, vals, &tmp, why, sizeof why);
	if (rc < 0) {
		vet_buf_release(&tmp);
		return vet_error_set(err, rc, NULL, 0, 0, "%s",
		    rc == VET_EDATA ? why : "out of memory");
	}
	for (i = 0; i < p->nlinks; i++)
		hits[i] = vet_rule_eval(&p->links[i].rule, &env);
	vet_buf_release(&tmp);
	return 0;
}

int
vet_policy_link_eval(const struct vet_policy *p, size_t i,
    const struct vet_record *r, vet_day as_of, int *hit,
    struct vet_error *err)
{
	int hits[VET_RULE_MAX_SYMS];
	int rc;

	if (i >= p->nlinks || p->nlinks > VET_RULE_MAX_SYMS)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "no link %zu", i);
	if ((rc = vet_policy_links_eval(p, r, as_of, hits, err)) < 0)
		return rc;
	*hit = hits[i];
	return 0;
}

/* The policy's tests. */

static int
same_codes(const struct vet_pitem *items, const unsigned char *held,
    size_t n, const char **want, size_t nwant)
{
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		if (!held[i])
			continue;
		for (j = 0; j < nwant; j++)
			if (strcmp(want[j], items[i].code) == 0)
				break;
		if (j == nwant)
			return 0;
		k++;
	}
	return k == nwant;
}

/* " [got a b], expected [c]" */
static int
add_list(struct vet_buf *b, const struct vet_pitem *items,
    const unsigned char *held, size_t n, const char **want, size_t nwant)
{
	size_t i;
	int first = 1, e = vet_buf_addstr(b, " [");

	for (i = 0; e == 0 && i < n; i++)
		if (held[i]) {
			e = vet_buf_addf(b, "%s%s", first ? "" : " ",
			    items[i].code);
			first = 0;
		}
	if (e == 0)
		e = vet_buf_addstr(b, "], expected [");
	for (i = 0; e == 0 && i < nwant; i++)
		e = vet_buf_addf(b, "%s%s", i ? " " : "", want[i]);
	return e == 0 ? vet_buf_addch(b, ']') : e;
}

/*
 * A test's event log into an index, read as vet-classify --events reads
 * one.  0, VET_EDATA with the event's number in err, or VET_ENOMEM.
 */
static int
test_index(const struct vet_policy *p, const struct vet_ptest *t,
    struct vet_event_index **xp, struct vet_error *err)
{
	struct vet_record r;
	struct vet_error e;
	size_t i;
	int rc;

	if ((rc = vet_event_index_new(xp, p, t->as_of, err)) < 0)
		return rc;
	vet_record_init(&r);
	for (i = 0; rc == 0 && i < t->nevents; i++) {
		vet_error_clear(&e);
		if ((rc = vet_record_parse(&r, t->events[i],
		    strlen(t->events[i]), &e)) == 0)
			rc = vet_event_index_add_record(*xp, &r, &e);
		if (rc < 0)
			vet_error_set(err, rc, NULL, 0, 0, "event %zu: %s",
			    i + 1, e.msg);
	}
	vet_record_release(&r);
	return rc;
}

static int
run_tests(const struct vet_policy *p, const struct vet_ptest *tests,
    size_t ntests, struct vet_buf *report, size_t *passed, size_t *failed,
    struct vet_error *err)
{
	struct vet_event_index *x = NULL;
	struct vet_classifier c;
	const struct vet_ptest *t;
	struct vet_error e;
	size_t i, start;
	int rc, bad;

	*passed = *failed = 0;
	for (i = 0; i < ntests; i++) {
		t = &tests[i];
		if ((rc = vet_classify_init(&c, p, t->as_of, err)) < 0)
			return rc;
		start = report->len;
		rc = vet_buf_addf(report, "%s:%ld: test '%s':", p->file,
		    t->line, t->name);
		bad = 0;
		vet_error_clear(&e);
		x = NULL;
		if (rc == 0 && t->nevents > 0) {
			/* A bad test event fails the test, as a bad test
			 * record does. */
			if ((rc = test_index(p, t, &x, &e)) == VET_EDATA) {
				rc = vet_buf_addf(report, " %s", e.msg);
				bad = 1;
			} else if (rc < 0) {
				vet_event_index_free(x);
				vet_classify_release(&c);
				return vet_error_set(err, rc, NULL, 0, 0,
				    "%s", e.msg);
			}
			vet_classify_set_events(&c, x);
		}
		if (rc == 0 && !bad && classify(&c, t->json, t->len, &e) < 0) {
			rc = vet_buf_addf(report, " record rejected: %s",
			    e.msg);
			bad = 1;
		} else if (rc == 0 && !bad) {
			if (!same_codes(p->cats, c.cat, p->ncats, t->cats,
			    t->ncats)) {
				bad = 1;
				if ((rc = vet_buf_addstr(report,
				    " categories")) == 0)
					rc = add_list(report, p->cats, c.cat,
					    p->ncats, t->cats, t->ncats);
			}
			if (rc == 0 && !same_codes(p->meas, c.meas, p->nmeas,
			    t->meas, t->nmeas)) {
				bad = 1;
				if ((rc = vet_buf_addstr(report,
				    " measures")) == 0)
					rc = add_list(report, p->meas, c.meas,
					    p->nmeas, t->meas, t->nmeas);
			}
			if (rc == 0 && t->priority >= 0 &&
			    t->priority != c.priority) {
				bad = 1;
				rc = vet_buf_addf(report, " priority %d, "
				    "expected %d", c.priority, t->priority);
			}
			if (rc == 0 && t->working_age >= 0 &&
			    t->working_age != c.working_age) {
				bad = 1;
				rc = vet_buf_addf(report, " working_age %s, "
				    "expected %s", c.working_age == 1 ? "true" :
				    "false", t->working_age ? "true" : "false");
			}
			if (rc == 0 && t->age >= 0 && t->age != c.age) {
				bad = 1;
				rc = vet_buf_addf(report, " age %d, expected "
				    "%d", c.age, t->age);
			}
		}
		vet_classify_release(&c);
		vet_event_index_free(x);
		if (rc == 0)
			rc = bad ? vet_buf_addch(report, '\n') : 0;
		if (rc < 0)
			return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
			    "out of memory");
		if (bad)
			(*failed)++;
		else {
			vet_buf_truncate(report, start);
			(*passed)++;
		}
	}
	return 0;
}

int
vet_policy_run_tests(const struct vet_policy *p, struct vet_buf *report,
    size_t *passed, size_t *failed, struct vet_error *err)
{
	const struct vet_ptest *tests;
	struct vet_ptest *own;
	struct vet_yaml_doc doc;
	size_t n;
	int rc;

	*passed = *failed = 0;
	if ((rc = vet_policy__tests(p, &tests, &n, &own, &doc, err)) < 0)
		return rc;
	rc = run_tests(p, tests, n, report, passed, failed, err);
	vet_policy__free_tests(own, n);
	vet_yaml_release(&doc);
	return rc;
}
