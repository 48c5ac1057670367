/*
 * id.c - normalising and validating resident identity numbers (id.h).
 */
#include <string.h>

#include "vet/date.h"
#include "vet/error.h"
#include "vet/id.h"
#include "vet/mask.h"

/*
 * Longest folded value kept; anything longer is refused by length anyway,
 * so only its character count matters.
 */
#define FOLD_MAX 64

/* The earliest birth year accepted: GB 11643 ids begin with the 1800s. */
#define BIRTH_YEAR_MIN 1800

static const int weights[17] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
};

char
vet_id_check_char(const char *first17)
{
	static const char check[] = "10X98765432";
	int i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (first17[i] - '0') * weights[i];
	return check[sum % 11];
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
vet_id_birth(const char *id18, vet_day *out)
{
	int y, m, d;

	if (!all_digits(id18 + 6, 8))
		return VET_EDATA;
	y = (id18[6] - '0') * 1000 + (id18[7] - '0') * 100 +
	    (id18[8] - '0') * 10 + (id18[9] - '0');
	m = (id18[10] - '0') * 10 + (id18[11] - '0');
	d = (id18[12] - '0') * 10 + (id18[13] - '0');
	if (y < BIRTH_YEAR_MIN)
		return VET_EDATA;
	return vet_date_from_ymd(y, m, d, out);
}

char
vet_id_sex(const char *id18)
{
	return (id18[16] - '0') % 2 == 1 ? 'M' : 'F';
}

int
vet_id_province_ok(const char *id)
{
	/* GB/T 2260: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81-83. */
	static const char ok[100] = {
		[11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1,
		[21] = 1, [22] = 1, [23] = 1,
		[31] = 1, [32] = 1, [33] = 1, [34] = 1, [35] = 1, [36] = 1,
		[37] = 1,
		[41] = 1, [42] = 1, [43] = 1, [44] = 1, [45] = 1, [46] = 1,
		[50] = 1, [51] = 1, [52] = 1, [53] = 1, [54] = 1,
		[61] = 1, [62] = 1, [63] = 1, [64] = 1, [65] = 1,
		[71] = 1, [81] = 1, [82] = 1, [83] = 1,
	};

	if (id[0] < '0' || id[0] > '9' || id[1] < '0' || id[1] > '9')
		return 0;
	return ok[(id[0] - '0') * 10 + (id[1] - '0')];
}

/*
 * In one pass over the digits: the digit test and the check sum of
 * vet_id_check_char() together, then the birth date from the digits
 * already read (vet_id_birth), since every record's id is validated.
 */
int
vet_id_valid_birth(const char *id, size_t n, vet_day *birth)
{
	static const char check[] = "10X98765432";
	unsigned d[17], sum = 0, bad = 0;
	int i, y;

	if (n != 18)
		return 0;
	for (i = 0; i < 17; i++) {
		d[i] = (unsigned)(unsigned char)id[i] - '0';
		bad |= d[i] > 9;
		sum += d[i] * (unsigned)weights[i];
	}
	if (bad || check[sum % 11] != id[17] || !vet_id_province_ok(id))
		return 0;
	y = (int)(d[6] * 1000 + d[7] * 100 + d[8] * 10 + d[9]);
	return y >= BIRTH_YEAR_MIN && vet_date_from_ymd(y,
	    (int)(d[10] * 10 + d[11]), (int)(d[12] * 10 + d[13]), birth) == 0;
}

int
vet_id_valid(const char *id, size_t n)
{
	vet_day birth;

	return vet_id_valid_birth(id, n, &birth);
}

const char *
vet_id_strerror(enum vet_id_fault f)
{
	switch (f) {
	case VET_ID_OK:
		return "id is valid";
	case VET_ID_EMPTY:
		return "id is empty";
	case VET_ID_SCIENTIFIC:
		return "id was turned into a number by a spreadsheet";
	case VET_ID_LENGTH:
		return "id must have 18 characters (or 15 digits)";
	case VET_ID_CHARS:
		return "id has a character that is not a digit or a final 'X'";
	case VET_ID_CHECK:
		return "bad check character in id";
	case VET_ID_BIRTH:
		return "impossible birth date in id";
	case VET_ID_FUTURE:
		return "birth date in id is in the future";
	case VET_ID_PROVINCE:
		return "id does not start with a province code (GB/T 2260)";
	}
	return "bad id";
}

/*
 * A spreadsheet that took the id for a number shows it as 1.10105E+17, or,
 * after a round trip through a float column, as 110105199001011234.0.
 */
static int
is_scientific(const char *s, size_t n)
{
	size_t i = 0, lead, frac = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	lead = i;
	if (lead == 0)
		return 0;
	if (i < n && s[i] == '.') {
		i++;
		while (i + frac < n && s[i + frac] >= '0' &&
		    s[i + frac] <= '9')
			frac++;
		i += frac;
	}
	if (i < n && (s[i] == 'E' || s[i] == 'e')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == n || !all_digits(s + i, n - i))
			return 0;
		return 1;
	}
	/* The float form: 15 or more digits and a zero fraction. */
	if (i == n && frac > 0 && lead >= 15) {
		while (frac > 0 && s[i - frac] == '0')
			frac--;
		return frac == 0;
	}
	return 0;
}

static int
fault(enum vet_id_fault f, enum vet_id_fault *out, struct vet_error *err)
{
	if (out != NULL)
		*out = f;
	return vet_error_set(err, VET_EDATA, NULL, 0, 0, "%s",
	    vet_id_strerror(f));
}

/* Replaces the digits of s (n bytes) after the first 6 with '*', up to
 * its exponent, unless vet_mask_text masked some there already. */
static void
mask_mantissa(char *s, size_t n)
{
	size_t i, e, d = 0;

	for (e = 0; e < n && s[e] != 'E' && s[e] != 'e'; e++)
		;
	if (memchr(s, '*', e) != NULL)
		return;
	for (i = 0; i < e; i++)
		if (s[i] >= '0' && s[i] <= '9' && ++d > 6)
			s[i] = '*';
}

/*
 * Quoting the mangled value tells the clerk what went wrong.  1.10105E+17
 * keeps too few digits to identify anyone, but the float form
 * 110105199001011234.0 holds the whole id, so the quote is masked.
 */
static int
scientific(const char *s, size_t len, enum vet_id_fault *f,
    struct vet_error *err)
{
	struct vet_buf m = VET_BUF_INIT;
	int r;

	if (f != NULL)
		*f = VET_ID_SCIENTIFIC;
	if (len > 32)
		len = 32;
	if (vet_mask_text(&m, s, len) < 0)
		return fault(VET_ID_SCIENTIFIC, NULL, err);
	/*
	 * The mantissa is one number, whatever its point: "1.4111019005E+4"
	 * holds 11 digits that vet_mask_text sees as groups of 1 and 10.
	 * Unless vet_mask_text masked it already, the mantissa's digits past
	 * its first 6 are masked, as an id's are (the exponent is its own
	 * number, masked by vet_mask_text alone).
	 */
	mask_mantissa(m.data, m.len);
	r = vet_error_set(err, VET_EDATA, NULL, 0, 0, "%s ('%s')",
	    vet_id_strerror(VET_ID_SCIENTIFIC), vet_buf_str(&m));
	vet_buf_release(&m);
	return r;
}

/*
 * Folds raw into ASCII: drops spaces (ASCII, U+00A0 and U+3000) wherever
 * they are, since stations type ids in groups, and maps the full-width
 * forms U+FF01..U+FF5E to ASCII.  Other characters are kept as they are so
 * that the character check can refuse them.  Returns the number of
 * characters; at most FOLD_MAX bytes are stored.
 */
static size_t
fold(const char *raw, size_t n, char *out, size_t *outn)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t i = 0, o = 0, chars = 0, k;
	unsigned cp;
	char c;

	while (i < n) {
		k = 1;
		c = (char)s[i];
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n') {
			i++;
			continue;
		}
		if (s[i] == 0xc2 && i + 1 < n && s[i + 1] == 0xa0) {
			i += 2;
			continue;
		}
		if (s[i] == 0xe3 && i + 2 < n && s[i + 1] == 0x80 &&
		    s[i + 2] == 0x80) {
			i += 3;
			continue;
		}
		if (s[i] == 0xef && i + 2 < n && (s[i + 2] & 0xc0) == 0x80 &&
		    (s[i + 1] == 0xbc || s[i + 1] == 0xbd)) {
			cp = ((unsigned)(s[i] & 0x0f) << 12) |
			    ((unsigned)(s[i + 1] & 0x3f) << 6) |
			    (s[i + 2] & 0x3f);
			if (cp >= 0xff01 && cp <= 0xff5e) {
				c = (char)(cp - 0xfee0);
				k = 3;
			}
		}
		if (k == 1 && s[i] >= 0x80)
			c = '?';	/* any other non-ASCII byte */
		while (k == 1 && s[i] >= 0xc0 && i + k < n &&
		    (s[i + k] & 0xc0) == 0x80)
			k++;
		if (o < FOLD_MAX)
			out[o++] = c;
		chars++;
		i += k;
	}
	*outn = o;
	return chars;
}

