/*
 * encoding.h - character encodings of station exports: detection of UTF-8
 * (validation itself is utf8.h), strict GBK/GB18030 decoding through iconv(3), and the folding
 * of full-width ASCII (U+FF01..U+FF5E, U+3000) that Chinese input methods
 * type into spreadsheets.
 *
 * Ownership: struct vet_decoder is caller storage; vet_decoder_open()
 * acquires an iconv descriptor that vet_decoder_close() releases.  Decoded
 * text is appended to a caller's struct vet_buf.  The other functions work
 * on caller memory and allocate nothing.
 */
#ifndef VET_ENCODING_H
#define VET_ENCODING_H

#include <stddef.h>

#include "vet/buf.h"
#include "vet/error.h"

enum vet_encoding {
	VET_ENC_AUTO,
	VET_ENC_UTF8,
	VET_ENC_GBK,
	VET_ENC_GB18030,
	VET_ENC_UTF16LE,	/* Excel's "Unicode 文本" */
	VET_ENC_UTF16BE
};

/* "auto", "utf-8" (or "utf8"), "gbk", "gb18030", "utf-16le", "utf-16be"
 * (any case, the hyphen optional): 0 and *out, or VET_EUSAGE. */
int vet_encoding_parse(const char *name, enum vet_encoding *out);

/* "UTF-8", "GBK", "GB18030", "UTF-16LE" or "UTF-16BE": the name used in
 * messages. */
const char *vet_encoding_name(enum vet_encoding e);

/*
 * Guesses the encoding of the first bytes of a stream (SPEC vet-intake):
 * VET_ENC_UTF8 when they are valid UTF-8 (a sequence cut at the end of the
 * sample counts as valid unless at_eof); otherwise the one of UTF-8 and
 * GB18030 that meets fewer faults in the sample (UTF-8 on a tie), so that
 * a UTF-8 or GBK file with a few damaged records loses only those.
 */
enum vet_encoding vet_encoding_detect(const char *p, size_t n, int at_eof);

/*
 * vet_encoding_detect() that can fail: 0 and *out, or VET_ENOMEM (or
 * VET_EINTERNAL) with err filled when the GB18030 decoder cannot be made
 * (vet_encoding_detect() then says UTF-8, which misreads a GBK file).
 */
int vet_encoding_guess(const char *p, size_t n, int at_eof,
    enum vet_encoding *out, struct vet_error *err);

struct vet_decoder {
	enum vet_encoding enc;
	void *cd;		/* iconv_t, private */
	void *rcd;		/* iconv_t back to enc, private: opened by
				 * vet_decoder_reverses() */
};

/*
 * Prepares decoding from enc (not AUTO) to UTF-8.  0, or VET_EUSAGE when
 * iconv does not know the encoding.
 */
int vet_decoder_open(struct vet_decoder *d, enum vet_encoding enc,
    struct vet_error *err);
void vet_decoder_close(struct vet_decoder *d);

/*
 * Decodes [p, p + n) into out (appended) as UTF-8.  For UTF-8 input the
 * bytes are validated and copied.  Strict: an invalid or incomplete
 * sequence fails the whole text with VET_EDATA, *bad set to its offset in
 * p and err->msg "invalid GB18030 at byte offset N" where N is base + *bad
 * (base: the offset of p in the file).  VET_ENOMEM otherwise.
 */
int vet_decoder_run(struct vet_decoder *d, const char *p, size_t n,
    long long base, struct vet_buf *out, size_t *bad,
    struct vet_error *err);

/*
 * Whether text (n bytes of UTF-8, as vet_decoder_run() made it from raw),
 * encoded back into d's encoding, is exactly the rn bytes at raw: so that
 * a reject can keep its row as readable text and still name the encoding
 * that rebuilds the original bytes (SPEC 3 vet-intake, --rejects).  The
 * encoder is opened at the first call and closed by vet_decoder_close().
 * 1 when it is; 0 when it is not, d decodes UTF-8, or iconv has no such
 * encoder; VET_ENOMEM when opening the encoder ran out of memory.
 * Allocates nothing else.
 */
int vet_decoder_reverses(struct vet_decoder *d, const char *text, size_t n,
    const char *raw, size_t rn);

/*
 * The byte-order mark at the start of p: VET_ENC_UTF16LE (FF FE) or
 * VET_ENC_UTF16BE (FE FF), with *len its length; otherwise VET_ENC_AUTO.
 */
enum vet_encoding vet_encoding_bom16(const char *p, size_t n, size_t *len);

/*
 * Converts UTF-16 text (big-endian when be) from [p, p + n) to UTF-8
 * appended to out, a stream in pieces: *used is set to the bytes taken,
 * which leave an odd last byte, or a high surrogate at the end, for the
 * next piece unless final.  A code unit that is no character (a lone
 * surrogate, or a last odd byte) becomes the byte 0xFF, which no UTF-8
 * text holds, so that the record holding it is refused as invalid rather
 * than changed.  0, or VET_ENOMEM when out cannot grow.
 */
int vet_utf16_to_utf8(int be, const char *p, size_t n, int final,
    struct vet_buf *out, size_t *used);

/*
 * Folds full-width ASCII in place: U+FF01..U+FF5E become the ASCII
 * characters 0x21..0x7E and U+3000 a space.  Valid UTF-8 stays valid; the
 * text only shrinks.  Returns the new length.
 */
size_t vet_fold_width(char *p, size_t n);

/*
 * Trims surrounding white space (ASCII space, tab, CR, LF and U+3000) from
 * a span and returns the inner span.
 */
struct vet_span vet_trim(struct vet_span s);

#endif
