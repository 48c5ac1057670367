/*
 * record.h - one JSON Lines record: a parsed top-level object whose fields
 * are spans into the caller's line, and the writer that replaces or appends
 * the fields a tool owns without re-serialising the others.
 *
 * Ownership: struct vet_record owns only its array of fields; every span in
 * it points into the line passed to vet_record_parse(), which the caller must
 * keep unchanged while the record is used.  struct vet_fieldset owns copies
 * of the keys and JSON texts added to it.  Both are reused across records:
 * parse and vet_fieldset_reset() keep their memory, so the hot loop does no
 * allocation once warm.  _release() frees everything.
 *
 * SPEC 2: a filter passes every field it does not own through unchanged and
 * in order; the fields it owns it replaces in place when present and appends
 * otherwise, so running a tool twice gives the same line and never a
 * duplicate key.
 */
#ifndef VET_RECORD_H
#define VET_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/json.h"

struct vet_field {
	struct vet_span key;	/* raw key text without its quotes */
	struct vet_span val;	/* raw JSON value text (strings with quotes) */
	enum vet_json_type type;
	int key_escaped;	/* key contains a backslash escape */
	int val_escaped;	/* a string value contains a backslash escape */
};

struct vet_record {
	struct vet_field *fields;
	size_t n;
	size_t cap;
};

void vet_record_init(struct vet_record *r);
void vet_record_release(struct vet_record *r);

/*
 * Parses line [p, p + n) (no trailing newline needed; surrounding whitespace
 * and a trailing '\r' are allowed) as one JSON object, validating it fully
 * (json.h rules) in the same single pass that collects the fields.
 * Returns 0; VET_EDATA with err->col (1-based byte column in the line) and
 * err->msg when the line is not valid JSON (the JSON message) or valid but
 * not an object ("record is not a JSON object"); VET_ENOMEM.  On failure
 * r->n is 0.  err->line and err->file are left for the caller to fill.
 */
int vet_record_parse(struct vet_record *r, const char *p, size_t n,
    struct vet_error *err);

/* The first field named key, or NULL. */
const struct vet_field *vet_record_get(const struct vet_record *r,
    const char *key);

/*
 * 0 when key occurs at most once in r, else VET_EDATA "field 'KEY' given
 * twice" with err->col the 1-based column of the second key's opening
 * quote in line (the text r was parsed from).  A record whose "id" is
 * given twice names two people: the tools that take veterans refuse it
 * rather than use the first, as vet-intake does.
 */
int vet_record_once(const struct vet_record *r, const char *key,
    const char *line, struct vet_error *err);

/*
 * Typed access to a field of r; each returns 1 when the field is present
 * with the right type and fills out, 0 when absent or null, and VET_EDATA
 * when present with another type.  _str gives a span that points into the
 * line when the string has no escapes, else into tmp.
 */
int vet_record_str(const struct vet_record *r, const char *key,
    struct vet_buf *tmp, struct vet_span *out);
int vet_record_bool(const struct vet_record *r, const char *key, int *out);
int vet_record_num(const struct vet_record *r, const char *key, double *out);
int vet_record_int(const struct vet_record *r, const char *key, int64_t *out);

/*
 * The same, for a tool that refuses the record when a field is wrong, with
 * err filled with the one message every tool gives: "missing field 'KEY'",
 * "field 'KEY' is not a string", "field 'KEY' is not a date YYYY-MM-DD",
 * "field 'KEY' is not an array (of strings)"; VET_ENOMEM "out of memory".
 *   _need_str: 1 with *out; VET_EDATA when absent, null or "", or not a
 *     string.
 *   _opt_str: 1 with *out ("" included), 0 when absent or null; VET_EDATA
 *     when not a string.
 *   _opt_date: 1 with *out, 0 when absent or null; VET_EDATA when not a
 *     string holding a date YYYY-MM-DD.
 *   _need_strs: 1 with the field in *f and its element count in *n;
 *     VET_EDATA when absent or null ("missing field 'KEY'" and then hint,
 *     such as " (classify the records with vet-classify first)"; hint may
 *     be NULL), or not an array of strings.
 */
int vet_record_need_str(const struct vet_record *r, const char *key,
    struct vet_buf *tmp, struct vet_span *out, struct vet_error *err);
int vet_record_opt_str(const struct vet_record *r, const char *key,
    struct vet_buf *tmp, struct vet_span *out, struct vet_error *err);
int vet_record_opt_date(const struct vet_record *r, const char *key,
    struct vet_buf *tmp, vet_day *out, struct vet_error *err);
int vet_record_need_strs(const struct vet_record *r, const char *key,
    const char *hint, const struct vet_field **f, size_t *n,
    struct vet_error *err);

/*
 * The fields a tool owns, in the order it appends them.  Values are JSON
 * text.  For arrays and objects, vet_fieldset_begin() returns the buffer to
 * write the value's JSON text into and vet_fieldset_end() closes it:
 *
 *	struct vet_buf *v = vet_fieldset_begin(fs, "categories");
 *	vet_buf_addch(v, '['); ... vet_buf_addch(v, ']');
 *	vet_fieldset_end(fs);
 *
 * Adding a key already in the set replaces its value (keeping its place
 * in the order).  Keys are compared byte for byte, and json is trusted to
 * be one valid JSON value (it is not checked).  Nothing else may be added
 * to the set between begin and end.  All return 0 or VET_ENOMEM, except
 * vet_fieldset_begin(), which returns NULL when out of memory.
 */
struct vet_fieldset_item {
	size_t koff, klen;	/* key bytes in buf */
	size_t voff, vlen;	/* JSON value text in buf */
};

struct vet_fieldset {
	struct vet_buf buf;
	struct vet_fieldset_item *items;
	size_t n;
	size_t cap;
	size_t open_koff, open_klen;	/* key of the value begun, if any */
};

void vet_fieldset_init(struct vet_fieldset *fs);
void vet_fieldset_release(struct vet_fieldset *fs);
void vet_fieldset_reset(struct vet_fieldset *fs);
int vet_fieldset_add_raw(struct vet_fieldset *fs, const char *key,
    const char *json, size_t n);
int vet_fieldset_add_str(struct vet_fieldset *fs, const char *key,
    const char *s, size_t n);
int vet_fieldset_add_int(struct vet_fieldset *fs, const char *key,
    int64_t v);
int vet_fieldset_add_num(struct vet_fieldset *fs, const char *key,
    double v);
int vet_fieldset_add_bool(struct vet_fieldset *fs, const char *key, int v);
int vet_fieldset_add_null(struct vet_fieldset *fs, const char *key);
/* The field is owned and removed: the record is written without it (a
 * fact the event log says no longer holds, SPEC 2.3). */
int vet_fieldset_drop(struct vet_fieldset *fs, const char *key);
struct vet_buf *vet_fieldset_begin(struct vet_fieldset *fs, const char *key);
int vet_fieldset_end(struct vet_fieldset *fs);

/*
 * Appends to out the record as one compact line ending in '\n': the input
 * fields in order (key and value bytes copied as they are), each key of own
 * replaced in place by its new value at its first occurrence and dropped at
 * later ones, then the keys of own absent from the input, in set order.
 * own may be NULL.  Returns 0 or VET_ENOMEM.
 */
int vet_record_write(struct vet_buf *out, const struct vet_record *in,
    const struct vet_fieldset *own);

/*
 * Appends a number the way the toolkit writes them: integers without a
 * fraction, others with the fewest significant digits (at least 15) that
 * read back as the same double; NaN and infinities, which JSON cannot
 * hold, as null.
 */
int vet_json_add_number(struct vet_buf *out, double v);

#endif
