/*
 * intake.h - one raw row (header names and cell texts) or one JSON Lines
 * record in, one canonical record of a kind out (SPEC 2, SPEC 3
 * vet-intake), with every normalisation and every reason to reject.
 *
 * Ownership: struct vet_intake is caller storage, set up by
 * vet_intake_init() and freed by vet_intake_release().  It keeps pointers
 * to the mapping and the policy, which must outlive it, and owns the
 * buffers it reuses from record to record.  Output is appended to the
 * caller's buffer.  The error strings and unknown names it hands out live
 * until the next call that takes a record or a header.
 *
 * Normalisation, by field type (mapping.h): every cell is trimmed (ASCII
 * white space and U+3000) and an empty cell leaves the field absent; ids,
 * phones, dates, booleans, numbers and enum values have full-width ASCII
 * folded first; ids go through vet_id_normalize() (spaces, lower-case x,
 * 15 -> 18 digits, check character, birth date); dates through
 * vet_date_parse_loose() and are written YYYY-MM-DD; booleans and enums
 * through the mapping's value maps; arrays are split on 、,;，；| and line
 * ends.  For veteran and extract records, sex and birth_date are derived
 * from the id when absent and must agree with it when present.  Strings
 * and unknown columns are kept as they are (trimmed), unknown columns
 * under their header text after the known fields.
 *
 * Kind raw maps headers through the map file only and keeps every cell,
 * empty ones too, as a string, in column order; raw JSON Lines records are
 * validated and written back compactly.
 */
#ifndef VET_INTAKE_H
#define VET_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/mapping.h"
#include "vet/record.h"

struct vet_policy;

#define VET_INTAKE_MAX_ERRORS 8

struct vet_intake_slot {	/* private */
	const char *ext;	/* JSON text in the input, or NULL: */
	size_t off, len;	/* JSON text in vals (or at ext) */
	int set;
	int bad;
};

struct vet_intake_jkey {	/* private */
	size_t off, len;
	long field;
	int canon;		/* the key is the field's own name */
};

struct vet_intake_vc {		/* private: a cell value already mapped */
	uint32_t hash;
	uint32_t field;		/* field + 1; 0: an empty entry */
	size_t off, len;	/* cell text in vctext */
	size_t joff, jlen;	/* its JSON text in vctext */
};

struct vet_intake {
	const struct vet_mapping *map;
	const struct vet_policy *policy;
	vet_day today;
	/*
	 * Set by the caller when every cell it passes to vet_intake_row() is
	 * known to be valid UTF-8 (checked or decoded already): strings are
	 * then escaped without checking it a second time.  When 0, invalid
	 * UTF-8 in a cell becomes U+FFFD in the output.
	 */
	int utf8_checked;

	/* private: the current header */
	long *colfield;		/* field of each column, or -1 */
	size_t *colkey;		/* offset of the column's "key": text */
	size_t *colkeylen;
	size_t ncols, capcols;
	struct vet_buf keys;
	int header_bad;
	struct vet_buf header_msg;

	/* private: the record being built */
	int trust;		/* this record's text is valid UTF-8 */
	struct vet_intake_slot *slots;
	size_t nset, need;	/* slots set, and the bytes they will take */
	size_t *req;		/* the required fields, in order */
	size_t nreq;
	struct vet_buf vals, extra, tmp, tmp2, out_tmp;
	long f_id, f_sex, f_birth, f_last, f_type;
	char sex;
	vet_day birth;
	struct vet_record rec;
	struct vet_intake_jkey *jhash;	/* JSON key by text */
	size_t njhash;
	uint16_t *jnext;	/* slot in jhash of the key that followed the
				 * key in each slot (last: the first key) */
	size_t jprev;		/* slot of the key before, in this record */
	const char *pass;	/* the record, when the output is the input */
	size_t npass, passfields;
	struct vet_buf jkeytext;
	struct vet_intake_vc *vc;	/* enum, bool, district values */
	size_t nvc;
	struct vet_buf vctext;

	/* private: errors of the record */
	struct vet_buf errtext;
	size_t erroff[VET_INTAKE_MAX_ERRORS];
	const char *errs[VET_INTAKE_MAX_ERRORS];
	size_t nerr;

	/* private: names of unknown columns and keys, NUL-separated */
	struct vet_buf unknown;
	size_t *unknown_off;
	size_t nunknown, capunknown;

	/* results of the last record that was written */
	char id[19];
	int has_id;
	vet_day last_contact;
	int has_last_contact;
};

/*
 * Sets up intake with mapping m and policy p (for the district check; NULL
 * accepts any district).  today bounds birth dates (--as-of).  0 or
 * VET_ENOMEM.
 */
int vet_intake_init(struct vet_intake *t, const struct vet_mapping *m,
    const struct vet_policy *p, vet_day today);
void vet_intake_release(struct vet_intake *t);

/*
 * Takes the header row of a CSV/TSV input: n names (UTF-8).  Returns 0;
 * VET_EDATA when a header text occurs twice or two columns map to one field
 * ("duplicate header 'X'", in err), after which every row of this header
 * is rejected with that message; or VET_ENOMEM.  Columns that map to no
 * field are added to the unknown names.
 */
int vet_intake_header(struct vet_intake *t, const struct vet_span *names,
    size_t n, struct vet_error *err);

/*
 * Converts a row of n cells (UTF-8) under the current header and appends
 * the record and a '\n' to out.  Returns 0; VET_EDATA with the reasons in
 * vet_intake_errors() and out unchanged; or VET_ENOMEM.
 */
int vet_intake_row(struct vet_intake *t, const struct vet_span *cells,
    size_t n, struct vet_buf *out);

/*
 * Converts one JSON Lines record [p, p + n) (keys are header texts or
 * field names) like vet_intake_row().  Keys that map to no field are kept
 * with their values unchanged and added to the unknown names.
 */
int vet_intake_json(struct vet_intake *t, const char *p, size_t n,
    struct vet_buf *out);

/* The reasons the last record was refused: *errs and the count. */
size_t vet_intake_errors(const struct vet_intake *t,
    const char *const **errs);

/* Unknown column and key names seen so far, in order, each once. */
size_t vet_intake_nunknown(const struct vet_intake *t);
const char *vet_intake_unknown(const struct vet_intake *t, size_t i);

#endif
