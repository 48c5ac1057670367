/*
 * minizip_impl.h - minizip (zlib's unzip), loaded when the first .xlsx is
 * opened (xlsx.c), not linked; why: expat_impl.h.
 *
 * Include it after <minizip/unzip.h> in every file that calls minizip.
 * Call vet_minizip__load() before the first archive is opened; the
 * library stays loaded for the life of the process.
 */
#ifndef VET_MINIZIP_IMPL_H
#define VET_MINIZIP_IMPL_H

#include "vet/dl.h"
#include "vet/error.h"

#define VET_MINIZIP__FUNCS(X) \
	X(unzClose) X(unzCloseCurrentFile) X(unzGetCurrentFileInfo64) \
	X(unzLocateFile) X(unzOpen2_64) X(unzOpenCurrentFile) \
	X(unzReadCurrentFile)

/* Loads the library once: 0, VET_ENOMEM or VET_EINTERNAL (dl.h). */
VET_DL_DECLARE(vet_minizip__lib, vet_minizip__load, VET_MINIZIP__FUNCS);

#ifndef VET_MINIZIP__LOADER
#define unzClose (vet_minizip__lib.unzClose)
#define unzCloseCurrentFile (vet_minizip__lib.unzCloseCurrentFile)
#define unzGetCurrentFileInfo64 (vet_minizip__lib.unzGetCurrentFileInfo64)
#define unzLocateFile (vet_minizip__lib.unzLocateFile)
#define unzOpen2_64 (vet_minizip__lib.unzOpen2_64)
#define unzOpenCurrentFile (vet_minizip__lib.unzOpenCurrentFile)
#define unzReadCurrentFile (vet_minizip__lib.unzReadCurrentFile)
#endif

#endif
