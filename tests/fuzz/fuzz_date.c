/*
 * libFuzzer target: the date parsers (date.h) on arbitrary bytes.  Every
 * date accepted, strictly or loosely, must be a real day that formats back
 * to a strict date the strict parser reads as the same day; --quarter text
 * (NUL-terminated here) either fails or gives a quarter's first day.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
round_trip(vet_day d)
{
	char s[11];
	vet_day back;
	int y, m, dd;
	vet_day again;

	vet_date_format(d, s);
	if (vet_date_parse(s, 10, &back) < 0 || back != d)
		abort();
	vet_date_to_ymd(d, &y, &m, &dd);
	if (vet_date_from_ymd(y, m, dd, &again) < 0 || again != d)
		abort();
	if (vet_date_month_start(d) > d || vet_date_month_end(d) < d ||
	    vet_date_quarter_start(d) > d || vet_date_quarter_end(d) < d)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct vet_error err;
	vet_day d, as_of, start;
	char *z;

	if (vet_date_parse(s, size, &d) == 0)
		round_trip(d);
	if (vet_date_parse_loose(s, size, &d, &err) == 0)
		round_trip(d);
	if (vet_date_parse_cell(s, size, 0, &d, &err) == 0)
		round_trip(d);
	if (vet_date_parse_cell(s, size, VET_DATE_MONTH, &d, &err) == 0)
		round_trip(d);
	if ((z = malloc(size + 1)) == NULL)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';
	if (vet_date_from_ymd(2026, 9, 30, &as_of) < 0)
		abort();
	if (vet_date_quarter_parse(z, as_of, &start, &err) == 0) {
		round_trip(start);
		if (vet_date_quarter_start(start) != start)
			abort();
	}
	free(z);
	return 0;
}
