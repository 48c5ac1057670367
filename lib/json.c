/*
 * json.c - strict RFC 8259 JSON validation, access and escaping (json.h).
 *
 * The validator is the hot path of every tool, so it is one iterative loop
 * over the bytes: containers are tracked with an explicit stack of at most
 * VET_JSON_MAX_DEPTH bytes (no recursion, so hostile nesting cannot
 * overflow the C stack), and strings are scanned eight bytes at a time,
 * stopping only at a quote, a backslash, a control character or a byte of a
 * multibyte UTF-8 sequence.
 */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/json.h"
#include "vet/record.h"

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define JSON_SSE2 1
#else
#define JSON_SSE2 0
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    defined(__GNUC__)
#define JSON_SWAR 1
#else
#define JSON_SWAR 0
#endif

#if defined(__GNUC__)
#define ALWAYS_INLINE	__attribute__((always_inline))
#else
#define ALWAYS_INLINE
#endif

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* JSON whitespace is exactly these four bytes (RFC 8259 section 2). */
static const unsigned char ws_tab[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1
};

#define SKIP_WS(p, end) do { \
	while ((p) < (end) && ws_tab[*(p)]) \
		(p)++; \
} while (0)

#if JSON_SWAR
/*
 * A mask with the high bit set in every byte of x that needs attention in a
 * string: '"', '\\', below 0x20 or at least 0x80.  The tricks can flag a
 * byte above a true hit (a borrow), never below one, so the lowest set bit
 * is exact and that is all the callers use.
 */
static inline uint64_t
str_special(uint64_t x)
{
	uint64_t q = x ^ (ONES * '"');
	uint64_t b = x ^ (ONES * '\\');

	return (((q - ONES) & ~q) | ((b - ONES) & ~b) |
	    ((x - ONES * 0x20) & ~x) | x) & HIGHS;
}
#endif

#if JSON_SSE2
/*
 * The same for 16 bytes as a bit mask, one bit a byte: a signed compare
 * with 0x20 catches both the control characters and every byte >= 0x80.
 */
static inline unsigned
str_special16(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i m = _mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
	    _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));

	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* What a byte means inside a string for the byte-at-a-time paths. */
static inline int
str_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

enum utf8_fault {
	U_OK,
	U_CONT,		/* a continuation byte with no lead */
	U_OVERLONG,
	U_SURROGATE,
	U_TOOBIG,
	U_TRUNC,
	U_BADBYTE
};

/*
 * Checks the UTF-8 sequence at p (p[0] >= 0x80, p < end) against Unicode
 * table 3-7.  Sets *len to the sequence length when valid, else to the
 * length of the maximal ill-formed subpart (what one U+FFFD replaces).
 */
static inline enum utf8_fault
utf8_seq(const unsigned char *p, const unsigned char *end, size_t *len)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF, b;
	size_t need, i;

	*len = 1;
	if (c < 0xC2)
		return c < 0xC0 ? U_CONT : U_OVERLONG;
	if (c < 0xE0)
		need = 1;
	else if (c < 0xF0) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c < 0xF5) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return c < 0xF8 ? U_TOOBIG : U_BADBYTE;
	if (end - p < 2)
		return U_TRUNC;
	b = p[1];
	if (b < lo || b > hi) {
		if ((b & 0xC0) != 0x80)
			return U_TRUNC;
		if (c == 0xED)
			return U_SURROGATE;
		if (c == 0xF4)
			return U_TOOBIG;
		return U_OVERLONG;
	}
	for (i = 2; i <= need; i++) {
		if ((size_t)(end - p) <= i || (p[i] & 0xC0) != 0x80) {
			*len = i;
			return U_TRUNC;
		}
	}
	*len = need + 1;
	return U_OK;
}

static const char *const utf8_msg[] = {
	[U_OK] = "",
	[U_CONT] = "unexpected continuation byte",
	[U_OVERLONG] = "overlong encoding",
	[U_SURROGATE] = "surrogate encoded in UTF-8",
	[U_TOOBIG] = "code point above U+10FFFF",
	[U_TRUNC] = "truncated sequence",
	[U_BADBYTE] = "byte that never occurs in UTF-8"
};

static inline int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The 4 hex digits at p (at least 4 bytes available), or -1. */
static inline long
hex4(const unsigned char *p)
{
	int a = hexval(p[0]), b = hexval(p[1]), c = hexval(p[2]),
	    d = hexval(p[3]);

	if ((a | b | c | d) < 0)
		return -1;
	return (long)a << 12 | b << 8 | c << 4 | d;
}

