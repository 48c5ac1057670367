/*
 * freexl_load.c - libfreexl loaded on first use (why: expat_impl.h).
 */
#include <freexl.h>

#include "vet/dl.h"
#define VET_FREEXL__LOADER
#include "freexl_impl.h"

/* The soname of the library the headers came with (the Makefile reads it
 * off the .so), so that the load finds the ABI the code was built for. */
_Static_assert(sizeof VET_FREEXL_SONAME > 1, "no soname of libfreexl");

struct vet_freexl__lib vet_freexl__lib;

VET_DL_DEFINE_LOAD(vet_freexl__load, vet_freexl__lib, VET_FREEXL__FUNCS,
    VET_FREEXL_SONAME, "to read a workbook (.xls)")
