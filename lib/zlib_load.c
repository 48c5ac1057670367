/*
 * zlib_load.c - zlib loaded on first use (why: zlib_impl.h).
 */
#include <zlib.h>

#include "vet/dl.h"
#define VET_ZLIB__LOADER
#include "zlib_impl.h"

/* The soname of the library the headers came with (the Makefile reads it
 * off the .so), so that the load finds the ABI the code was built for. */
_Static_assert(sizeof VET_ZLIB_SONAME > 1, "no soname of libz");

struct vet_zlib__lib vet_zlib__lib;

int
vet_zlib__load(struct vet_error *err)
{
	static void *lib;
	static const char *const names[] = {
#define X(f) #f,
		VET_ZLIB__FUNCS
#undef X
	};
	static void **const fns[] = {
#define X(f) (void **)&vet_zlib__lib.f,
		VET_ZLIB__FUNCS
#undef X
	};

	if (lib != NULL)
		return 0;
	return vet_dl_load(&lib, VET_ZLIB_SONAME, "to read or write gzip",
	    names, fns, sizeof names / sizeof names[0], err);
}
