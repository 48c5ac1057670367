/*
 * libFuzzer target: the event log of SPEC 2.3.  The input is lines; each
 * is read as an event (vet_event_index_add_record, as vet-classify
 * --events and vet-audit read them) into one index, and then each line's
 * "id" (or the line itself) is looked up, as a veteran of that id would
 * be, and classified with the built-in policy and the index.  The first
 * two bytes pick the as-of day.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/classify.h"
#include "vet/date.h"
#include "vet/event.h"
#include "vet/policy.h"
#include "vet/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vet_policy *pol;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_event_index *x;
	struct vet_event_facts f;
	struct vet_classifier c;
	struct vet_record rec;
	struct vet_buf out = VET_BUF_INIT, tmp = VET_BUF_INIT;
	struct vet_error err;
	struct vet_span id;
	unsigned long long a, b, o;
	const char *p, *e, *end;
	vet_day as_of;
	int pass;

	if (pol == NULL && vet_policy_load(&pol, NULL, &err) < 0)
		abort();
	if (size < 2)
		return 0;
	if (vet_date_from_ymd(2000, 1, 1, &as_of) < 0)
		abort();
	as_of += (vet_day)(data[0] | data[1] << 8);
	data += 2;
	size -= 2;
	if (vet_event_index_new(&x, pol, as_of, &err) < 0)
		return 0;
	if (vet_classify_init(&c, pol, as_of, &err) < 0) {
		vet_event_index_free(x);
		return 0;
	}
	vet_classify_set_events(&c, x);
	vet_record_init(&rec);
	end = (const char *)data + size;
	for (pass = 0; pass < 2; pass++)
		for (p = (const char *)data; p < end; p = e + 1) {
			if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
				e = end;
			if (pass == 0) {
				if (vet_record_parse(&rec, p, (size_t)(e - p),
				    &err) == 0)
					(void)vet_event_index_add_record(x,
					    &rec, &err);
				continue;
			}
			if (vet_record_parse(&rec, p, (size_t)(e - p),
			    &err) == 0 && vet_record_str(&rec, "id", &tmp,
			    &id) == 1)
				(void)vet_event_index_get(x, id.p, id.n, &f);
			else
				(void)vet_event_index_get(x, p,
				    (size_t)(e - p), &f);
			vet_buf_reset(&out);
			(void)vet_classify_line(&c, p, (size_t)(e - p), &out,
			    &err);
		}
	vet_event_index_stats(x, &a, &b, &o);
	vet_record_release(&rec);
	vet_classify_release(&c);
	vet_event_index_free(x);
	vet_buf_release(&out);
	vet_buf_release(&tmp);
	return 0;
}
