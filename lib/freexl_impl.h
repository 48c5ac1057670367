/*
 * freexl_impl.h - libfreexl, loaded when the first .xls is opened
 * (vet_xls_open, before its reader is forked), not linked; why:
 * expat_impl.h.
 *
 * Include it after <freexl.h> in every file that calls freexl.  Call
 * vet_freexl__load() before the first workbook is opened; the library
 * stays loaded for the life of the process.
 */
#ifndef VET_FREEXL_IMPL_H
#define VET_FREEXL_IMPL_H

#include "vet/dl.h"
#include "vet/error.h"

#define VET_FREEXL__FUNCS(X) \
	X(freexl_close) X(freexl_get_cell_value) X(freexl_get_info) \
	X(freexl_get_worksheet_name) X(freexl_open) \
	X(freexl_select_active_worksheet) X(freexl_worksheet_dimensions)

/* Loads the library once: 0, VET_ENOMEM or VET_EINTERNAL (dl.h). */
VET_DL_DECLARE(vet_freexl__lib, vet_freexl__load, VET_FREEXL__FUNCS);

#ifndef VET_FREEXL__LOADER
#define freexl_close (vet_freexl__lib.freexl_close)
#define freexl_get_cell_value (vet_freexl__lib.freexl_get_cell_value)
#define freexl_get_info (vet_freexl__lib.freexl_get_info)
#define freexl_get_worksheet_name (vet_freexl__lib.freexl_get_worksheet_name)
#define freexl_open (vet_freexl__lib.freexl_open)
#define freexl_select_active_worksheet \
	(vet_freexl__lib.freexl_select_active_worksheet)
#define freexl_worksheet_dimensions \
	(vet_freexl__lib.freexl_worksheet_dimensions)
#endif

#endif
