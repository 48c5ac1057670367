/*
 * mapping.h - how a station's or bureau's columns become record fields:
 * the fields of each record kind with their types and the built-in
 * mapping of the common Chinese headers and values, both read from the
 * schema (schema.h), and `--map FILE`, a YAML file that adds or overrides
 * header and value mappings.
 *
 * Ownership: struct vet_mapping is caller storage; vet_mapping_init() fills
 * it and vet_mapping_release() frees every string and array it holds.  A
 * loaded mapping is only read afterwards, so the pointers returned by the
 * lookups live as long as the mapping.
 *
 * The map file (vet-intake(1) shows an example), strict: an unknown key, a
 * wrong type, an unknown field or code is an error with file, line and
 * column (VET_ECONFIG):
 *
 *	kind: veteran		# optional; must agree with --kind
 *	headers:		# header text -> field
 *	  证件号码: id
 *	  备注: remark
 *	fields:			# declare a new field or override one
 *	  remark: { type: string }
 *	  placement:
 *	    values: { 自谋职业: autonomous }
 *	  hukou:
 *	    type: enum
 *	    required: false
 *	    values: { 本市: local, 外埠: nonlocal }
 *	booleans:		# more words for true and false
 *	  true: [有, 是的]
 *	  false: [没有]
 *
 * Types: string, id, phone, district, date, bool, int, number, array (a
 * cell split on 、,;，；| and line ends) and enum (values map raw text to
 * codes; a code itself is also accepted).  A header maps to a field that is
 * built in or declared under fields; a header that maps to nothing is kept
 * by the caller under its own name.
 */
#ifndef VET_MAPPING_H
#define VET_MAPPING_H

#include <stddef.h>

#include "vet/error.h"
#include "vet/schema.h"

struct vet_map_block;

struct vet_map_value {
	char *raw;		/* text as it appears in a cell */
	char *code;		/* canonical code ("true"/"false" for bool) */
};

struct vet_map_field {
	char *name;
	char *jkey;		/* "\"name\":", ready to write */
	size_t jkeylen;
	enum vet_ftype type;
	int required;
	unsigned flags;		/* VET_SF_MONTH of the schema */
	struct vet_map_value *values;
	size_t nvalues, capvalues;
	const char *const *codes;	/* allowed codes, NULL-terminated, or
					 * NULL when any code is allowed */
};

struct vet_map_header {
	char *text;
	size_t field;
};

struct vet_mapping {
	enum vet_kind kind;
	struct vet_map_field *fields;	/* in output order */
	size_t nfields, capfields;
	struct vet_map_header *headers;
	size_t nheaders, capheaders;
	struct vet_map_value *booleans;	/* raw -> "true" / "false" */
	size_t nbooleans, capbooleans;
	size_t *hash;		/* private: header index + 1, or 0 */
	size_t hashcap;
	struct vet_map_block *blocks;	/* private: where every string of
					 * the mapping lives */
};

/* "veteran", "job", "event", "extract", "raw": 0 and *out, or
 * VET_EUSAGE. */
int vet_kind_parse(const char *s, enum vet_kind *out);
const char *vet_kind_name(enum vet_kind k);
/* "string", "date", ...: 0 and *out, or VET_EUSAGE. */
int vet_ftype_parse(const char *s, enum vet_ftype *out);

/* The built-in mapping of kind.  0, or VET_ENOMEM with nothing held (no
 * vet_mapping_release() needed). */
int vet_mapping_init(struct vet_mapping *m, enum vet_kind kind);
void vet_mapping_release(struct vet_mapping *m);

/*
 * Merges the YAML map file text [p, p + n) (named file in messages) into m.
 * Returns 0, VET_ECONFIG with err->file/line/col, VET_ENOMEM, or
 * VET_EINTERNAL when libyaml cannot be loaded (dl.h).  On failure m may
 * hold part of the file; release it.
 */
int vet_mapping_load(struct vet_mapping *m, const char *file, const char *p,
    size_t n, struct vet_error *err);

/*
 * The field a header (already trimmed) maps to, or -1: the exact text, or
 * else the text without the marks and spellings of a station's sheet
 * (spaces and U+3000 anywhere, `*`, （必填） and (必填), a trailing colon;
 * full-width parentheses and colon as ASCII), which is the form the
 * built-in headers are written in.
 */
long vet_mapping_header(const struct vet_mapping *m, const char *h,
    size_t n);

/*
 * For a header that maps to nothing (h, n bytes, trimmed): the index in
 * m->headers of the known header it most resembles, or -1, so that an
 * unmapped variant of a known column (是否已登记失业 before it was a built-in
 * word) is told, not silently kept aside.  Both texts are taken in their
 * normal form (above), as code points, ASCII case ignored; d is the
 * characters one has that the other lacks, la + lb - 2 * (their longest
 * common subsequence).  A header resembles a known one when both have at
 * least 3 characters and d <= max(1, max(la, lb) / 3): a character added
 * to or left out of a 4-character header, up to two in a 6-character one.
 * A changed character counts two, so 入伍时间 is not 退伍时间 and 创业意愿 is
 * not 就业意愿; 2-character headers (备注, 序号) resemble nothing.  The
 * smallest d wins, the first known header on a tie.  Headers above 64
 * characters resemble nothing.  A header ending in a bracketed note, as
 * 退役时间(年月日) or 性别（男/女）, resembles the known header before the
 * note when that is one exactly, even of 2 characters.
 */
long vet_mapping_near(const struct vet_mapping *m, const char *h, size_t n);

/* The index of the field named name, or -1. */
long vet_mapping_field(const struct vet_mapping *m, const char *name);

/*
 * The code of value v (n bytes) for enum, bool or district field f: the
 * field's own value map first, then for bool the boolean words, then the
 * codes themselves (ASCII case ignored).  NULL when v is none of them.
 */
const char *vet_mapping_value(const struct vet_mapping *m, size_t f,
    const char *v, size_t n);

/*
 * The words of the tables above as vet-export writes them, so that
 * vet-intake reads them back (the inverse of the lookups above):
 * _label: the header of field f (its first header other than its name),
 * or NULL; _word: the first raw value that maps to code in field f (for a
 * bool, the first of the boolean words: 是, 否), or NULL.  The strings
 * live as long as m.
 */
const char *vet_mapping_label(const struct vet_mapping *m, size_t f);
const char *vet_mapping_word(const struct vet_mapping *m, size_t f,
    const char *code);

/* The word vet-export writes for the empty list: the first of the
 * schema's none words (无), which vet-intake reads back as []. */
const char *vet_mapping_empty_list_word(void);

/*
 * The header of the first column of a rejects sheet (vet-export): the
 * reasons a row was rejected.  vet-intake ignores a column of that name,
 * so that the corrected sheet reads as any other.
 */
#define VET_MAPPING_PROBLEMS "问题"

#endif
