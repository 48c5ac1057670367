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

VET_DL_DEFINE_LOAD(vet_xlsxout__load, vet_xlsxout__lib, VET_XLSXOUT__FUNCS,
    VET_XLSX_SONAME, "to write a workbook")