struct scan {
	const unsigned char *start;
	struct vet_error *err;
};

/* Describes the byte at p for a message: 'x', NUL byte, byte 0xNN. */
static int
fail_at(struct scan *s, const unsigned char *p, const unsigned char *end,
    const char *what)
{
	long col = (long)(p - s->start) + 1;

	if (p >= end)
		return vet_error_set(s->err, VET_EDATA, NULL, 0, col,
		    "%s, found end of input", what);
	if (*p == 0)
		return vet_error_set(s->err, VET_EDATA, NULL, 0, col,
		    "%s, found NUL byte", what);
	if (*p > 0x20 && *p < 0x7F && *p != '\'')
		return vet_error_set(s->err, VET_EDATA, NULL, 0, col,
		    "%s, found '%c'", what, *p);
	return vet_error_set(s->err, VET_EDATA, NULL, 0, col,
	    "%s, found byte 0x%02X", what, *p);
}

static int
fail(struct scan *s, const unsigned char *p, const char *msg)
{
	return vet_error_set(s->err, VET_EDATA, NULL, 0,
	    (long)(p - s->start) + 1, "%s", msg);
}

/*
 * Checks the escape at p (p[0] == '\\') and returns the byte after it, or
 * NULL with the error filled.
 */
static const unsigned char *
scan_escape(struct scan *s, const unsigned char *p, const unsigned char *end)
{
	long u, v;

	if (end - p < 2) {
		fail(s, p, "unterminated string");
		return NULL;
	}
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r':
	case 't':
		return p + 2;
	case 'u':
		break;
	default:
		if (p[1] > 0x20 && p[1] < 0x7F && p[1] != '\'')
			vet_error_set(s->err, VET_EDATA, NULL, 0,
			    (long)(p - s->start) + 1,
			    "invalid escape '\\%c' in string", p[1]);
		else
			fail(s, p, "invalid escape in string");
		return NULL;
	}
	if (end - p < 6 || (u = hex4(p + 2)) < 0) {
		fail(s, p, "invalid \\u escape: four hex digits needed");
		return NULL;
	}
	if (u >= 0xDC00 && u <= 0xDFFF) {
		fail(s, p, "lone low surrogate in \\u escape");
		return NULL;
	}
	if (u < 0xD800 || u > 0xDBFF)
		return p + 6;
	if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
	    (v = hex4(p + 8)) < 0xDC00 || v > 0xDFFF) {
		fail(s, p, "high surrogate in \\u escape not followed by a "
		    "low surrogate");
		return NULL;
	}
	return p + 12;
}

/*
 * Scans the string whose opening quote is at q.  Returns the byte after the
 * closing quote, or NULL with the error filled.  *esc is set to 1 when the
 * string holds an escape.
 */
static inline ALWAYS_INLINE const unsigned char *
scan_string(struct scan *s, const unsigned char *q, const unsigned char *end,
    int *esc)
{
	const unsigned char *p = q + 1;
	enum utf8_fault f;
	size_t len;
	unsigned char c;

	for (;;) {
#if JSON_SSE2
		while (end - p >= 16) {
			unsigned m16 = str_special16(p);

			if (m16 == 0) {
				p += 16;
				continue;
			}
			p += __builtin_ctz(m16);
			goto special;
		}
#endif
#if JSON_SWAR
		while (end - p >= 8) {
			uint64_t x, m;

			memcpy(&x, p, 8);
			if ((m = str_special(x)) == 0) {
				p += 8;
				continue;
			}
			p += __builtin_ctzll(m) >> 3;
			goto special;
		}
#endif
		while (p < end && str_plain(*p))
			p++;
		if (p >= end) {
			fail(s, q, "unterminated string");
			return NULL;
		}
#if JSON_SWAR || JSON_SSE2
special:
#endif
		c = *p;
		if (c == '"')
			return p + 1;
		if (c == '\\') {
			*esc = 1;
			if ((p = scan_escape(s, p, end)) == NULL)
				return NULL;
			continue;
		}
		if (c < 0x20) {
			fail(s, p, c == 0 ? "NUL byte in string" :
			    "unescaped control character in string");
			return NULL;
		}
		/*
		 * Runs of multibyte characters (Chinese text) stay here, and
		 * the common three-byte form (U+1000 to U+FFFF but for the
		 * surrogates) is checked inline.
		 */
		do {
			c = *p;
			if (c >= 0xE1 && c <= 0xEF && c != 0xED &&
			    end - p >= 3 && (p[1] & 0xC0) == 0x80 &&
			    (p[2] & 0xC0) == 0x80) {
				p += 3;
				continue;
			}
			if ((f = utf8_seq(p, end, &len)) != U_OK) {
				vet_error_set(s->err, VET_EDATA, NULL, 0,
				    (long)(p - s->start) + 1,
				    "invalid UTF-8 in string: %s", utf8_msg[f]);
				return NULL;
			}
			p += len;
		} while (p < end && *p >= 0x80);
	}
}

