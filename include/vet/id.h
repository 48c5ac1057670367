/*
 * id.h - Chinese resident identity numbers (公民身份号码, GB 11643-1999).
 *
 * Ownership: plain values; nothing allocates.  Results go into caller
 * arrays.  Error messages never contain the full id (mask.h).
 *
 * An 18-character id is 6 digits of area, 8 of birth date (YYYYMMDD), 3 of
 * sequence (odd = male) and a MOD 11-2 check character ('0'-'9' or 'X').
 * A 15-digit legacy id has a 6-digit birth date (19YYMMDD) and no check
 * character; it is upgraded by inserting "19" and computing the check.
 */
#ifndef VET_ID_H
#define VET_ID_H

#include <stddef.h>

#include "vet/date.h"
#include "vet/error.h"

/* Why an id was refused; each has a fixed message (vet_id_strerror). */
enum vet_id_fault {
	VET_ID_OK = 0,
	VET_ID_EMPTY,		/* "id is empty" */
	VET_ID_SCIENTIFIC,	/* "id was turned into a number by a spreadsheet" */
	VET_ID_LENGTH,		/* "id must have 18 characters (or 15 digits), not N" */
	VET_ID_CHARS,		/* "id has a character that is not a digit or a final 'X'" */
	VET_ID_CHECK,		/* "bad check character in id '110105********123X'" */
	VET_ID_BIRTH,		/* "impossible birth date in id" */
	VET_ID_FUTURE,		/* "birth date in id is in the future" */
	VET_ID_PROVINCE		/* "id does not start with a province code
				 * (GB/T 2260)": 000000... too */
};

/*
 * Normalises raw (n bytes of UTF-8): strips spaces (ASCII, U+00A0 and
 * U+3000, wherever they are, since stations type ids in groups), folds
 * full-width digits and letters, upper-cases a final 'x', refuses a value a
 * spreadsheet turned into a number (1.10105E+17, 110105199001011234.0),
 * upgrades a 15-digit id; then validates characters, length, province
 * (the first two digits, GB/T 2260), birth date (a real date from 1800 on,
 * not after `today`) and check character, in that order.  On success writes the 18 characters and a NUL into out and
 * returns 0; else returns VET_EDATA, sets *fault (when not NULL) and fills
 * err with a message that masks the id.
 */
int vet_id_normalize(const char *raw, size_t n, vet_day today, char out[19],
    enum vet_id_fault *fault, struct vet_error *err);

/* The MOD 11-2 check character for 17 digits. */
char vet_id_check_char(const char *first17);

/* True when the first two characters of id are a province code of
 * GB/T 2260 (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81-83). */
int vet_id_province_ok(const char *id);

/* True when id (18 chars, as normalize leaves it) is valid: digits, a
 * province, a real birth date from 1800 on and the right check character
 * (no `today`). */
int vet_id_valid(const char *id, size_t n);
/* The same, and when valid also its birth date in *birth (what
 * vet_id_birth gives), for a caller that needs both. */
int vet_id_valid_birth(const char *id, size_t n, vet_day *birth);

/* 'M' or 'F' from the sequence digit of a normalized id. */
char vet_id_sex(const char *id18);

/* The birth date of a normalized id; 0, or VET_EDATA when it is not a real
 * date from 1800 on. */
int vet_id_birth(const char *id18, vet_day *out);

const char *vet_id_strerror(enum vet_id_fault f);

#endif
