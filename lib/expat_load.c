/*
 * expat_load.c - libexpat loaded on first use (why: expat_impl.h).
 */
#include <expat_config.h>
#include <expat.h>

#include "vet/dl.h"
#define VET_EXPAT__LOADER
#include "expat_impl.h"

/* The soname of the library the headers came with (the Makefile reads it
 * off the .so), so that the load finds the ABI the code was built for. */
_Static_assert(sizeof VET_EXPAT_SONAME > 1, "no soname of libexpat");

struct vet_expat__lib vet_expat__lib;

VET_DL_DEFINE_LOAD(vet_expat__load, vet_expat__lib, VET_EXPAT__FUNCS,
    VET_EXPAT_SONAME, "to read a workbook (.xlsx)")
