/*
 * libFuzzer target: the id normaliser (id.h) on arbitrary bytes.  An id
 * accepted is 18 valid characters that normalise to themselves; the
 * message for one refused is already masked (vet_mask_text changes nothing
 * in it), whatever the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/id.h"
#include "vet/mask.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A message is masked when masking it again changes nothing. */
static void
masked(const char *s)
{
	struct vet_buf m = VET_BUF_INIT;

	if (vet_mask_text(&m, s, strlen(s)) == 0 &&
	    (m.len != strlen(s) || memcmp(m.data, s, m.len) != 0))
		abort();
	vet_buf_release(&m);
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
