/*
 * cli_reason.c - the reason of a reject message, so that --stats can count
 * rejects by reason (SPEC 3 vet-intake): "unknown district '燕郊镇'" and
 * "unknown district '通州'" are one reason, "unknown district".
 */
#include <string.h>

#include "vet/cli.h"
#include "vet/schema.h"

/*
 * A quoted text that names a field of some record kind says which field
 * the reason is about, and is kept, as are the tokens a JSON parser
 * expects (':', '}', 'null'); any other is a value, and goes.
 */
static int
kept_quote(const char *p, size_t n)
{
	static const enum vet_kind kinds[] = {
		VET_KIND_VETERAN, VET_KIND_JOB, VET_KIND_EVENT
	};
	const struct vet_schema_field *f;
	size_t i, j, nf;

	if ((n == 4 && (memcmp(p, "true", 4) == 0 ||
	    memcmp(p, "null", 4) == 0)) || (n == 5 &&
	    memcmp(p, "false", 5) == 0))
		return 1;
	for (i = 0; i < n && strchr(":,{}[]\"", p[i]) != NULL; i++)
		;
	if (n > 0 && i == n)
		return 1;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		f = vet_schema_fields(kinds[i], &nf);
		for (j = 0; j < nf; j++)
			if (strlen(f[j].name) == n &&
			    memcmp(f[j].name, p, n) == 0)
				return 1;
	}
	return 0;
}

static int
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c >= 0x80;
}

/*
 * The closing quote of the quote opened at s[i]: the next ' that is not
 * followed by a letter or digit, since a value may hold an apostrophe
 * ("o'brien") but the quote of a message is followed by a space, a
 * bracket, a colon or the end.  0 when there is none.
 */
static size_t
close_quote(const char *s, size_t i)
{
	size_t j;

	for (j = i + 1; s[j] != '\0'; j++)
		if (s[j] == '\'' && !is_alnum((unsigned char)s[j + 1]))
			return j;
	return 0;
}

size_t
vet_cli_reason(const char *msg, char *out, size_t size)
{
	size_t i, j, k = 0, cut;
	char c;

	if (size == 0)
		return 0;
	for (i = 0; msg[i] != '\0' && k + 1 < size;) {
		c = msg[i];
		if (c == '\'' && (j = close_quote(msg, i)) != 0) {
			if (kept_quote(msg + i + 1, j - i - 1)) {
				cut = j - i + 1;
				if (k + cut >= size)
					break;
				memcpy(out + k, msg + i, cut);
				k += cut;
				i = j + 1;
				continue;
			}
			/* The value goes, with the space before it and
			 * the brackets it was alone in: "spreadsheet
			 * ('1.10105E+17')" is "spreadsheet". */
			if (i > 0 && msg[i - 1] == '(' && msg[j + 1] == ')') {
				if (k > 0 && out[k - 1] == '(')
					k--;
				j++;
			}
			if (k > 0 && out[k - 1] == ' ')
				k--;
			i = j + 1;
			continue;
		}
		/* A number on its own (a line, a byte offset, a count), not
		 * one inside a word such as UTF-8 or GB18030. */
		if (c >= '0' && c <= '9' && (i == 0 ||
		    !is_alnum((unsigned char)msg[i - 1]))) {
			while (msg[i] >= '0' && msg[i] <= '9')
				i++;
			out[k++] = 'N';
			continue;
		}
		out[k++] = c;
		i++;
	}
	/* Cut at a character boundary: never half a UTF-8 sequence. */
	if (msg[i] != '\0') {
		j = k;
		while (j > 0 && ((unsigned char)out[j - 1] & 0xc0) == 0x80)
			j--;
		if (j > 0 && (unsigned char)out[j - 1] >= 0xc0) {
			c = out[j - 1];
			cut = (unsigned char)c >= 0xf0 ? 4 :
			    (unsigned char)c >= 0xe0 ? 3 : 2;
			if (k - (j - 1) < cut)
				k = j - 1;
		}
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	return k;
}
