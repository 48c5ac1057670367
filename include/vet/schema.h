/*
 * schema.h - the records of SPEC 2, once: for each record kind (veteran,
 * job, event by type, extract) its fields in output order, each with its
 * type, whether it is required, a list or a dated fact (SPEC 2.3), its
 * Chinese and English labels, the header words stations write for it and,
 * for an enum, its codes with their labels and the other words that mean
 * them; the words that mean "unknown", "none", yes and no; and the named
 * field sets the tools share (the complete information file of 二(三), the
 * matched-veteran rule, the start of the 挂账 duty).
 *
 * Ownership: everything here is static, read-only data of the library;
 * the pointers returned live for the whole program and may be read by any
 * number of threads.
 *
 * The mapping (mapping.h), the policy's symbol table (policy.c), vet-match,
 * vet-audit, vet-report and vet-intake's event check read these tables
 * instead of keeping copies, so that a field or a code is added in one
 * line of lib/schema.c.
 */
#ifndef VET_SCHEMA_H
#define VET_SCHEMA_H

#include <stddef.h>

#include "vet/date.h"

enum vet_kind {
	VET_KIND_VETERAN,
	VET_KIND_JOB,
	VET_KIND_EVENT,
	VET_KIND_EXTRACT,
	VET_KIND_RAW		/* headers only: every value a string */
};

enum vet_ftype {
	VET_FT_STRING,
	VET_FT_ID,
	VET_FT_PHONE,
	VET_FT_DISTRICT,
	VET_FT_DATE,
	VET_FT_BOOL,
	VET_FT_INT,
	VET_FT_NUMBER,
	VET_FT_ARRAY,
	VET_FT_ENUM
};

/* Field flags. */
#define VET_SF_REQUIRED	0x1	/* a record of the kind must have it */
#define VET_SF_MONTH	0x2	/* a date that may be a month alone (its
				 * first day): 2023.12, 2023年12月 */

struct vet_schema_field {
	const char *name;
	enum vet_ftype type;
	unsigned flags;
	const char *zh, *en;	/* labels; zh is also the first header */
	const char *headers;	/* more header words, '|' between them */
	/* An enum's codes, NULL-terminated, and their labels in the same
	 * order; a code's zh label is also a word for it.  NULL otherwise. */
	const char *const *codes;
	const char *const *codes_zh;
	const char *const *codes_en;
	const char *values;	/* more words: "raw=code|raw=code" */
	/* A dated fact (SPEC 2.3): the date field that dates it, which may
	 * be the field itself (assisted_since); NULL when not dated. */
	const char *dated_by;
};

/*
 * The fields of kind k in output order, and their number in *n.  An
 * extract has the veteran's fields.  VET_KIND_RAW has none (NULL, 0).
 */
const struct vet_schema_field *vet_schema_fields(enum vet_kind k, size_t *n);
/* Whether a record of kind k must have field f: its VET_SF_REQUIRED, but
 * of an extract only `id`. */
int vet_schema_required(enum vet_kind k, const struct vet_schema_field *f);
/* The field named name of kind k, or NULL. */
const struct vet_schema_field *vet_schema_field(enum vet_kind k,
    const char *name);
/* The index of code (n bytes) in field f's codes, or -1. */
int vet_schema_code_index(const struct vet_schema_field *f, const char *code,
    size_t n);

/*
 * The word a sheet writes for code (n bytes) of field f, one that
 * vet-intake reads back as code: the code's label of an enum, else the
 * first of f's values words for it, else, of a bool, the first of
 * vet_schema_bool_words.  Its length in *len (the values words end at
 * '='); NULL when f has no word for code.  It is what the mapping built
 * from these tables (mapping.h) answers, which test_schema.c checks for
 * every code.
 */
const char *vet_schema_word(const struct vet_schema_field *f,
    const char *code, size_t n, size_t *len);

/*
 * Labels for sheets and reports, lang "zh" or "en": of field name of kind
 * k, and of code of the enum field named field (looked up in the veteran,
 * job and event tables, where enum field names do not repeat).  NULL when
 * the field or code is unknown.
 */
const char *vet_schema_field_label(enum vet_kind k, const char *name,
    const char *lang);
const char *vet_schema_code_label(const char *field, const char *code,
    const char *lang);

/* An event type (SPEC 2.2): its fields and those it cannot lack. */
struct vet_schema_event {
	const char *type;
	const char *const *fields;	/* NULL-terminated, besides type */
	const char *const *required;	/* NULL-terminated */
};
/* The event types in SPEC order, NULL-terminated by type == NULL. */
extern const struct vet_schema_event vet_schema_events[];
/* The type named type (n bytes), or NULL. */
const struct vet_schema_event *vet_schema_event(const char *type, size_t n);

/*
 * Words every kind shares, as NULL-terminated lists: cells that mean the
 * value is unknown (the field stays absent), cells of a list column that
 * mean the empty list, and the words for true and false of a bool field
 * (pairs: word, "true" or "false").
 */
extern const char *const vet_schema_unknown_words[];
extern const char *const vet_schema_none_words[];

/*
 * The Chinese header of a field that no record kind declares but that the
 * tools add (categories, check, diff, ...), for vet-export; NULL when it
 * has none.  The string is static.
 */
const char *vet_schema_added_label(const char *field);
extern const char *const vet_schema_bool_words[];

/*
 * The complete information file (二(三), vet-audit incomplete_file):
 * file_fields always, and need_fields too when the field need_if is true.
 */
extern const char *const vet_schema_file_fields[];
extern const char *const vet_schema_file_need_fields[];
extern const char vet_schema_file_need_if[];

/*
 * The matched veterans of vet-match: none of the categories in
 * vet_schema_match_not, the bool field vet_schema_match_need true and the
 * field vet_schema_match_status equal to vet_schema_match_status_code.
 */
extern const char *const vet_schema_match_not[];
extern const char vet_schema_match_need[];
extern const char vet_schema_match_status[];
extern const char vet_schema_match_status_code[];

/*
 * The 挂账 duty (vet-audit, vet-report): it starts in the month in which
 * assisted_since + months falls, months being the policy parameter
 * hard_to_place_after_months.
 */
extern const char vet_schema_duty_since[];
extern const char vet_schema_duty_param[];
vet_day vet_schema_duty_start(vet_day since, int months);

#endif