static inline int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Scans the number at p.  Returns the byte after it, or NULL with the error
 * filled.  What follows the number is the caller's business.
 */
static const unsigned char *
scan_number(struct scan *s, const unsigned char *p, const unsigned char *end)
{
	if (*p == '-' && (++p >= end || !is_digit(*p))) {
		fail_at(s, p, end, "expected a digit after '-' in number");
		return NULL;
	}
	if (*p == '0') {
		if (++p < end && is_digit(*p)) {
			fail(s, p - 1, "leading zero in number");
			return NULL;
		}
	} else {
		while (++p < end && is_digit(*p))
			;
	}
	if (p < end && *p == '.') {
		if (++p >= end || !is_digit(*p)) {
			fail_at(s, p, end,
			    "expected a digit after '.' in number");
			return NULL;
		}
		while (++p < end && is_digit(*p))
			;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !is_digit(*p)) {
			fail_at(s, p, end,
			    "expected a digit in the exponent of number");
			return NULL;
		}
		while (++p < end && is_digit(*p))
			;
	}
	return p;
}

/* vet_json_type_of() as a table; what starts with none of these bytes
 * is a number. */
static const unsigned char type_tab[256] = {
	['n'] = VET_JSON_NULL, ['f'] = VET_JSON_FALSE, ['t'] = VET_JSON_TRUE,
	['"'] = VET_JSON_STRING, ['['] = VET_JSON_ARRAY,
	['{'] = VET_JSON_OBJECT,
	['-'] = VET_JSON_NUMBER, ['0'] = VET_JSON_NUMBER,
	['1'] = VET_JSON_NUMBER, ['2'] = VET_JSON_NUMBER,
	['3'] = VET_JSON_NUMBER, ['4'] = VET_JSON_NUMBER,
	['5'] = VET_JSON_NUMBER, ['6'] = VET_JSON_NUMBER,
	['7'] = VET_JSON_NUMBER, ['8'] = VET_JSON_NUMBER,
	['9'] = VET_JSON_NUMBER
};

/* Makes room for one more field in r; out of line, it is rarely called. */
static int
grow_fields(struct vet_record *r)
{
	struct vet_field *f;
	size_t cap = r->cap < 16 ? 16 : r->cap * 2;

	if (cap > SIZE_MAX / sizeof *f ||
	    (f = realloc(r->fields, cap * sizeof *f)) == NULL)
		return VET_ENOMEM;
	r->fields = f;
	r->cap = cap;
	return 0;
}

/*
 * The validator.  With rec NULL it only validates; otherwise it also
 * records the members of a top-level object in rec.  With after set, the
 * text is not one whole value but starts with one, a container nested in
 * a record (scan_top): the byte after it goes to *after and what follows
 * is not looked at.  It is always inlined so that each caller gets a copy
 * specialised for its rec and after.
 */
static inline ALWAYS_INLINE int
scan(const char *buf, size_t n, struct vet_record *rec,
    struct vet_error *err, const unsigned char **after)
{
	const unsigned char *p = (const unsigned char *)buf, *end = p + n;
	const unsigned char *kp = NULL, *kend = NULL, *vp = NULL, *q;
	unsigned char stack[VET_JSON_MAX_DEPTH];
	struct scan s;
	size_t depth = 0;
	/* A nested value starts one level down. */
	size_t maxdepth = VET_JSON_MAX_DEPTH - (after != NULL);
	int root_obj = 0, esc = 0, kesc = 0;

