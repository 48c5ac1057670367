/*
 * zlib_impl.h - zlib, loaded when the first gzip stream is read or
 * written (io.c) or a written workbook is checked (xlsxout.c).
 *
 * Include it after <zlib.h> in every file that calls zlib: zlib's names
 * then call through vet_zlib__lib, so that the tools that read and write
 * JSON Lines do not link libz.  Linked, it cost every start some 0.09 ms
 * of about 1.1 (a one-record vet-classify; libz's relocations and the
 * longer symbol search), for input that is mostly not gzip.  minizip,
 * loaded for the first .xlsx (minizip_impl.h), brings its own copy of
 * the same library.  `make check` fails when a tool names libz again.
 *
 * Call vet_zlib__load() before the first call of a stream; the library
 * stays loaded for the life of the process.
 */
#ifndef VET_ZLIB_IMPL_H
#define VET_ZLIB_IMPL_H

#include "vet/dl.h"
#include "vet/error.h"

/* inflateInit2 and deflateInit2 are zlib's macros for these. */
#define VET_ZLIB__FUNCS(X) \
	X(inflateInit2_) X(inflate) X(inflateReset) X(inflateEnd) \
	X(deflateInit2_) X(deflate) X(deflateEnd)

/*
 * Loads the library and its functions once.  Returns 0, or VET_ENOMEM,
 * or VET_EINTERNAL when the library or one of its functions cannot be
 * found (a broken installation), with err set.
 */
VET_DL_DECLARE(vet_zlib__lib, vet_zlib__load, VET_ZLIB__FUNCS);

#ifndef VET_ZLIB__LOADER
#define inflateInit2_ (vet_zlib__lib.inflateInit2_)
#define inflate (vet_zlib__lib.inflate)
#define inflateReset (vet_zlib__lib.inflateReset)
#define inflateEnd (vet_zlib__lib.inflateEnd)
#define deflateInit2_ (vet_zlib__lib.deflateInit2_)
#define deflate (vet_zlib__lib.deflate)
#define deflateEnd (vet_zlib__lib.deflateEnd)
#endif

#endif
