/*
 * encoding.c - encoding detection, GBK/GB18030 decoding, full-width folding
 * (encoding.h).
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "vet/encoding.h"
#include "vet/utf8.h"

int
vet_encoding_parse(const char *name, enum vet_encoding *out)
{
	if (strcasecmp(name, "auto") == 0)
		*out = VET_ENC_AUTO;
	else if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
		*out = VET_ENC_UTF8;
	else if (strcasecmp(name, "gbk") == 0 || strcasecmp(name, "cp936") == 0)
		*out = VET_ENC_GBK;
	else if (strcasecmp(name, "gb18030") == 0)
		*out = VET_ENC_GB18030;
	else if (strcasecmp(name, "utf-16le") == 0 ||
	    strcasecmp(name, "utf16le") == 0)
		*out = VET_ENC_UTF16LE;
	else if (strcasecmp(name, "utf-16be") == 0 ||
	    strcasecmp(name, "utf16be") == 0)
		*out = VET_ENC_UTF16BE;
	else
		return VET_EUSAGE;
	return 0;
}

const char *
vet_encoding_name(enum vet_encoding e)
{
	switch (e) {
	case VET_ENC_GBK:
		return "GBK";
	case VET_ENC_GB18030:
		return "GB18030";
	case VET_ENC_UTF16LE:
		return "UTF-16LE";
	case VET_ENC_UTF16BE:
		return "UTF-16BE";
	default:
		return "UTF-8";
	}
}

/*
 * The faulty places a decoder meets in the sample.  After a fault it
 * skips to the next ASCII byte, so that a damaged run of characters is
 * one fault however long it is.  A sequence cut by the end of the sample
 * is a fault only at the end of the data (at_eof).
 */
