/*
 * minizip_load.c - libminizip loaded on first use (why: expat_impl.h).
 */
#include <minizip/unzip.h>

#include "vet/dl.h"
#define VET_MINIZIP__LOADER
#include "minizip_impl.h"

/* The soname of the library the headers came with (the Makefile reads it
 * off the .so), so that the load finds the ABI the code was built for. */
_Static_assert(sizeof VET_MINIZIP_SONAME > 1, "no soname of libminizip");

struct vet_minizip__lib vet_minizip__lib;

VET_DL_DEFINE_LOAD(vet_minizip__load, vet_minizip__lib, VET_MINIZIP__FUNCS,
    VET_MINIZIP_SONAME, "to read a workbook (.xlsx)")
