/*
 * html.c - escaping and page chrome shared by the html writers (html.h).
 */
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/html.h"
#include "vet/mask.h"

int
vet_html_escape(struct vet_buf *o, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *ref;
	int rc = 0;

	/* Runs without a special character are copied whole. */
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			ref = "&amp;";
			break;
		case '<':
			ref = "&lt;";
			break;
		case '>':
			ref = "&gt;";
			break;
		case '"':
			ref = "&quot;";
			break;
		case '\'':
			ref = "&#39;";
			break;
		default:
			continue;
		}
		rc |= vet_buf_add(o, s + run, i - run);
		rc |= vet_buf_addstr(o, ref);
		run = i + 1;
	}
	rc |= vet_buf_add(o, s + run, n - run);
	return rc != 0 ? VET_ENOMEM : 0;
}

int
vet_html_begin(struct vet_buf *o, const char *lang, const char *title,
    size_t title_n, const char *style)
{
	int rc = 0;

	rc |= vet_buf_addf(o, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>",
	    lang);
	rc |= vet_html_escape(o, title, title_n);
	rc |= vet_buf_addstr(o, "</title>\n<style>\n");
	rc |= vet_buf_addstr(o, style);
	rc |= vet_buf_addstr(o, "</style>\n</head>\n<body>\n");
	return rc != 0 ? VET_ENOMEM : 0;
}

int
vet_html_end(struct vet_buf *o)
{
	return vet_buf_addstr(o, "</body>\n</html>\n");
}

int
vet_text_clean(struct vet_buf *o, const char *s, size_t n, int mask,
    struct vet_buf *m)
{
	const unsigned char *p;
	size_t i;
	int rc = 0;

	if (mask) {
		vet_buf_reset(m);
		if (vet_mask_text(m, s, n) < 0)
			return VET_ENOMEM;
		s = vet_buf_str(m);
		n = m->len;
	}
	p = (const unsigned char *)s;
	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7F)
			rc |= vet_buf_addstr(o, "\xEF\xBF\xBD");
		else if (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9F) {
			rc |= vet_buf_addstr(o, "\xEF\xBF\xBD");
			i++;
		} else
			rc |= vet_buf_addch(o, p[i]);
	}
	return rc != 0 ? VET_ENOMEM : 0;
}