int
vet_id_normalize(const char *raw, size_t n, vet_day today, char out[19],
    enum vet_id_fault *f, struct vet_error *err)
{
	char s[FOLD_MAX];
	char masked[32];
	size_t len, chars, i;
	vet_day birth;

	if (f != NULL)
		*f = VET_ID_OK;
	out[0] = '\0';
	chars = fold(raw, n, s, &len);
	if (chars == 0)
		return fault(VET_ID_EMPTY, f, err);
	if (chars == len && is_scientific(s, len))
		return scientific(s, len, f, err);
	if (chars == len && len > 0 && s[len - 1] == 'x')
		s[len - 1] = 'X';
	for (i = 0; i < len; i++)
		if ((s[i] < '0' || s[i] > '9') &&
		    !(s[i] == 'X' && i == len - 1 && chars == len))
			return fault(VET_ID_CHARS, f, err);
	if (chars != 18 && chars != 15) {
		if (f != NULL)
			*f = VET_ID_LENGTH;
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "id must have 18 characters (or 15 digits), not %zu",
		    chars);
	}
	if (len == 15 && s[14] == 'X')
		return fault(VET_ID_CHARS, f, err);
	if (len == 15) {
		memcpy(out, s, 6);
		memcpy(out + 6, "19", 2);
		memcpy(out + 8, s + 6, 9);
		out[17] = vet_id_check_char(out);
	} else
		memcpy(out, s, 18);
	out[18] = '\0';
	if (!vet_id_province_ok(out))
		return fault(VET_ID_PROVINCE, f, err);
	if (vet_id_birth(out, &birth) < 0)
		return fault(VET_ID_BIRTH, f, err);
	if (birth > today)
		return fault(VET_ID_FUTURE, f, err);
	if (vet_id_check_char(out) != out[17]) {
		if (f != NULL)
			*f = VET_ID_CHECK;
		vet_mask_id(out, 18, masked, sizeof masked);
		return vet_error_set(err, VET_EDATA, NULL, 0, 0,
		    "bad check character in id '%s'", masked);
	}
	return 0;
}