	s.start = p;
	s.err = err;
	SKIP_WS(p, end);
	if (p >= end)
		return fail(&s, p, "empty input");
	if (end - p >= 3 && p == s.start && p[0] == 0xEF && p[1] == 0xBB &&
	    p[2] == 0xBF)
		return fail(&s, p, "byte order mark before JSON text");

value:
	SKIP_WS(p, end);
	if (p >= end)
		return fail(&s, p, "unexpected end of input");
	if (rec != NULL && depth == 1)
		vp = p;
	/* Strings are the commonest values: test for them first. */
	if (*p == '"') {
		esc = 0;
		if ((p = scan_string(&s, p, end, &esc)) == NULL)
			return VET_EDATA;
		goto after;
	}
	switch (*p) {
	case '{':
		if (depth == maxdepth)
			return fail(&s, p, "nesting deeper than 512");
		if (depth == 0)
			root_obj = 1;
		stack[depth++] = '{';
		p++;
		SKIP_WS(p, end);
		if (p < end && *p == '}') {
			p++;
			depth--;
			goto after;
		}
		goto key;
	case '[':
		if (depth == maxdepth)
			return fail(&s, p, "nesting deeper than 512");
		stack[depth++] = '[';
		p++;
		SKIP_WS(p, end);
		if (p < end && *p == ']') {
			p++;
			depth--;
			goto after;
		}
		goto value;
	case '-': case '0': case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
		if ((p = scan_number(&s, p, end)) == NULL)
			return VET_EDATA;
		goto after;
	case 't':
		if (end - p < 4 || memcmp(p, "true", 4) != 0)
			return fail(&s, p, "invalid literal, expected 'true'");
		p += 4;
		goto after;
	case 'f':
		if (end - p < 5 || memcmp(p, "false", 5) != 0)
			return fail(&s, p, "invalid literal, expected 'false'");
		p += 5;
		goto after;
	case 'n':
		if (end - p < 4 || memcmp(p, "null", 4) != 0)
			return fail(&s, p, "invalid literal, expected 'null'");
		p += 4;
		goto after;
	default:
		return fail_at(&s, p, end, "expected a value");
	}

key:
	if (p >= end || *p != '"')
		return fail_at(&s, p, end, "expected a string key in object");
	q = p;
	esc = 0;
	if ((p = scan_string(&s, p, end, &esc)) == NULL)
		return VET_EDATA;
	if (rec != NULL && depth == 1) {
		kp = q + 1;
		kend = p - 1;
		kesc = esc;
	}
	if (p < end && *p == ':')
		p++;
	else {
		SKIP_WS(p, end);
		if (p >= end || *p != ':')
			return fail_at(&s, p, end,
			    "expected ':' after object key");
		p++;
	}
	goto value;

after:
	if (depth == 0) {
		if (after != NULL) {
			*after = p;
			return 0;
		}
		SKIP_WS(p, end);
		if (p < end)
			return fail_at(&s, p, end,
			    "unexpected data after the JSON value");
		return 0;
	}
	if (rec != NULL && depth == 1 && root_obj) {
		struct vet_field *f;

		if (rec->n == rec->cap && grow_fields(rec) < 0)
			return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
			    "out of memory");
		f = &rec->fields[rec->n++];
		f->key.p = (const char *)kp;
		f->key.n = (size_t)(kend - kp);
		f->val.p = (const char *)vp;
		f->val.n = (size_t)(p - vp);
		f->type = (enum vet_json_type)type_tab[*vp];
		f->key_escaped = kesc;
		/* esc is the value's when the value is a string: it was the
		 * last string scanned. */
		f->val_escaped = *vp == '"' && esc;
	}
	/* The usual continuation of compact text: ',"' in an object. */
	if (end - p >= 2 && p[0] == ',' && p[1] == '"' &&
	    stack[depth - 1] == '{') {
		p++;
		goto key;
	}
	SKIP_WS(p, end);
	if (p >= end)
		return fail(&s, p, "unexpected end of input");
	if (stack[depth - 1] == '{') {
		if (*p == ',') {
			p++;
			SKIP_WS(p, end);
			goto key;
		}
		if (*p == '}') {
			p++;
			depth--;
			goto after;
		}
		return fail_at(&s, p, end, "expected ',' or '}' in object");
	}
	if (*p == ',') {
		p++;
		goto value;
	}
	if (*p == ']') {
		p++;
		depth--;
		goto after;
	}
	return fail_at(&s, p, end, "expected ',' or ']' in array");
}

/*
 * The record's own object, which every tool reads for every line, in a
 * loop of its own: one member a turn, with no depth to track, the key's
 * and the value's spans kept as they are scanned; a nested container goes
 * to the general loop.  0 with r filled, or -1 for anything it does not
 * take (not an object, invalid text, no memory): the caller then runs
 * the general loop from the start, which finds the same fields and says
 * what is wrong, so this loop never needs to.
 */
