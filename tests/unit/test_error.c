/*
 * Unit tests for error.c.
 */
#include <criterion/criterion.h>

#include <stdarg.h>
#include <string.h>

#include "vet/error.h"

Test(error, set_returns_status_and_fills)
{
	struct vet_error e;

	cr_assert_eq(vet_error_set(&e, VET_ECONFIG, "p.yaml", 3, 7,
	    "unknown key '%s'", "trainng_hours"), VET_ECONFIG);
	cr_assert_eq(e.status, VET_ECONFIG);
	cr_assert_str_eq(e.file, "p.yaml");
	cr_assert_eq(e.line, 3);
	cr_assert_eq(e.col, 7);
	cr_assert_str_eq(e.msg, "unknown key 'trainng_hours'");
}

Test(error, null_error_is_allowed)
{
	cr_assert_eq(vet_error_set(NULL, VET_EDATA, NULL, 0, 0, "x"),
	    VET_EDATA);
	vet_error_clear(NULL);
}

Test(error, format_leaves_out_unknown_parts)
{
	struct vet_error e;
	char out[128];

	vet_error_set(&e, VET_ECONFIG, "p.yaml", 3, 7, "bad");
	cr_assert_str_eq(vet_error_format(&e, out, sizeof out),
	    "p.yaml:3:7: bad");
	vet_error_set(&e, VET_EDATA, "in.jsonl", 12, 0, "bad");
	cr_assert_str_eq(vet_error_format(&e, out, sizeof out),
	    "in.jsonl:12: bad");
	vet_error_set(&e, VET_EIO, "out", 0, 0, "write error");
	cr_assert_str_eq(vet_error_format(&e, out, sizeof out),
	    "out: write error");
	vet_error_set(&e, VET_ENOMEM, NULL, 0, 0, "out of memory");
	cr_assert_str_eq(vet_error_format(&e, out, sizeof out),
	    "out of memory");
}

Test(error, format_truncates_safely)
{
	struct vet_error e;
	char out[8];

	vet_error_set(&e, VET_EDATA, "a-long-file-name", 1, 1, "message");
	vet_error_format(&e, out, sizeof out);
	cr_assert_eq(strlen(out), 7);
}

Test(error, exit_codes_follow_spec)
{
	cr_assert_eq(vet_status_exit(VET_OK), 0);
	cr_assert_eq(vet_status_exit(VET_EUSAGE), 64);
	cr_assert_eq(vet_status_exit(VET_EDATA), 65);
	cr_assert_eq(vet_status_exit(VET_ENOENT), 66);
	cr_assert_eq(vet_status_exit(VET_ENOMEM), 70);
	cr_assert_eq(vet_status_exit(VET_EINTERNAL), 70);
	cr_assert_eq(vet_status_exit(VET_EIO), 74);
	cr_assert_eq(vet_status_exit(VET_ECONFIG), 78);
}

Test(error, nomem_is_the_one_out_of_memory_error)
{
	struct vet_error e;

	vet_error_set(&e, VET_EDATA, "in.jsonl", 4, 2, "bad");
	cr_assert_eq(vet_error_nomem(&e), VET_ENOMEM);
	cr_assert_eq(e.status, VET_ENOMEM);
	cr_assert_str_eq(e.file, "");
	cr_assert_eq(e.line, 0);
	cr_assert_eq(e.col, 0);
	cr_assert_str_eq(e.msg, "out of memory");
	cr_assert_eq(vet_error_nomem(NULL), VET_ENOMEM);
}

static int
wrapped(struct vet_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
wrapped(struct vet_error *e, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vet_error_vset(e, VET_ECONFIG, "m.yaml", 9, 0, fmt, ap);
	va_end(ap);
	return rc;
}

Test(error, vset_takes_a_va_list)
{
	struct vet_error e;

	cr_assert_eq(wrapped(&e, "field '%s' must be %d", "x", 3), VET_ECONFIG);
	cr_assert_str_eq(e.file, "m.yaml");
	cr_assert_eq(e.line, 9);
	cr_assert_str_eq(e.msg, "field 'x' must be 3");
	cr_assert_eq(wrapped(NULL, "%s", "y"), VET_ECONFIG);
}