static size_t
gb18030_faults(const char *p, size_t n, int at_eof)
{
	char out[4096], *in = (char *)p, *o;
	size_t left = n, room, faults = 0;
	iconv_t cd;

	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return SIZE_MAX;
	while (left > 0) {
		o = out;
		room = sizeof out;
		if (iconv(cd, &in, &left, &o, &room) != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		if (errno == EILSEQ) {
			faults++;
			do {
				in++;
				left--;
			} while (left > 0 && (unsigned char)*in >= 0x80);
			continue;
		}
		if (at_eof)
			faults++;
		break;
	}
	iconv_close(cd);
	return faults;
}

static size_t
utf8_faults(const char *p, size_t n, int at_eof)
{
	size_t k, faults = 0;

	for (;;) {
		k = vet_utf8_valid_prefix(p, n);
		if (k == n || (!at_eof && k + vet_utf8_tail(p, n) == n))
			return faults;
		faults++;
		do {
			k++;
		} while (k < n && (unsigned char)p[k] >= 0x80);
		p += k;
		n -= k;
	}
}

enum vet_encoding
vet_encoding_detect(const char *p, size_t n, int at_eof)
{
	size_t u = utf8_faults(p, n, at_eof);

	if (u == 0)
		return VET_ENC_UTF8;
	/*
	 * Not UTF-8.  Excel on Chinese Windows writes GB18030/GBK; but a
	 * UTF-8 file with a damaged record (a stray 0xFF) must stay UTF-8,
	 * or every good record after it would be misread, and a GBK file
	 * with a damaged record must stay GBK.  The encoding that meets
	 * fewer faults in the sample wins: GBK text breaks UTF-8 at almost
	 * every character, and UTF-8 Chinese text breaks GB18030 wherever a
	 * run of its three-byte characters has an odd length.  A tie (text
	 * that is ASCII but for a bad byte) stays UTF-8.
	 */
	return gb18030_faults(p, n, at_eof) < u ? VET_ENC_GB18030 :
	    VET_ENC_UTF8;
}

int
vet_encoding_guess(const char *p, size_t n, int at_eof,
    enum vet_encoding *out, struct vet_error *err)
{
	size_t u = utf8_faults(p, n, at_eof), g;

	*out = VET_ENC_UTF8;
	if (u == 0)
		return 0;
	/*
	 * SIZE_MAX: iconv_open() failed (out of memory, out of
	 * descriptors).  Guessing UTF-8 then would read a GBK file as
	 * damaged UTF-8 and reject every row (fault injection did so):
	 * the run fails instead.
	 */
	if ((g = gb18030_faults(p, n, at_eof)) == SIZE_MAX)
		return vet_error_set(err, errno == ENOMEM ? VET_ENOMEM :
		    VET_EINTERNAL, NULL, 0, 0, "cannot detect the encoding: "
		    "iconv: %s", strerror(errno));
	if (g < u)
		*out = VET_ENC_GB18030;
	return 0;
}

int
vet_decoder_open(struct vet_decoder *d, enum vet_encoding enc,
    struct vet_error *err)
{
	iconv_t cd;

	d->enc = enc;
	d->cd = NULL;
	d->rcd = NULL;
	if (enc == VET_ENC_UTF8 || enc == VET_ENC_AUTO) {
		d->enc = VET_ENC_UTF8;
		return 0;
	}
	cd = iconv_open("UTF-8", vet_encoding_name(enc));
	/* Only EINVAL says the C library lacks the encoding; ENOMEM and
	 * EMFILE are the machine's, not the user's (not 64). */
	if (cd == (iconv_t)-1 && errno == EINVAL)
		return vet_error_set(err, VET_EUSAGE, NULL, 0, 0,
		    "iconv cannot decode '%s'", vet_encoding_name(enc));
	if (cd == (iconv_t)-1)
		return vet_error_set(err, errno == ENOMEM ? VET_ENOMEM :
		    VET_EINTERNAL, NULL, 0, 0, "iconv cannot open '%s': %s",
		    vet_encoding_name(enc), strerror(errno));
	d->cd = (void *)cd;
	return 0;
}

void
vet_decoder_close(struct vet_decoder *d)
{
	if (d->cd != NULL)
		iconv_close((iconv_t)d->cd);
	if (d->rcd != NULL)
		iconv_close((iconv_t)d->rcd);
	d->cd = NULL;
	d->rcd = NULL;
}

int
vet_decoder_reverses(struct vet_decoder *d, const char *text, size_t n,
    const char *raw, size_t rn)
{
	char chunk[1024], *in = (char *)text, *o;
	size_t inleft = n, outleft, got, done = 0, r;
	iconv_t cd;

	if (d->cd == NULL)
		return 0;
	if (d->rcd == NULL) {
		errno = 0;
		cd = iconv_open(vet_encoding_name(d->enc), "UTF-8");
		/* A machine out of memory is not an encoder iconv lacks: the
		 * reject would go as base64 for no reason of its own. */
		if (cd == (iconv_t)-1)
			return errno == ENOMEM ? VET_ENOMEM : 0;
		d->rcd = (void *)cd;
	}
	iconv((iconv_t)d->rcd, NULL, NULL, NULL, NULL);
	/* Encoded a chunk at a time and compared as it comes, so that a
	 * row of any length needs no buffer. */
	while (inleft > 0) {
		o = chunk;
		outleft = sizeof chunk;
		r = iconv((iconv_t)d->rcd, &in, &inleft, &o, &outleft);
		got = (size_t)(o - chunk);
		if (got > rn - done || memcmp(raw + done, chunk, got) != 0)
			return 0;
		done += got;
		if (r == (size_t)-1 && errno != E2BIG)
			return 0;
	}
	return done == rn;
}

int
vet_decoder_run(struct vet_decoder *d, const char *p, size_t n,
    long long base, struct vet_buf *out, size_t *bad, struct vet_error *err)
{
	char *in, *o;
	size_t inleft, outleft, r, off;

	if (d->cd == NULL) {
		if ((off = vet_utf8_valid_prefix(p, n)) != n)
			goto invalid;
		if (vet_buf_add(out, p, n) < 0)
			return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
			    "out of memory");
		return 0;
	}
	/* Reset the shift state: every record decodes on its own. */
	iconv((iconv_t)d->cd, NULL, NULL, NULL, NULL);
	in = (char *)p;
	inleft = n;
	for (;;) {
		/* GB18030 never takes more than 4 bytes for a 4-byte UTF-8
		 * character and 1.5 times for the rest; 2n + 16 is enough,
		 * and E2BIG grows it anyway. */
		if (vet_buf_grow(out, inleft * 2 + 16) < 0)
			return vet_error_set(err, VET_ENOMEM, NULL, 0, 0,
			    "out of memory");
		o = out->data + out->len;
		outleft = out->cap - out->len - 1;
		r = iconv((iconv_t)d->cd, &in, &inleft, &o, &outleft);
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		off = (size_t)(in - p);
		goto invalid;
	}
	return 0;
invalid:
	if (bad != NULL)
		*bad = off;
	return vet_error_set(err, VET_EDATA, NULL, 0, 0,
	    "invalid %s at byte offset %lld", vet_encoding_name(d->enc),
	    base + (long long)off);
}

