/*
 * libFuzzer target: the --merge reader (vet_report_merge_text, report.h)
 * on arbitrary text, with the built-in policy, 2026Q3 as of 2026-09-30.  A
 * text it accepts must give a partial that merges back to itself (so the
 * merged state is exactly what was read) and a json and html report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/policy.h"
#include "vet/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vet_policy *pol;
static struct vet_report_schema schema;
static struct vet_report_period pd;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_report *r, *r2;
	struct vet_buf a = VET_BUF_INIT, b = VET_BUF_INIT, out = VET_BUF_INIT;
	struct vet_report_fmt f = { VET_REPORT_JSON, "en", 0, 1 };
	struct vet_error err;
	long long n;
	vet_day as_of;

	if (pol == NULL) {
		if (vet_date_from_ymd(2026, 9, 30, &as_of) < 0 ||
		    vet_policy_load(&pol, NULL, &err) < 0 ||
		    vet_report_schema_from_policy(&schema, pol, as_of,
		    &err) < 0 ||
		    vet_report_period_parse(&pd, "2026Q3", NULL, NULL, as_of,
		    &err) < 0)
			abort();
	}
	if (vet_report_new(&r, &schema, &pd, VET_REPORT_BY_DISTRICT,
	    &err) < 0)
		return 0;
	if (vet_report_merge_text(r, (const char *)data, size, &n,
	    &err) == 0) {
		if (n < 1 || vet_report_write_partial(r, &a) < 0)
			goto done;
		if (vet_report_new(&r2, &schema, &pd, VET_REPORT_BY_DISTRICT,
		    &err) < 0)
			goto done;
		if (vet_report_merge_text(r2, a.data, a.len, &n, &err) < 0 ||
		    n != 1 || vet_report_write_partial(r2, &b) < 0 ||
		    a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			abort();
		vet_report_free(r2);
		(void)vet_report_format(r, &f, &out, &err);
		f.format = VET_REPORT_HTML;
		vet_buf_reset(&out);
		(void)vet_report_format(r, &f, &out, &err);
	}
done:
	vet_report_free(r);
	vet_buf_release(&a);
	vet_buf_release(&b);
	vet_buf_release(&out);
	return 0;
}