static int
scan_top(const char *buf, size_t n, struct vet_record *r)
{
	const unsigned char *p = (const unsigned char *)buf, *end = p + n;
	const unsigned char *kp, *kend, *vp;
	struct vet_error scratch;
	struct vet_field *f;
	struct scan s;
	int kesc, esc, type;

	s.start = p;
	s.err = &scratch;
	SKIP_WS(p, end);
	if (p >= end || *p != '{')
		return -1;
	p++;
	SKIP_WS(p, end);
	if (p < end && *p == '}') {
		p++;
		goto done;
	}
	if (p >= end || *p != '"')
		return -1;
	for (;;) {
		/* At the key's quote. */
		kp = p + 1;
		kesc = 0;
		if ((p = scan_string(&s, p, end, &kesc)) == NULL)
			return -1;
		kend = p - 1;
		/* Compact text: ':' and the value's first byte. */
		if (end - p >= 2 && p[0] == ':' && !ws_tab[p[1]])
			p++;
		else {
			SKIP_WS(p, end);
			if (p >= end || *p != ':')
				return -1;
			p++;
			SKIP_WS(p, end);
			if (p >= end)
				return -1;
		}
		vp = p;
		esc = 0;
		/* Strings are the commonest values: test for them first. */
		if (*p == '"') {
			type = VET_JSON_STRING;
			p = scan_string(&s, p, end, &esc);
		} else switch (*p) {
		case '{':
		case '[':
			type = *p == '{' ? VET_JSON_OBJECT : VET_JSON_ARRAY;
			if (scan((const char *)p, (size_t)(end - p), NULL,
			    &scratch, &p) < 0)
				return -1;
			break;
		case '-': case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			type = VET_JSON_NUMBER;
			p = scan_number(&s, p, end);
			break;
		case 't':
			type = VET_JSON_TRUE;
			if (end - p < 4 || memcmp(p, "true", 4) != 0)
				return -1;
			p += 4;
			break;
		case 'f':
			type = VET_JSON_FALSE;
			if (end - p < 5 || memcmp(p, "false", 5) != 0)
				return -1;
			p += 5;
			break;
		case 'n':
			type = VET_JSON_NULL;
			if (end - p < 4 || memcmp(p, "null", 4) != 0)
				return -1;
			p += 4;
			break;
		default:
			return -1;
		}
		if (p == NULL)
			return -1;
		if (r->n == r->cap && grow_fields(r) < 0)
			return -1;
		f = &r->fields[r->n++];
		f->key.p = (const char *)kp;
		f->key.n = (size_t)(kend - kp);
		f->val.p = (const char *)vp;
		f->val.n = (size_t)(p - vp);
		f->type = (enum vet_json_type)type;
		f->key_escaped = kesc;
		f->val_escaped = esc;
		/* The usual continuation of compact text: ',"'. */
		if (end - p >= 2 && p[0] == ',' && p[1] == '"') {
			p++;
			continue;
		}
		SKIP_WS(p, end);
		if (p >= end)
			return -1;
		if (*p == ',') {
			p++;
			SKIP_WS(p, end);
			if (p >= end || *p != '"')
				return -1;
			continue;
		}
		if (*p != '}')
			return -1;
		p++;
		break;
	}
done:
	SKIP_WS(p, end);
	return p < end ? -1 : 0;
}

int
vet_json_validate(const char *p, size_t n, struct vet_error *err)
{
	return scan(p, n, NULL, err, NULL);
}

int
vet_json_scan_record(const char *p, size_t n, struct vet_record *r,
    struct vet_error *err)
{
	r->n = 0;
	if (scan_top(p, n, r) == 0)
		return 0;
	r->n = 0;
	return scan(p, n, r, err, NULL);
}

enum vet_json_type
vet_json_type_of(struct vet_span v)
{
	if (v.n == 0)
		return VET_JSON_NULL;
	switch (v.p[0]) {
	case '{':
		return VET_JSON_OBJECT;
	case '[':
		return VET_JSON_ARRAY;
	case '"':
		return VET_JSON_STRING;
	case 't':
		return VET_JSON_TRUE;
	case 'f':
		return VET_JSON_FALSE;
	case 'n':
		return VET_JSON_NULL;
	default:
		return VET_JSON_NUMBER;
	}
}