enum vet_encoding
vet_encoding_bom16(const char *p, size_t n, size_t *len)
{
	*len = 0;
	if (n < 2)
		return VET_ENC_AUTO;
	/* FF FE 00 00 would be UTF-32LE, which no spreadsheet writes: it
	 * stays UTF-16LE text beginning with a NUL, and is refused so. */
	*len = 2;
	if ((unsigned char)p[0] == 0xff && (unsigned char)p[1] == 0xfe)
		return VET_ENC_UTF16LE;
	if ((unsigned char)p[0] == 0xfe && (unsigned char)p[1] == 0xff)
		return VET_ENC_UTF16BE;
	*len = 0;
	return VET_ENC_AUTO;
}

int
vet_utf16_to_utf8(int be, const char *s, size_t n, int final,
    struct vet_buf *out, size_t *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	unsigned u, lo, cp;
	char *o;

	/* At most 3 bytes of UTF-8 per code unit (4 per surrogate pair). */
	if (vet_buf_grow(out, n / 2 * 3 + 4) < 0)
		return VET_ENOMEM;
	o = out->data + out->len;
	while (i + 1 < n) {
		u = be ? (unsigned)p[i] << 8 | p[i + 1] :
		    (unsigned)p[i + 1] << 8 | p[i];
		if (u < 0x80) {
			*o++ = (char)u;
			i += 2;
			continue;
		}
		cp = u;
		if (u >= 0xd800 && u <= 0xdbff) {
			if (i + 3 >= n && !final)
				break;	/* its pair is in the next piece */
			lo = i + 3 < n ? (be ? (unsigned)p[i + 2] << 8 |
			    p[i + 3] : (unsigned)p[i + 3] << 8 | p[i + 2]) : 0;
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			} else
				cp = 0;		/* a lone high surrogate */
		} else if (u >= 0xdc00 && u <= 0xdfff)
			cp = 0;			/* a lone low surrogate */
		i += 2;
		if (cp == 0)
			*o++ = (char)0xff;
		else if (cp < 0x800) {
			*o++ = (char)(0xc0 | cp >> 6);
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xe0 | cp >> 12);
			*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else {
			*o++ = (char)(0xf0 | cp >> 18);
			*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
			*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		}
	}
	if (final && i < n) {
		*o++ = (char)0xff;	/* an odd last byte */
		i = n;
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	*used = i;
	return 0;
}

size_t
vet_fold_width(char *s, size_t n)
{
	unsigned char *p = (unsigned char *)s;
	size_t i = 0, o = 0;
	unsigned cp;

	/* Nothing to fold without the lead byte of U+3000 or U+FFxx. */
	if (memchr(s, 0xef, n) == NULL && memchr(s, 0xe3, n) == NULL)
		return n;
	while (i < n) {
		if (i + 2 < n && (p[i] == 0xef || p[i] == 0xe3)) {
			cp = ((p[i] & 0x0fu) << 12) | ((p[i + 1] & 0x3fu) << 6) |
			    (p[i + 2] & 0x3fu);
			if ((p[i + 1] & 0xc0) == 0x80 &&
			    (p[i + 2] & 0xc0) == 0x80) {
				if (cp >= 0xff01 && cp <= 0xff5e) {
					p[o++] = (unsigned char)(cp - 0xff01 + 0x21);
					i += 3;
					continue;
				}
				if (cp == 0x3000) {
					p[o++] = ' ';
					i += 3;
					continue;
				}
			}
		}
		p[o++] = p[i++];
	}
	return o;
}

static int
is_space_at(const unsigned char *p, size_t n, size_t i, size_t *len)
{
	if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n') {
		*len = 1;
		return 1;
	}
	if (i + 2 < n && p[i] == 0xe3 && p[i + 1] == 0x80 && p[i + 2] == 0x80) {
		*len = 3;
		return 1;
	}
	return 0;
}

struct vet_span
vet_trim(struct vet_span s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, n = s.n, k;

	/* Most cells have nothing to trim: a first byte that starts no
	 * white space and a last byte that ends none. */
	if (n > 0 && p[0] > ' ' && p[0] != 0xe3 && p[n - 1] > ' ' &&
	    p[n - 1] != 0x80)
		return s;
	while (i < n && is_space_at(p, n, i, &k))
		i += k;
	for (;;) {
		if (n > i && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
		    p[n - 1] == '\r' || p[n - 1] == '\n')) {
			n--;
			continue;
		}
		if (n >= i + 3 && p[n - 3] == 0xe3 && p[n - 2] == 0x80 &&
		    p[n - 1] == 0x80) {
			n -= 3;
			continue;
		}
		break;
	}
	s.p += i;
	s.n = n - i;
	return s;
}
