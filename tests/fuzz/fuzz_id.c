/*
 * libFuzzer target: the id normaliser (id.h) on arbitrary bytes.  An id
 * accepted is 18 valid characters that normalise to themselves; the
 * message for one refused holds no id or phone in full, whatever the
 * input (masked()).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/date.h"
#include "vet/id.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A message holds no id and no phone in full, also once the separators of
 * SPEC 4 are removed: no run of 18 characters that is a valid id, no run
 * of 11 digits that starts like a mobile number.  (A longer run is no id:
 * the masker, like a reader, takes digits by whole runs.  Masking twice is
 * not the test: the 6 digits a mask keeps may join digits before them.)
 */
static void
masked(const char *s)
{
	char t[1100];
	size_t n = 0, i, j;

	for (; *s != '\0' && n < sizeof t - 1; s++)
		if (strchr(" ._()+-", *s) == NULL)
			t[n++] = *s;
	t[n] = '\0';
	for (i = 0; i < n; i = j + 1) {
		/* A '*' stands where a digit was: it counts in the run. */
		for (j = i; j < n && (isdigit((unsigned char)t[j]) ||
		    t[j] == '*' || (t[j] == 'X' && j > i)); j++)
			;
		if (j - i == 18 && vet_id_valid(t + i, 18))
			abort();
		if (j - i == 11 && t[i] == '1' && t[i + 1] >= '3' &&
		    t[i + 1] <= '9' && memchr(t + i, '*', 11) == NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum vet_id_fault f;
	struct vet_error err;
	char out[19], again[19];
	vet_day today;

	if (vet_date_from_ymd(2026, 9, 30, &today) < 0)
		abort();
	vet_error_clear(&err);
	if (vet_id_normalize((const char *)data, size, today, out, &f,
	    &err) == 0) {
		if (strlen(out) != 18 || !vet_id_valid(out, 18) ||
		    !vet_id_province_ok(out))
			abort();
		if (vet_id_normalize(out, 18, today, again, &f, &err) < 0 ||
		    memcmp(out, again, 19) != 0)
			abort();
		if (vet_id_sex(out) != 'M' && vet_id_sex(out) != 'F')
			abort();
	} else {
		if (f == VET_ID_OK || vet_id_strerror(f) == NULL)
			abort();
		masked(err.msg);
	}
	return 0;
}
