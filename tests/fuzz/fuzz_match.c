/*
 * libFuzzer target: vet-match's two readers of job lines (SPEC 2.2) and
 * its veteran reader.  The input is lines; each is added as a job to
 * matcher A as it is, and to matcher B behind an unread nested member,
 * which the fast reader (match_load.c) never vouches for, so that B reads
 * every line with the general reader.  Both must keep or reject the same
 * lines and give the same top posts, byte for byte, to every line read
 * as a veteran; then A allocates them all (--allocate).  The first two
 * bytes pick the as-of day.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/match.h"
#include "vet/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAD "{\"fuzz_pad_\":[{}]"

static struct vet_policy *pol;

/* line as B reads it: PAD, then its members (or "}" when it has none). */
static int
padded(struct vet_buf *b, const char *p, size_t n)
{
	size_t i = 1;

	vet_buf_reset(b);
	if (n == 0 || p[0] != '{')
		return vet_buf_add(b, p, n);
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (vet_buf_add(b, PAD, sizeof PAD - 1) < 0 ||
	    (i < n && p[i] != '}' && vet_buf_add(b, ",", 1) < 0))
		return -1;
	return vet_buf_add(b, p + 1, n - 1);
}

static void
run(struct vet_match *a, struct vet_match *b, const char *data,
    const char *end)
{
	struct vet_buf oa = VET_BUF_INIT, ob = VET_BUF_INIT;
	struct vet_error err;
	const char *p, *e;
	size_t i;
	int ra, rb;

	for (p = data; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		vet_buf_reset(&oa);
		vet_buf_reset(&ob);
		ra = vet_match_top(a, p, (size_t)(e - p), 5, &oa, &err);
		rb = vet_match_top(b, p, (size_t)(e - p), 5, &ob, &err);
		if (ra == VET_ENOMEM || rb == VET_ENOMEM)
			continue;
		if (ra != rb || oa.len != ob.len || (oa.len != 0 &&
		    memcmp(oa.data, ob.data, oa.len) != 0))
			abort();
		(void)vet_match_alloc_add(a, p, (size_t)(e - p), &err);
	}
	if (vet_match_allocate(a, &err) == 0)
		for (i = 0; i < vet_match_alloc_count(a); i++) {
			vet_buf_reset(&oa);
			(void)vet_match_alloc_write(a, i, &oa);
		}
	vet_buf_release(&oa);
	vet_buf_release(&ob);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vet_match *a = NULL, *b = NULL;
	struct vet_buf line = VET_BUF_INIT;
	struct vet_error err;
	const char *p, *e, *end;
	vet_day as_of;
	int ra, rb, same = 1;

	if (pol == NULL && vet_policy_load(&pol, NULL, &err) < 0)
		abort();
	if (size < 2)
		return 0;
	if (vet_date_from_ymd(2020, 1, 1, &as_of) < 0)
		abort();
	as_of += (vet_day)(data[0] | data[1] << 8) % 4096;
	data += 2;
	size -= 2;
	/* A line that names the pad itself would be a key given twice in
	 * B only. */
	for (p = (const char *)data; p + 9 <= (const char *)data + size; p++)
		if (memcmp(p, "fuzz_pad_", 9) == 0)
			same = 0;
	if (vet_match_init(&a, pol, as_of, &err) < 0 ||
	    vet_match_init(&b, pol, as_of, &err) < 0)
		goto out;
	end = (const char *)data + size;
	for (p = (const char *)data; p < end; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			e = end;
		ra = vet_match_add_job(a, p, (size_t)(e - p), &err);
		if (padded(&line, p, (size_t)(e - p)) < 0)
			goto out;
		rb = vet_match_add_job(b, line.data, line.len, &err);
		if (ra == VET_ENOMEM || rb == VET_ENOMEM)
			goto out;
		if (same && ra != rb)
			abort();
	}
	if (vet_match_index(a, &err) < 0 || vet_match_index(b, &err) < 0)
		goto out;
	if (same)
		run(a, b, (const char *)data, end);
out:
	vet_match_free(a);
	vet_match_free(b);
	vet_buf_release(&line);
	return 0;
}
