/*
 * reconcile_json.c - what "the JSON values differ" means for vet-reconcile
 * (reconcile.h), and how a mistyped id relates to the right one.  Neither
 * allocates: strings are compared by decoding both sides a byte at a time
 * (json.h vet_json_scur).
 */
#include <stddef.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/id.h"
#include "vet/json.h"
#include "vet/reconcile.h"

/* True when two validated JSON string spans decode to the same bytes. */
static int
str_equal(struct vet_span a, struct vet_span b)
{
	struct vet_json_scur x, y;
	int cx, cy;

	if (memchr(a.p, '\\', a.n) == NULL && memchr(b.p, '\\', b.n) == NULL)
		return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
	vet_json_scur_init(&x, a);
	vet_json_scur_init(&y, b);
	do {
		cx = vet_json_scur_next(&x);
		cy = vet_json_scur_next(&y);
		if (cx != cy)
			return 0;
	} while (cx >= 0);
	return 1;
}

/*
 * A validated JSON number as sign, significant digits and scale: the value
 * is the digits [p, p + n) (skipping '.'), as an integer, times 10^scale.
 * Zero has n == 0 and either sign.  ovf is set when the exponent is too
 * large to hold, in which case only the text compares.
 */
struct numv {
	int neg, ovf;
	const char *p;
	size_t n;		/* significant digits, '.' not counted */
	long long scale;
};

/* Exponents beyond this cannot be told apart from each other by a record
 * of at most 64 MiB of digits, so they are not held. */
#define EXP_MAX 1000000000000000LL

static void
num_split(struct vet_span v, struct numv *r)
{
	const char *s = v.p, *end = v.p + v.n, *q, *first = NULL;
	long long nfrac = 0, after = 0, e = 0;
	size_t n = 0;
	int eneg = 0, frac = 0;

	r->neg = r->ovf = 0;
	if (s < end && *s == '-') {
		r->neg = 1;
		s++;
	}
	/* Mantissa: the first nonzero digit, and how many zeros follow the
	 * last nonzero one. */
	for (q = s; q < end && ((*q >= '0' && *q <= '9') || *q == '.'); q++) {
		if (*q == '.') {
			frac = 1;
			continue;
		}
		if (frac)
			nfrac++;
		if (*q != '0') {
			if (first == NULL)
				first = q;
			after = 0;
		} else
			after++;
		if (first != NULL)
			n++;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < end && (*q == '+' || *q == '-'))
			eneg = *q++ == '-';
		for (; q < end; q++) {
			if (e > EXP_MAX)
				r->ovf = 1;
			else
				e = e * 10 + (*q - '0');
		}
	}
	if (first == NULL) {
		r->p = s;
		r->n = 0;
		r->scale = 0;
		return;
	}
	r->p = first;
	r->n = n - (size_t)after;
	r->scale = (eneg ? -e : e) - nfrac + after;
}

/*
 * Numbers are equal when they are the same decimal value: 1, 1.0, 1e0 and
 * 10e-1 are one number, and 9007199254740993 is not 9007199254740992 even
 * though they are one double (SPEC: the JSON values, not their rounding).
 */
static int
num_equal(struct vet_span a, struct vet_span b)
{
	struct numv x, y;
	const char *p, *q;
	size_t i;

	if (a.n == b.n && memcmp(a.p, b.p, a.n) == 0)
		return 1;
	num_split(a, &x);
	num_split(b, &y);
	if (x.ovf || y.ovf)
		return 0;
	if (x.n == 0 || y.n == 0)
		return x.n == y.n;	/* 0 and -0 are one value */
	if (x.neg != y.neg || x.n != y.n || x.scale != y.scale)
		return 0;
	p = x.p;
	q = y.p;
	for (i = 0; i < x.n; i++, p++, q++) {
		if (*p == '.')
			p++;
		if (*q == '.')
			q++;
		if (*p != *q)
			return 0;
	}
	return 1;
}

static int
arr_equal(struct vet_span a, struct vet_span b)
{
	struct vet_json_iter i, j;
	struct vet_span x, y;
	int hx, hy;

	vet_json_iter_init(&i, a);
	vet_json_iter_init(&j, b);
	for (;;) {
		hx = vet_json_iter_next(&i, NULL, &x);
		hy = vet_json_iter_next(&j, NULL, &y);
		if (hx != hy)
			return 0;
		if (!hx)
			return 1;
		if (!vet_reconcile_json_equal(x, y))
			return 0;
	}
}

/* The value of the first member of object o whose key equals key, by
 * decoded bytes: 1 and *val, or 0. */
static int
obj_find(struct vet_span o, struct vet_span key, struct vet_span *val)
{
	struct vet_json_iter it;
	struct vet_span k, v;

	vet_json_iter_init(&it, o);
	while (vet_json_iter_next(&it, &k, &v))
		if (str_equal(k, key)) {
			*val = v;
			return 1;
		}
	return 0;
}

