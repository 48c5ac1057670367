/*
 * zipread.h - for the unit tests of the workbook writers: one member of a
 * zip file in memory, inflated with zlib, so that a test can read the XML
 * of a sheet without a spreadsheet program.  Trusts its input (the tests'
 * own output) only as far as the bounds checks below.
 */
#ifndef VET_TEST_ZIPREAD_H
#define VET_TEST_ZIPREAD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t
zr_u16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
zr_u32(const unsigned char *p)
{
	return zr_u16(p) | zr_u16(p + 2) << 16;
}

/*
 * The member named name of the zip [z, z + n), inflated, NUL-terminated
 * (malloc'ed; *len its length), or NULL when it is not there.
 */
static char *
zr_member(const char *z, size_t n, const char *name, size_t *len)
{
	const unsigned char *u = (const unsigned char *)z, *c, *l;
	size_t i, eocd = 0, off, nl = strlen(name), ents, k;
	uint32_t method, csize, usize, lofs, fnl, exl, cml;
	z_stream s;
	char *out;

	if (n < 22)
		return NULL;
	for (i = n - 22; i > 0; i--)
		if (zr_u32(u + i) == 0x06054b50) {
			eocd = i;
			break;
		}
	if (eocd == 0)
		return NULL;
	ents = zr_u16(u + eocd + 10);
	off = zr_u32(u + eocd + 16);
	for (k = 0; k < ents && off + 46 <= n; k++) {
		c = u + off;
		if (zr_u32(c) != 0x02014b50)
			return NULL;
		method = zr_u16(c + 10);
		csize = zr_u32(c + 20);
		usize = zr_u32(c + 24);
		fnl = zr_u16(c + 28);
		exl = zr_u16(c + 30);
		cml = zr_u16(c + 32);
		lofs = zr_u32(c + 42);
		if (fnl == nl && off + 46 + fnl <= n &&
		    memcmp(c + 46, name, nl) == 0) {
			if ((size_t)lofs + 30 > n)
				return NULL;
			l = u + lofs;
			l += 30 + zr_u16(l + 26) + zr_u16(l + 28);
			if ((size_t)(l - u) + csize > n)
				return NULL;
			if ((out = malloc((size_t)usize + 1)) == NULL)
				return NULL;
			if (method == 0)
				memcpy(out, l, usize);
			else {
				memset(&s, 0, sizeof s);
				inflateInit2(&s, -15);
				s.next_in = (unsigned char *)l;
				s.avail_in = csize;
				s.next_out = (unsigned char *)out;
				s.avail_out = usize;
				inflate(&s, Z_FINISH);
				inflateEnd(&s);
			}
			out[usize] = '\0';
			*len = usize;
			return out;
		}
		off += 46 + fnl + exl + cml;
	}
	return NULL;
}

#endif
