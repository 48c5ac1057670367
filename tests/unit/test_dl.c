/*
 * test_dl.c - a library loaded on first use (dl.h): found, or refused
 * with what is missing named, and then nothing kept.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "vet/dl.h"

static const char *(*fn_a)(void);
static const char *(*fn_b)(void);

Test(dl, loads_and_finds)
{
	static const char *const names[] = { "zlibVersion" };
	void **const fns[] = { (void **)&fn_a };
	struct vet_error e;
	void *h = NULL;

	vet_error_clear(&e);
	cr_assert_eq(vet_dl_load(&h, "libz.so.1", "to test", names, fns, 1,
	    &e), 0, "%s", e.msg);
	cr_assert_not_null(h);
	cr_assert_not_null(fn_a);
	cr_assert_eq(fn_a()[0], '1');	/* zlib 1.x */
}

Test(dl, a_missing_library_is_named)
{
	/* A name no library of the process has, or it is taken from there
	 * (the test binaries link zlib, TEST_LIBS). */
	static const char *const names[] = { "vet_no_such_function" };
	void **const fns[] = { (void **)&fn_a };
	struct vet_error e;
	void *h = NULL;

	vet_error_clear(&e);
	cr_assert_eq(vet_dl_load(&h, "libvet-no-such.so.9", "to test", names,
	    fns, 1, &e), VET_EINTERNAL, "%s", e.msg);
	cr_assert_null(h);
	cr_assert(strstr(e.msg, "cannot load 'libvet-no-such.so.9' to test: ")
	    == e.msg, "%s", e.msg);
}

Test(dl, a_missing_function_is_named)
{
	static const char *const names[] = { "zlibVersion",
		"vet_no_such_function" };
	void **const fns[] = { (void **)&fn_a, (void **)&fn_b };
	struct vet_error e;
	void *h = NULL;

	vet_error_clear(&e);
	cr_assert_eq(vet_dl_load(&h, "libz.so.1", "to test", names, fns, 2,
	    &e), VET_EINTERNAL, "%s", e.msg);
	cr_assert_null(h);
	cr_assert(strstr(e.msg, "cannot load 'vet_no_such_function' to test")
	    == e.msg, "%s", e.msg);
}
