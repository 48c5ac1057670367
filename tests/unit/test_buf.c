/*
 * Unit tests for buf.c.
 */
#include <criterion/criterion.h>

#include <stdarg.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"

Test(buf, starts_empty_and_str_is_never_null)
{
	struct vet_buf b = VET_BUF_INIT;

	cr_assert_null(b.data);
	cr_assert_str_eq(vet_buf_str(&b), "");
	vet_buf_reset(&b);
	vet_buf_release(&b);
}

Test(buf, add_keeps_nul_termination)
{
	struct vet_buf b;

	vet_buf_init(&b);
	cr_assert_eq(vet_buf_add(&b, "ab", 2), 0);
	cr_assert_eq(vet_buf_addch(&b, 'c'), 0);
	cr_assert_eq(vet_buf_addstr(&b, "定"), 0);
	cr_assert_eq(b.len, 6);
	cr_assert_str_eq(b.data, "abc定");
	vet_buf_release(&b);
	cr_assert_null(b.data);
	cr_assert_eq(b.cap, 0);
}

Test(buf, addf_grows_past_the_first_guess)
{
	struct vet_buf b = VET_BUF_INIT;
	char big[1000];

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_assert_eq(vet_buf_addf(&b, "[%s|%d]", big, 42), 0);
	cr_assert_eq(b.len, 999 + 5);
	cr_assert_eq(strcmp(b.data + 1000, "|42]"), 0);
	vet_buf_release(&b);
}

Test(buf, reset_keeps_memory_truncate_shrinks)
{
	struct vet_buf b = VET_BUF_INIT;
	char *p;

	vet_buf_addstr(&b, "hello world");
	p = b.data;
	vet_buf_truncate(&b, 5);
	cr_assert_str_eq(b.data, "hello");
	vet_buf_truncate(&b, 50);
	cr_assert_eq(b.len, 5);
	vet_buf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	vet_buf_addstr(&b, "x");
	cr_assert_eq(b.data, p, "reset must reuse the allocation");
	vet_buf_release(&b);
}

Test(buf, grow_refuses_overflow)
{
	struct vet_buf b = VET_BUF_INIT;

	vet_buf_addstr(&b, "abc");
	cr_assert_eq(vet_buf_grow(&b, (size_t)-1), VET_ENOMEM);
	cr_assert_str_eq(b.data, "abc");
	vet_buf_release(&b);
}

Test(buf, span_eq)
{
	struct vet_span s = { "district", 8 };

	cr_assert(vet_span_eq(s, "district"));
	cr_assert_not(vet_span_eq(s, "distric"));
	cr_assert_not(vet_span_eq(s, "districts"));
	s.n = 0;
	cr_assert(vet_span_eq(s, ""));
}

/* A caller's own printf-like function, the reason vet_buf_vaddf exists. */
static int
my_addf(struct vet_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
my_addf(struct vet_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vet_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

Test(buf, vaddf_appends_and_grows_past_the_first_guess)
{
	struct vet_buf b = VET_BUF_INIT;
	char big[300];

	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_assert_eq(my_addf(&b, "%s-%d", "x", 7), 0);
	cr_assert_str_eq(vet_buf_str(&b), "x-7");
	/* Longer than the 64 bytes the first pass has room for: the copy
	 * of the va_list serves the second pass. */
	cr_assert_eq(my_addf(&b, "[%s]%zu", big, sizeof big), 0);
	cr_assert_eq(b.len, 3 + 1 + 299 + 1 + 3);
	cr_assert_eq(b.data[b.len], '\0');
	cr_assert_eq(memcmp(b.data, "x-7[yyy", 7), 0);
	cr_assert_str_eq(b.data + b.len - 4, "]300");
	vet_buf_release(&b);
}