/* The byte after the string whose opening quote is at p (valid input). */
static const char *
skip_string(const char *p, const char *end)
{
	const char *q, *b;

	p++;
	for (;;) {
		if ((q = memchr(p, '"', (size_t)(end - p))) == NULL)
			return end;
		/* The quote is escaped when an odd run of backslashes
		 * precedes it; the run cannot pass the opening quote. */
		for (b = q; b[-1] == '\\'; b--)
			;
		if ((q - b) % 2 == 0)
			return q + 1;
		p = q + 1;
	}
}

/* The byte after the valid value that starts at p. */
static const char *
skip_value(const char *p, const char *end)
{
	size_t depth = 0;

	if (*p == '"')
		return skip_string(p, end);
	if (*p != '[' && *p != '{') {
		while (p < end && *p != ',' && *p != ']' && *p != '}' &&
		    !ws_tab[(unsigned char)*p])
			p++;
		return p;
	}
	while (p < end) {
		switch (*p) {
		case '"':
			p = skip_string(p, end);
			continue;
		case '[': case '{':
			depth++;
			break;
		case ']': case '}':
			if (--depth == 0)
				return p + 1;
			break;
		}
		p++;
	}
	return end;
}

void
vet_json_iter_init(struct vet_json_iter *it, struct vet_span v)
{
	const char *end = v.p + v.n;

	while (end > v.p && ws_tab[(unsigned char)end[-1]])
		end--;
	it->object = v.n > 0 && v.p[0] == '{';
	if (v.n < 2 || (v.p[0] != '{' && v.p[0] != '[')) {
		it->p = it->end = v.p;
		return;
	}
	it->p = v.p + 1;
	it->end = end - 1;
}

int
vet_json_iter_next(struct vet_json_iter *it, struct vet_span *key,
    struct vet_span *val)
{
	const char *p = it->p, *end = it->end, *q;

	while (p < end && (ws_tab[(unsigned char)*p] || *p == ','))
		p++;
	if (p >= end) {
		it->p = end;
		return 0;
	}
	if (it->object) {
		q = skip_string(p, end);
		if (key != NULL) {
			key->p = p;
			key->n = (size_t)(q - p);
		}
		p = q;
		while (p < end && (ws_tab[(unsigned char)*p] || *p == ':'))
			p++;
	}
	q = skip_value(p, end);
	val->p = p;
	val->n = (size_t)(q - p);
	it->p = q;
	return 1;
}

