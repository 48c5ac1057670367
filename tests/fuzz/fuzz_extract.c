/*
 * libFuzzer target: vet-reconcile's readers (reconcile.h) on arbitrary
 * lines, with the built-in policy and --apply.  Lines before the first
 * empty line are the bureau's extract, the rest the ledger; then the end
 * of the run.  Every ledger line taken must come out as one line, and
 * every diff record too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/policy.h"
#include "vet/reconcile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vet_policy *pol;

static void
lines_end(const struct vet_buf *b, size_t from)
{
	if (b->len > from && b->data[b->len - 1] != '\n')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_reconcile *rc;
	struct vet_buf out = VET_BUF_INIT, diff = VET_BUF_INIT;
	struct vet_error err;
	const char *p, *e, *end = (const char *)data + size;
	int ledger = 0, r;
	size_t o0;
	vet_day as_of;

	if (vet_date_from_ymd(2026, 9, 30, &as_of) < 0)
		abort();
	if (pol == NULL && vet_policy_load(&pol, NULL, &err) < 0)
		abort();
	if (vet_reconcile_init(&rc, pol, "hr", as_of, 1, &err) < 0)
		return 0;
	for (p = (const char *)data; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		if (e == p && !ledger) {
			ledger = 1;
			continue;
		}
		if (!ledger) {
			(void)vet_reconcile_extract(rc, p, (size_t)(e - p),
			    &diff, &err);
			lines_end(&diff, 0);
			continue;
		}
		o0 = out.len;
		if (vet_reconcile_line(rc, p, (size_t)(e - p), &out, &diff,
		    &err) == 0 && (out.len == o0 ||
		    memchr(out.data + o0, '\n', out.len - o0) !=
		    out.data + out.len - 1))
			abort();
		lines_end(&diff, 0);
		if (out.len > (1u << 20))
			vet_buf_reset(&out);
		if (diff.len > (1u << 20))
			vet_buf_reset(&diff);
	}
	while ((r = vet_reconcile_end(rc, &diff, &err)) > 0) {
		lines_end(&diff, 0);
		vet_buf_reset(&diff);
	}
	lines_end(&diff, 0);
	vet_reconcile_release(rc);
	vet_buf_release(&out);
	vet_buf_release(&diff);
	return 0;
}
