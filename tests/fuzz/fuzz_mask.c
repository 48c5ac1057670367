/*
 * libFuzzer target: the functions that quote untrusted text back in
 * messages (mask, id, loose dates).  Whatever the input, the masked text
 * must hold no unbroken run of 12 or more ASCII digits and no 11-digit run
 * that begins with '1', and the messages of a refused id or date must
 * obey the same rule, since they go to stderr as they are.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/date.h"
#include "vet/error.h"
#include "vet/id.h"
#include "vet/mask.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts when s holds a run of digits that looks like an id or a mobile. */
static void
check_masked(const char *s, size_t n)
{
	size_t i = 0, start;

	while (i < n) {
		if (s[i] < '0' || s[i] > '9') {
			i++;
			continue;
		}
		start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i - start >= 12 || (i - start == 11 && s[start] == '1'))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;
	enum vet_id_fault f;
	const char *p = (const char *)data;
	char id[19];
	vet_day d;

	if (vet_mask_text(&b, p, size) != 0)
		abort();
	check_masked(b.data != NULL ? b.data : "", b.len);
	vet_buf_release(&b);

	vet_error_clear(&err);
	if (vet_id_normalize(p, size, 30000, id, &f, &err) == 0) {
		if (!vet_id_valid(id, 18))
			abort();
	} else
		check_masked(err.msg, strlen(err.msg));

	vet_error_clear(&err);
	if (vet_date_parse_loose(p, size, &d, &err) != 0)
		check_masked(err.msg, strlen(err.msg));
	return 0;
}
