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

VET_DL_DEFINE_LOAD(vet_zlib__load, vet_zlib__lib, VET_ZLIB__FUNCS,
    VET_ZLIB_SONAME, "to read or write gzip")
