/*
 * libFuzzer target: the built-in policy applied to arbitrary records, as
 * vet-classify does (vet_classify_line) and as vet-report's chain does
 * (vet_policy_links_eval, which also takes records without a person).
 * The first two bytes pick the as-of day.
 */
#include <stdint.h>
#include <stdlib.h>

#include "vet/buf.h"
#include "vet/classify.h"
#include "vet/date.h"
#include "vet/policy.h"
#include "vet/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vet_policy *pol;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_classifier c;
	struct vet_record rec;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;
	int hits[64];
	vet_day as_of;

	if (pol == NULL && vet_policy_load(&pol, NULL, &err) < 0)
		abort();
	if (size < 2 || vet_policy_nlinks(pol) > 64)
		return 0;
	/* 2000-01-01 plus up to 65535 days. */
	if (vet_date_from_ymd(2000, 1, 1, &as_of) < 0)
		abort();
	as_of += (vet_day)(data[0] | data[1] << 8);
	data += 2;
	size -= 2;
	if (vet_classify_init(&c, pol, as_of, &err) == 0) {
		(void)vet_classify_line(&c, (const char *)data, size, &out,
		    &err);
		vet_classify_release(&c);
	}
	vet_record_init(&rec);
	if (vet_record_parse(&rec, (const char *)data, size, &err) == 0)
		(void)vet_policy_links_eval(pol, &rec, as_of, hits, &err);
	vet_record_release(&rec);
	vet_buf_release(&out);
	return 0;
}
