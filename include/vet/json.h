/*
 * json.h - strict RFC 8259 JSON: validation, scalar access, iteration and
 * string escaping, all over spans of the caller's bytes.
 *
 * Ownership: nothing here allocates except the functions that append to a
 * caller's struct vet_buf.  Spans (struct vet_span, from buf.h) point into the
 * caller's input and are valid as long as it is.  A "value span" is the raw
 * text of one JSON value: a string span includes its quotes.
 *
 * Strictness: exactly what RFC 8259 allows (every y_ case of JSONTestSuite is
 * accepted, every n_ case rejected); strings must be valid UTF-8 (no
 * overlongs, no surrogates encoded in UTF-8, nothing above U+10FFFF) and
 * \u escapes must pair surrogates correctly; nesting deeper than
 * VET_JSON_MAX_DEPTH is rejected without recursion.  Duplicate keys are
 * allowed by the grammar; record.h decides what they mean.
 */
#ifndef VET_JSON_H
#define VET_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/error.h"

#define VET_JSON_MAX_DEPTH 512

enum vet_json_type {
	VET_JSON_NULL,
	VET_JSON_FALSE,
	VET_JSON_TRUE,
	VET_JSON_NUMBER,
	VET_JSON_STRING,
	VET_JSON_ARRAY,
	VET_JSON_OBJECT
};

/*
 * Validates that [p, p + n) is exactly one JSON value with optional
 * surrounding whitespace.  Returns 0, or VET_EDATA with err->col set to the
 * 1-based byte offset of the fault and err->msg saying what is wrong
 * (e.g. "invalid UTF-8 in string: overlong encoding", "nesting deeper than
 * 512", "expected ',' or ']' in array, found 'x'").  NUL bytes are rejected
 * everywhere, lone surrogates in \u escapes too.  There is no size limit:
 * callers bound line length themselves.
 */
int vet_json_validate(const char *p, size_t n, struct vet_error *err);

/* The type of a valid value span (by its first byte). */
enum vet_json_type vet_json_type_of(struct vet_span v);

/*
 * The single pass under vet_record_parse() (record.h): validates [p, p + n)
 * exactly as vet_json_validate() does and, when the value is an object,
 * fills r's fields with the spans of its own members, in order.  r's array
 * is reused and grown as needed.  Returns 0; VET_EDATA (err filled as for
 * validate); VET_ENOMEM.  Whatever the result, r->n counts the members
 * filled so far.
 */
struct vet_record;
int vet_json_scan_record(const char *p, size_t n, struct vet_record *r,
    struct vet_error *err);

/*
 * Iteration over the members of a VALIDATED array or object value span.
 * vet_json_iter_next() returns 1 with the next element (key is the raw key
 * string span with its quotes, for objects; pass NULL for arrays), or 0 at
 * the end.  Behaviour on unvalidated input is undefined.
 */
struct vet_json_iter {
	const char *p;
	const char *end;
	int object;		/* iterating an object: members have keys */
};
void vet_json_iter_init(struct vet_json_iter *it, struct vet_span v);
int vet_json_iter_next(struct vet_json_iter *it, struct vet_span *key,
    struct vet_span *val);

/*
 * Decodes a valid string value span (with quotes) into out, appending.
 * Returns 0 or VET_ENOMEM.
 */
int vet_json_unescape(struct vet_buf *out, struct vet_span v);

/*
 * Gives the string contents of a valid string span: when it holds no escape
 * the result points into v (no copy), otherwise it is decoded into tmp (which
 * is reset first) and points there.  Returns 0, VET_EDATA when v is not a
 * string, or VET_ENOMEM.
 */
int vet_json_string(struct vet_span v, struct vet_buf *tmp,
    struct vet_span *out);

/*
 * A cursor over the decoded bytes of a VALIDATED string span (with its
 * quotes), for comparing strings a byte at a time without decoding them
 * into a buffer: vet_json_scur_next() returns the next byte (0 to 255),
 * or -1 at the end.  It holds no memory; behaviour on unvalidated input is
 * undefined.
 */
struct vet_json_scur {
	const unsigned char *p, *end;
	char pend[4];		/* the bytes of an escape, being handed out */
	int np, ip;
};
void vet_json_scur_init(struct vet_json_scur *c, struct vet_span v);
int vet_json_scur_next(struct vet_json_scur *c);

/* True when string span v (with quotes) decodes to exactly cstr. */
int vet_json_string_eq(struct vet_span v, const char *cstr);
/* The same against n bytes s, which may hold NUL bytes. */
int vet_json_string_eq_n(struct vet_span v, const char *s, size_t n);

/*
 * A number span as a double / as an integer (no fraction or exponent, in
 * range).  Return 0, or VET_EDATA when v is not a JSON number, when a double
 * would overflow to infinity, or when an integer has a fraction or exponent
 * or does not fit in int64_t.  The conversion ignores the C locale.
 */
int vet_json_number(struct vet_span v, double *out);
int vet_json_int(struct vet_span v, int64_t *out);

/*
 * Appends s (n bytes of UTF-8) as a JSON string with quotes: '"', '\\' and
 * control characters escaped, everything else copied.  Invalid UTF-8 is
 * replaced by U+FFFD so the output is always valid JSON.  Returns 0 or
 * VET_ENOMEM.
 */
int vet_json_add_string(struct vet_buf *out, const char *s, size_t n);

#endif