/*
 * Objects are unordered (RFC 8259 4), so a reordered object is equal.  The
 * common case, the same keys in the same order, is a single pass, which
 * also decides when a key in its place has another value.  From the first
 * key out of place on, each member is looked up in the other object, which
 * is quadratic and so only done up to VET_RECONCILE_MAX_MEMBERS members, to
 * bound the time a hostile record can take.  No pair of values is compared
 * twice, so nested objects cost no more than their size.
 */
static int
obj_equal(struct vet_span a, struct vet_span b)
{
	struct vet_json_iter i, j;
	struct vet_span kx, ky, x, y;
	size_t na = 0, nb = 0, prefix = 0, m;
	int hx, hy, inorder = 1;

	vet_json_iter_init(&i, a);
	vet_json_iter_init(&j, b);
	for (;;) {
		hx = vet_json_iter_next(&i, &kx, &x);
		hy = vet_json_iter_next(&j, &ky, &y);
		na += hx;
		nb += hy;
		if (!hx && !hy)
			break;
		if (!inorder || !hx || !hy)
			continue;
		if (!str_equal(kx, ky)) {
			inorder = 0;
			continue;
		}
		if (!vet_reconcile_json_equal(x, y))
			return 0;
		prefix++;
	}
	if (na != nb)
		return 0;
	if (inorder)
		return 1;
	if (na > VET_RECONCILE_MAX_MEMBERS)
		return 0;
	vet_json_iter_init(&i, a);
	for (m = 0; vet_json_iter_next(&i, &kx, &x); m++) {
		if (m < prefix)
			continue;	/* matched in place above */
		if (!obj_find(b, kx, &y) || !vet_reconcile_json_equal(x, y))
			return 0;
	}
	vet_json_iter_init(&j, b);
	while (vet_json_iter_next(&j, &ky, &y))
		if (!obj_find(a, ky, &x))
			return 0;
	return 1;
}

int
vet_reconcile_json_equal(struct vet_span a, struct vet_span b)
{
	enum vet_json_type ta = vet_json_type_of(a), tb = vet_json_type_of(b);

	if (ta != tb)
		return 0;
	switch (ta) {
	case VET_JSON_NUMBER:
		return num_equal(a, b);
	case VET_JSON_STRING:
		return str_equal(a, b);
	case VET_JSON_ARRAY:
		return arr_equal(a, b);
	case VET_JSON_OBJECT:
		return obj_equal(a, b);
	default:
		return 1;	/* null, true, false: the type is the value */
	}
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The length of the UTF-8 character at p (of left bytes, left > 0). */
static size_t
u8len(const char *p, size_t left)
{
	unsigned char c = (unsigned char)*p;
	size_t k = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

	return k < left ? k : left;
}

/* A character of an id: where it starts and how many bytes it has. */
struct ch {
	const char *p;
	size_t n;
};

static int
ch_eq(struct ch a, struct ch b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/*
 * SPEC counts characters, not bytes: a full-width 'Ｘ' typed for 'X' is
 * one character that differs, though it is three bytes against one.
 */
enum vet_reconcile_idrel
vet_reconcile_idrel(const char *l, size_t ln, const char *e, size_t en,
    size_t *pos)
{
	struct ch dl[2], de[2], a, b;
	size_t i = 0, j = 0, nch = 0, first = 0, ndiff = 0;
	char up[18];

	if (pos != NULL)
		*pos = 0;
	if (en == 15 && ln == 18 && all_digits(e, 15)) {
		/* GB 11643: the legacy number with "19" before its 6-digit
		 * birth date and the MOD 11-2 check character after it. */
		memcpy(up, e, 6);
		up[6] = '1';
		up[7] = '9';
		memcpy(up + 8, e + 6, 9);
		up[17] = vet_id_check_char(up);
		return memcmp(up, l, 18) == 0 ? VET_IDREL_UPGRADE :
		    VET_IDREL_NONE;
	}
	while (i < ln && j < en) {
		a.p = l + i;
		a.n = u8len(a.p, ln - i);
		b.p = e + j;
		b.n = u8len(b.p, en - j);
		i += a.n;
		j += b.n;
		if (!ch_eq(a, b)) {
			if (ndiff == 0)
				first = nch;
			else if (ndiff > 1 || nch != first + 1)
				return VET_IDREL_NONE;
			dl[ndiff] = a;
			de[ndiff] = b;
			ndiff++;
		}
		nch++;
	}
	if (i == ln && j == en) {
		/* The same number of characters. */
		if (ndiff == 0)
			return VET_IDREL_NONE;
		if (ndiff == 1) {
			if (pos != NULL)
				*pos = first + 1;
			return VET_IDREL_ONE_CHAR;
		}
		if (ch_eq(dl[0], de[1]) && ch_eq(dl[1], de[0])) {
			if (pos != NULL)
				*pos = first + 1;
			return VET_IDREL_SWAP;
		}
		return VET_IDREL_NONE;
	}
	return VET_IDREL_NONE;
}

const char *
vet_reconcile_idrel_name(enum vet_reconcile_idrel r)
{
	switch (r) {
	case VET_IDREL_ONE_CHAR:
		return "one_character";
	case VET_IDREL_SWAP:
		return "adjacent_swap";
	case VET_IDREL_UPGRADE:
		return "upgraded_15_to_18";
	default:
		return NULL;
	}
}
