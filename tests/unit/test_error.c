/*
 * Unit tests for error.c.
 */
#include <criterion/criterion.h>

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
