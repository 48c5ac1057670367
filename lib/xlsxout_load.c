/*
 * xlsxout_load.c - libxlsxwriter loaded on first use (why: xlsxout_impl.h).
 */
#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include <xlsxwriter.h>

#include "vet/error.h"
#define VET_XLSXOUT__LOADER
#include "xlsxout_impl.h"

/* The soname of the library the headers came with (the Makefile reads it
 * off the .so), so that the load finds the ABI the code was built for. */
_Static_assert(sizeof VET_XLSX_SONAME > 1, "no soname of libxlsxwriter");

struct vet_xlsxout__lib vet_xlsxout__lib;

static int
load_failed(struct vet_error *err, const char *what)
{
	const char *e = dlerror();

	/* dlopen says so only in words; the fault shim's failed malloc
	 * leaves ENOMEM in errno as a real one does. */
	if (errno == ENOMEM || (e != NULL &&
	    strstr(e, "annot allocate memory") != NULL))
		return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
		    "out of memory");
	return vet_error_set(err, VET_EINTERNAL, NULL, 0, 0,
	    "cannot load '%s' to write a workbook: %s", what,
	    e != NULL ? e : "not found");
}

int
vet_xlsxout__load(struct vet_error *err)
{
	static void *lib;
	void *h;

	if (lib != NULL)
		return 0;
	errno = 0;
	/* RTLD_LOCAL: its names stay out of the way of later loads. */
	if ((h = dlopen(VET_XLSX_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return load_failed(err, VET_XLSX_SONAME);
	/* POSIX's way to store a function's address from dlsym. */
#define X(f) \
	if ((*(void **)&vet_xlsxout__lib.f = dlsym(h, #f)) == NULL) { \
		dlclose(h); \
		return load_failed(err, #f); \
	}
	VET_XLSXOUT__FUNCS
#undef X
	lib = h;
	return 0;
}