/* Appends code point u as UTF-8 to out (at least 4 bytes of room). */
static size_t
put_utf8(char *out, unsigned long u)
{
	if (u < 0x80) {
		out[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		out[0] = (char)(0xC0 | u >> 6);
		out[1] = (char)(0x80 | (u & 0x3F));
		return 2;
	}
	if (u < 0x10000) {
		out[0] = (char)(0xE0 | u >> 12);
		out[1] = (char)(0x80 | (u >> 6 & 0x3F));
		out[2] = (char)(0x80 | (u & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | u >> 18);
	out[1] = (char)(0x80 | (u >> 12 & 0x3F));
	out[2] = (char)(0x80 | (u >> 6 & 0x3F));
	out[3] = (char)(0x80 | (u & 0x3F));
	return 4;
}

/*
 * Decodes the escape at *pp (**pp == '\\') into out (4 bytes), advances *pp
 * and returns the byte count.  A lone surrogate, which a validated string
 * cannot hold, decodes to U+FFFD.
 */
static size_t
decode_escape(const unsigned char **pp, const unsigned char *end, char *out)
{
	const unsigned char *p = *pp;
	long u, v;

	if (end - p < 2) {
		*pp = end;
		return put_utf8(out, 0xFFFD);
	}
	*pp = p + 2;
	switch (p[1]) {
	case 'b':
		out[0] = '\b';
		return 1;
	case 'f':
		out[0] = '\f';
		return 1;
	case 'n':
		out[0] = '\n';
		return 1;
	case 'r':
		out[0] = '\r';
		return 1;
	case 't':
		out[0] = '\t';
		return 1;
	case 'u':
		break;
	default:
		out[0] = (char)p[1];
		return 1;
	}
	if (end - p < 6 || (u = hex4(p + 2)) < 0)
		return put_utf8(out, 0xFFFD);
	*pp = p + 6;
	if (u >= 0xD800 && u <= 0xDBFF && end - p >= 12 && p[6] == '\\' &&
	    p[7] == 'u' && (v = hex4(p + 8)) >= 0xDC00 && v <= 0xDFFF) {
		*pp = p + 12;
		return put_utf8(out, 0x10000 +
		    ((unsigned long)(u - 0xD800) << 10) +
		    (unsigned long)(v - 0xDC00));
	}
	if (u >= 0xD800 && u <= 0xDFFF)
		u = 0xFFFD;
	return put_utf8(out, (unsigned long)u);
}

static int
is_string_span(struct vet_span v)
{
	return v.n >= 2 && v.p[0] == '"' && v.p[v.n - 1] == '"';
}

int
vet_json_unescape(struct vet_buf *out, struct vet_span v)
{
	const unsigned char *p, *end, *bs;
	char tmp[4];
	size_t k;

	if (!is_string_span(v))
		return VET_EDATA;
	p = (const unsigned char *)v.p + 1;
	end = (const unsigned char *)v.p + v.n - 1;
	/* The decoded text is never longer than the escaped text. */
	if (vet_buf_grow(out, (size_t)(end - p)) < 0)
		return VET_ENOMEM;
	while (p < end) {
		bs = memchr(p, '\\', (size_t)(end - p));
		if (bs == NULL)
			bs = end;
		if (vet_buf_add(out, p, (size_t)(bs - p)) < 0)
			return VET_ENOMEM;
		p = bs;
		if (p < end) {
			k = decode_escape(&p, end, tmp);
			if (vet_buf_add(out, tmp, k) < 0)
				return VET_ENOMEM;
		}
	}
	return 0;
}

int
vet_json_string(struct vet_span v, struct vet_buf *tmp, struct vet_span *out)
{
	int r;

	if (!is_string_span(v))
		return VET_EDATA;
	if (memchr(v.p + 1, '\\', v.n - 2) == NULL) {
		out->p = v.p + 1;
		out->n = v.n - 2;
		return 0;
	}
	vet_buf_reset(tmp);
	if ((r = vet_json_unescape(tmp, v)) < 0)
		return r;
	out->p = vet_buf_str(tmp);
	out->n = tmp->len;
	return 0;
}

void
vet_json_scur_init(struct vet_json_scur *c, struct vet_span v)
{
	c->p = (const unsigned char *)v.p + 1;
	c->end = (const unsigned char *)v.p + v.n - 1;
	c->np = c->ip = 0;
}

int
vet_json_scur_next(struct vet_json_scur *c)
{
	if (c->ip < c->np)
		return (unsigned char)c->pend[c->ip++];
	if (c->p >= c->end)
		return -1;
	if (*c->p != '\\')
		return *c->p++;
	c->np = (int)decode_escape(&c->p, c->end, c->pend);
	c->ip = 1;
	return (unsigned char)c->pend[0];
}

int
vet_json_string_eq_n(struct vet_span v, const char *s, size_t n)
{
	const unsigned char *p, *end, *bs;
	char tmp[4];
	size_t k, run;

	if (!is_string_span(v))
		return 0;
	p = (const unsigned char *)v.p + 1;
	end = (const unsigned char *)v.p + v.n - 1;
	if (n > (size_t)(end - p))
		return 0;	/* escapes only ever shrink the text */
	while (p < end) {
		bs = memchr(p, '\\', (size_t)(end - p));
		if (bs == NULL)
			bs = end;
		run = (size_t)(bs - p);
		if (run > n || memcmp(p, s, run) != 0)
			return 0;
		s += run;
		n -= run;
		p = bs;
		if (p < end) {
			k = decode_escape(&p, end, tmp);
			if (k > n || memcmp(tmp, s, k) != 0)
				return 0;
			s += k;
			n -= k;
		}
	}
	return n == 0;
}

int
vet_json_string_eq(struct vet_span v, const char *cstr)
{
	return vet_json_string_eq_n(v, cstr, strlen(cstr));
}

/* True when v is exactly one number per the grammar. */
static int
is_number(struct vet_span v)
{
	struct scan s;
	const unsigned char *p = (const unsigned char *)v.p;

	if (v.n == 0 || (*p != '-' && !is_digit(*p)))
		return 0;
	s.start = p;
	s.err = NULL;
	return scan_number(&s, p, p + v.n) == p + v.n;
}

/*
 * 1 with *out set when v is a JSON integer of at most 15 digits (exact in
 * a double, so the same value strtod() gives, -0 included); 0 otherwise,
 * including for text that is no number at all.  JSON forbids leading
 * zeros: "0" alone, or a digit 1-9 first.
 */
static int
small_int(struct vet_span v, double *out)
{
	const char *q = v.p, *qe = v.p + v.n;
	uint64_t u = 0;
	int neg = q < qe && *q == '-';

	q += neg;
	if (qe - q < 1 || qe - q > 15 || (*q == '0' && qe - q != 1))
		return 0;
	for (; q < qe; q++) {
		if (*q < '0' || *q > '9')
			return 0;
		u = u * 10 + (uint64_t)(*q - '0');
	}
	*out = neg ? -(double)u : (double)u;
	return 1;
}

int
vet_json_number(struct vet_span v, double *out)
{
	char small[64], *b, *e;
	const char *dp;
	size_t i, dpn;
	double d;

	/* strtod() costs more than the rest of a field: integers, the
	 * common case, take the short way. */
	if (small_int(v, out))
		return 0;
	if (!is_number(v))
		return VET_EDATA;
	/*
	 * strtod() reads the locale's decimal point, which a tool that
	 * calls setlocale() may have made ',': JSON's '.' is swapped for it.
	 */
	dp = localeconv()->decimal_point;
	dpn = dp != NULL && dp[0] != '\0' ? strlen(dp) : 1;
	if (v.n + dpn + 1 <= sizeof small)
		b = small;
	else if ((b = malloc(v.n + dpn + 1)) == NULL)
		return VET_ENOMEM;
	for (i = 0, e = b; i < v.n; i++) {
		if (v.p[i] == '.' && dpn > 0 && dp != NULL && dp[0] != '\0') {
			memcpy(e, dp, dpn);
			e += dpn;
		} else
			*e++ = v.p[i];
	}
	*e = '\0';
	d = strtod(b, &e);
	if (b != small)
		free(b);
	if (isinf(d))
		return VET_EDATA;
	*out = d;
	return 0;
}

int
vet_json_int(struct vet_span v, int64_t *out)
{
	const char *p = v.p, *end = v.p + v.n;
	uint64_t u = 0, lim;
	int neg = 0;

	if (!is_number(v))
		return VET_EDATA;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < end; p++) {
		if (!is_digit((unsigned char)*p))
			return VET_EDATA;	/* a fraction or exponent */
		if (u > (lim - (uint64_t)(*p - '0')) / 10)
			return VET_EDATA;
		u = u * 10 + (uint64_t)(*p - '0');
	}
	if (neg)
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	else
		*out = (int64_t)u;
	return 0;
}

int
vet_json_add_string(struct vet_buf *out, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)str, *end = p + n;
	const unsigned char *run;
	size_t len;
	char e[6];
	unsigned char c;

	if (vet_buf_grow(out, n + 2) < 0 || vet_buf_addch(out, '"') < 0)
		return VET_ENOMEM;
	while (p < end) {
		run = p;
		/* The run goes on over valid UTF-8 too: Chinese text is
		 * copied a run at a time, not a character at a time. */
		for (;;) {
#if JSON_SSE2
			while (end - p >= 16) {
				unsigned m16 = str_special16(p);

				if (m16 != 0) {
					p += __builtin_ctz(m16);
					goto plain_done;
				}
				p += 16;
			}
#endif
#if JSON_SWAR
			while (end - p >= 8) {
				uint64_t x, m;

				memcpy(&x, p, 8);
				if ((m = str_special(x)) != 0) {
					p += __builtin_ctzll(m) >> 3;
					break;
				}
				p += 8;
			}
#endif
			while (p < end && str_plain(*p))
				p++;
#if JSON_SSE2
plain_done:
#endif
			if (p < end && *p >= 0x80 &&
			    utf8_seq(p, end, &len) == U_OK)
				p += len;
			else
				break;
		}
		if (p > run && vet_buf_add(out, run, (size_t)(p - run)) < 0)
			return VET_ENOMEM;
		if (p >= end)
			break;
		c = *p;
		if (c >= 0x80) {
			/* Not valid UTF-8 (the run took the valid). */
			(void)utf8_seq(p, end, &len);
			if (vet_buf_add(out, "\xEF\xBF\xBD", 3) < 0)
				return VET_ENOMEM;
			p += len;
			continue;
		}
		e[0] = '\\';
		len = 2;
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 0xF];
			len = 6;
		}
		if (vet_buf_add(out, e, len) < 0)
			return VET_ENOMEM;
		p++;
	}
	return vet_buf_addch(out, '"');
}
