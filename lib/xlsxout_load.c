/*
 * xlsxout_load.c - libxlsxwriter loaded on first use (why: xlsxout_impl.h).
 */
#include <xlsxwriter.h>

#include "vet/dl.h"
#define VET_XLSXOUT__LOADER
#include "xlsxout_impl.h"

/* The soname of the library the headers came with (the Makefile reads it
 * off the .so), so that the load finds the ABI the code was built for. */
_Static_assert(sizeof VET_XLSX_SONAME > 1, "no soname of libxlsxwriter");

struct vet_xlsxout__lib vet_xlsxout__lib;

int
vet_xlsxout__load(struct vet_error *err)
{
	static void *lib;
	static const char *const names[] = {
#define X(f) #f,
		VET_XLSXOUT__FUNCS
#undef X
	};
	static void **const fns[] = {
#define X(f) (void **)&vet_xlsxout__lib.f,
		VET_XLSXOUT__FUNCS
#undef X
	};

	if (lib != NULL)
		return 0;
	return vet_dl_load(&lib, VET_XLSX_SONAME, "to write a workbook",
	    names, fns, sizeof names / sizeof names[0], err);
}
