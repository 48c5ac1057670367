/*
 * expat_impl.h - expat, loaded when the first .xlsx is opened (xlsx.c),
 * not linked.
 *
 * Include it after <expat.h> in every file that calls expat: its names
 * then call through vet_expat__lib.  With minizip and freexl, expat was
 * linked into vet-intake and vet-reconcile, and the three (with the zlib
 * and libm they bring) cost each of their starts about 0.34 ms of 1.4,
 * for input that is mostly CSV or JSON Lines (measured: vet-classify
 * linked with them, 1.05 -> 1.39 ms).  `make check` fails when a tool
 * names expat again.
 *
 * Call vet_expat__load() before the first parser is made; the library
 * stays loaded for the life of the process.
 */
#ifndef VET_EXPAT_IMPL_H
#define VET_EXPAT_IMPL_H

#include "vet/dl.h"
#include "vet/error.h"

#define VET_EXPAT__FUNCS(X) \
	X(XML_ErrorString) X(XML_GetBuffer) X(XML_GetCurrentLineNumber) \
	X(XML_GetErrorCode) X(XML_ParseBuffer) X(XML_ParserCreate_MM) \
	X(XML_ParserFree) X(XML_ResumeParser) \
	X(XML_SetBillionLaughsAttackProtectionActivationThreshold) \
	X(XML_SetBillionLaughsAttackProtectionMaximumAmplification) \
	X(XML_SetCharacterDataHandler) X(XML_SetElementHandler) \
	X(XML_SetEntityDeclHandler) X(XML_SetParamEntityParsing) \
	X(XML_SetStartDoctypeDeclHandler) X(XML_SetUserData) \
	X(XML_StopParser)

/*
 * Loads the library and its functions once.  Returns 0, or VET_ENOMEM,
 * or VET_EINTERNAL when the library or one of its functions cannot be
 * found (a broken installation), with err set.
 */
VET_DL_DECLARE(vet_expat__lib, vet_expat__load, VET_EXPAT__FUNCS);

#ifndef VET_EXPAT__LOADER
#define XML_ErrorString (vet_expat__lib.XML_ErrorString)
#define XML_GetBuffer (vet_expat__lib.XML_GetBuffer)
#define XML_GetCurrentLineNumber (vet_expat__lib.XML_GetCurrentLineNumber)
#define XML_GetErrorCode (vet_expat__lib.XML_GetErrorCode)
#define XML_ParseBuffer (vet_expat__lib.XML_ParseBuffer)
#define XML_ParserCreate_MM (vet_expat__lib.XML_ParserCreate_MM)
#define XML_ParserFree (vet_expat__lib.XML_ParserFree)
#define XML_ResumeParser (vet_expat__lib.XML_ResumeParser)
#define XML_SetBillionLaughsAttackProtectionActivationThreshold \
	(vet_expat__lib.XML_SetBillionLaughsAttackProtectionActivationThreshold)
#define XML_SetBillionLaughsAttackProtectionMaximumAmplification \
	(vet_expat__lib. \
	XML_SetBillionLaughsAttackProtectionMaximumAmplification)
#define XML_SetCharacterDataHandler \
	(vet_expat__lib.XML_SetCharacterDataHandler)
#define XML_SetElementHandler (vet_expat__lib.XML_SetElementHandler)
#define XML_SetEntityDeclHandler (vet_expat__lib.XML_SetEntityDeclHandler)
#define XML_SetParamEntityParsing (vet_expat__lib.XML_SetParamEntityParsing)
#define XML_SetStartDoctypeDeclHandler \
	(vet_expat__lib.XML_SetStartDoctypeDeclHandler)
#define XML_SetUserData (vet_expat__lib.XML_SetUserData)
#define XML_StopParser (vet_expat__lib.XML_StopParser)
#endif

#endif
