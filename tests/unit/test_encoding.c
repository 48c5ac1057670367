/*
 * test_encoding.c - detection, GBK/GB18030 decoding, full-width
 * folding and trimming (encoding.h).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "vet/encoding.h"

Test(encoding, parse_names)
{
	enum vet_encoding e;

	cr_assert_eq(vet_encoding_parse("auto", &e), 0);
	cr_assert_eq(e, VET_ENC_AUTO);
	cr_assert_eq(vet_encoding_parse("UTF-8", &e), 0);
	cr_assert_eq(e, VET_ENC_UTF8);
	cr_assert_eq(vet_encoding_parse("gbk", &e), 0);
	cr_assert_eq(e, VET_ENC_GBK);
	cr_assert_eq(vet_encoding_parse("GB18030", &e), 0);
	cr_assert_eq(e, VET_ENC_GB18030);
	cr_assert_eq(vet_encoding_parse("latin1", &e), VET_EUSAGE);
}

Test(encoding, detect)
{
	cr_assert_eq(vet_encoding_detect("id,\xe5\xa7\x93\xe5\x90\x8d\n", 10,
	    1), VET_ENC_UTF8);
	/* 姓名 in GBK */
	cr_assert_eq(vet_encoding_detect("id,\xd0\xd5\xc3\xfb\n", 8, 1),
	    VET_ENC_GB18030);
	cr_assert_eq(vet_encoding_detect("ab\xe5\xa7", 4, 0), VET_ENC_UTF8);
	cr_assert_eq(vet_encoding_detect("ab\xe5\xa7", 4, 1),
	    VET_ENC_GB18030);
}

Test(encoding, gb18030_decodes)
{
	struct vet_decoder d;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;

	cr_assert_eq(vet_decoder_open(&d, VET_ENC_GB18030, &err), 0);
	/* 你好北京€ʤ; ʤ needs a four-byte GB18030 sequence */
	cr_assert_eq(vet_decoder_run(&d,
	    "\xc4\xe3\xba\xc3\xb1\xb1\xbe\xa9\xa2\xe3\x81\x30\xb3\x39", 14, 0,
	    &out, NULL, &err), 0);
	cr_assert_str_eq(out.data, "你好北京€ʤ");
	vet_decoder_close(&d);
	vet_buf_release(&out);
}

Test(encoding, gbk_is_stricter_than_gb18030)
{
	struct vet_decoder d;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;
	size_t bad = 0;

	cr_assert_eq(vet_decoder_open(&d, VET_ENC_GBK, &err), 0);
	cr_assert_eq(vet_decoder_run(&d, "ok\x81\x30\xb3\x39", 6, 100, &out,
	    &bad, &err), VET_EDATA);
	cr_assert_eq(bad, 2);
	cr_assert_str_eq(err.msg, "invalid GBK at byte offset 102");
	vet_decoder_close(&d);
	vet_buf_release(&out);
}

Test(encoding, invalid_and_truncated_sequences)
{
	struct vet_decoder d;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;
	size_t bad = 0;

	cr_assert_eq(vet_decoder_open(&d, VET_ENC_GB18030, &err), 0);
	cr_assert_eq(vet_decoder_run(&d, "a,\xc4\xe3,\xff\x30", 7, 10, &out,
	    &bad, &err), VET_EDATA);
	cr_assert_eq(bad, 5);
	cr_assert_str_eq(err.msg, "invalid GB18030 at byte offset 15");
	vet_buf_reset(&out);
	cr_assert_eq(vet_decoder_run(&d, "a\xc4", 2, 0, &out, &bad, &err),
	    VET_EDATA);
	cr_assert_eq(bad, 1);
	/* the decoder is still usable after a failure */
	vet_buf_reset(&out);
	cr_assert_eq(vet_decoder_run(&d, "\xc4\xe3", 2, 0, &out, &bad, &err),
	    0);
	cr_assert_str_eq(out.data, "你");
	vet_decoder_close(&d);
	vet_buf_release(&out);
}

Test(encoding, utf8_decoder_validates)
{
	struct vet_decoder d;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_error err;
	size_t bad = 0;

	cr_assert_eq(vet_decoder_open(&d, VET_ENC_UTF8, &err), 0);
	cr_assert_eq(vet_decoder_run(&d, "x\xe5\x8c\x97", 4, 0, &out, &bad,
	    &err), 0);
	cr_assert_str_eq(out.data, "x北");
	cr_assert_eq(vet_decoder_run(&d, "xy\xc3", 3, 7, &out, &bad, &err),
	    VET_EDATA);
	cr_assert_str_eq(err.msg, "invalid UTF-8 at byte offset 9");
	vet_decoder_close(&d);
	vet_buf_release(&out);
}

Test(encoding, fold_width)
{
	char s[] = "１１０１０５ｘ　Ａｚ！～中（文）";
	size_t n = vet_fold_width(s, strlen(s));

	/* full-width parentheses are U+FF08/U+FF09, inside the range */
	cr_assert_eq(n, strlen("110105x Az!~中(文)"));
	cr_assert_eq(memcmp(s, "110105x Az!~中(文)", n), 0);
	/* text without any full-width character is left alone */
	char t[] = "plain 北京";
	cr_assert_eq(vet_fold_width(t, strlen(t)), strlen("plain 北京"));
	/* a cut sequence at the end stays as it is */
	char u[] = "a\xef\xbc";
	cr_assert_eq(vet_fold_width(u, 3), 3);
}

Test(encoding, trim)
{
	struct vet_span s = { "\xe3\x80\x80 \t 朝阳区 \xe3\x80\x80\r", 0 };
	struct vet_span e = { "   ", 3 };

	s.n = strlen(s.p);
	s = vet_trim(s);
	cr_assert_eq(s.n, strlen("朝阳区"));
	cr_assert_eq(memcmp(s.p, "朝阳区", s.n), 0);
	e = vet_trim(e);
	cr_assert_eq(e.n, 0);
}

Test(encoding, damaged_utf8_stays_utf8)
{
	/* 区 in UTF-8, then a stray 0xFF: not GB18030 either. */
	static const char s[] = "{\"a\":\"\xe5\x8c\xba\"}\n{\"b\":\"\xff\"}\n";
	/* 中国 in GBK decodes cleanly as GB18030. */
	static const char g[] = "\xd6\xd0\xb9\xfa,1\r\n";

	cr_assert_eq(vet_encoding_detect(s, sizeof s - 1, 1), VET_ENC_UTF8);
	cr_assert_eq(vet_encoding_detect(g, sizeof g - 1, 1), VET_ENC_GB18030);
	/* A GBK character cut by the end of the sample is not a fault. */
	cr_assert_eq(vet_encoding_detect(g, 3, 0), VET_ENC_GB18030);
}

Test(encoding, guess_agrees_with_detect)
{
	static const char s[] = "{\"a\":\"\xe5\x8c\xba\"}\n{\"b\":\"\xff\"}\n";
	static const char g[] = "\xd6\xd0\xb9\xfa,1\r\n";
	struct vet_error err;
	enum vet_encoding e = VET_ENC_AUTO;

	cr_assert_eq(vet_encoding_guess(s, sizeof s - 1, 1, &e, &err), 0);
	cr_assert_eq(e, VET_ENC_UTF8);
	cr_assert_eq(vet_encoding_guess(g, sizeof g - 1, 1, &e, &err), 0);
	cr_assert_eq(e, VET_ENC_GB18030);
	cr_assert_eq(vet_encoding_guess("id,1\n", 5, 1, &e, &err), 0);
	cr_assert_eq(e, VET_ENC_UTF8);
	/* Its failure (iconv_open out of memory) is held by the fault
	 * scenario intake-csv of tests/fault/run: it exits 70. */
}

Test(encoding, early_damage_stays_utf8)
{
	/*
	 * 刘 cut by a bad byte in the first record, then names of two
	 * characters (刘浩, 张凯) and a district of one (区): GB18030 reads
	 * the cut 刘 and each name as characters of its own, so it decodes
	 * further before its first fault than UTF-8; but it meets more
	 * faults in the sample, one at each 区.
	 */
	static const char s[] = "{\"a\":\"\xe5\x88\xff\"}\n"
	    "{\"n\":\"\xe5\x88\x98\xe6\xb5\xa9\",\"d\":\"\xe5\x8c\xba\"}\n"
	    "{\"n\":\"\xe5\xbc\xa0\xe5\x87\xaf\",\"d\":\"\xe5\x8c\xba\"}\n";
	/* 中国 in GBK, then a stray byte, then 姓名 in GBK. */
	static const char g[] = "\xd6\xd0\xb9\xfa,\xff\r\n\xd0\xd5\xc3\xfb,1\r\n";

	cr_assert_eq(vet_encoding_detect(s, sizeof s - 1, 1), VET_ENC_UTF8);
	cr_assert_eq(vet_encoding_detect(g, sizeof g - 1, 1), VET_ENC_GB18030);
}

Test(encoding, utf16_names_and_bom)
{
	enum vet_encoding e;
	size_t n;

	cr_assert_eq(vet_encoding_parse("UTF-16LE", &e), 0);
	cr_assert_eq(e, VET_ENC_UTF16LE);
	cr_assert_eq(vet_encoding_parse("utf16be", &e), 0);
	cr_assert_eq(e, VET_ENC_UTF16BE);
	cr_assert_str_eq(vet_encoding_name(VET_ENC_UTF16LE), "UTF-16LE");
	cr_assert_eq(vet_encoding_bom16("\xff\xfe" "a", 3, &n),
	    VET_ENC_UTF16LE);
	cr_assert_eq(n, 2);
	cr_assert_eq(vet_encoding_bom16("\xfe\xff", 2, &n), VET_ENC_UTF16BE);
	cr_assert_eq(vet_encoding_bom16("\xef\xbb\xbf", 3, &n), VET_ENC_AUTO);
	cr_assert_eq(n, 0);
}

Test(encoding, utf16_to_utf8)
{
	struct vet_buf out = VET_BUF_INIT;
	size_t used;

	/* 姓名\t, LE: D3 59 0D 54 09 00; U+1F600 as a surrogate pair. */
	cr_assert_eq(vet_utf16_to_utf8(0, "\xd3\x59\x0d\x54\x09\x00"
	    "\x3d\xd8\x00\xde", 10, 1, &out, &used), 0);
	cr_assert_eq(used, 10);
	cr_assert_str_eq(vet_buf_str(&out), "姓名\t\xf0\x9f\x98\x80");
	vet_buf_reset(&out);
	/* Cut in a pair and in a unit: left for the next piece. */
	cr_assert_eq(vet_utf16_to_utf8(1, "\x00" "a\xd8\x3d", 4, 0, &out,
	    &used), 0);
	cr_assert_eq(used, 2);
	cr_assert_str_eq(vet_buf_str(&out), "a");
	cr_assert_eq(vet_utf16_to_utf8(1, "\x00" "b\x00", 3, 0, &out, &used),
	    0);
	cr_assert_eq(used, 2);
	/* A lone surrogate and an odd last byte: 0xFF, never valid. */
	vet_buf_reset(&out);
	cr_assert_eq(vet_utf16_to_utf8(0, "\x00\xdc" "a\x00" "b", 5, 1, &out,
	    &used), 0);
	cr_assert_eq(used, 5);
	cr_assert_str_eq(vet_buf_str(&out), "\xff" "a\xff");
	vet_buf_release(&out);
}

/* A decoded row names the bytes it came from only when encoding it back
 * gives them exactly: what a reject's "encoding" promises. */
Test(encoding, decoded_text_reverses_to_its_bytes)
{
	struct vet_decoder d;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	/* "朝阳区,张三" in GB18030, and a row with a 4-byte sequence. */
	static const char gb[] = "\xb3\xaf\xd1\xf4\xc7\xf8,\xd5\xc5\xc8\xfd";
	static const char four[] = "a\x81\x30\x81\x30z";
	size_t bad;

	vet_error_clear(&err);
	cr_assert_eq(vet_decoder_open(&d, VET_ENC_GB18030, &err), 0);
	cr_assert_eq(vet_decoder_run(&d, gb, sizeof gb - 1, 0, &out, &bad,
	    &err), 0);
	cr_expect_str_eq(out.data, "朝阳区,张三");
	cr_expect_eq(vet_decoder_reverses(&d, out.data, out.len, gb,
	    sizeof gb - 1), 1);
	/* One byte more, one byte less, one byte changed: not the same. */
	cr_expect_eq(vet_decoder_reverses(&d, out.data, out.len, gb,
	    sizeof gb - 2), 0);
	cr_expect_eq(vet_decoder_reverses(&d, out.data, out.len - 1, gb,
	    sizeof gb - 1), 0);
	cr_expect_eq(vet_decoder_reverses(&d, "朝阳区,张四", 16, gb,
	    sizeof gb - 1), 0);
	vet_buf_reset(&out);
	cr_assert_eq(vet_decoder_run(&d, four, sizeof four - 1, 0, &out,
	    &bad, &err), 0);
	cr_expect_eq(vet_decoder_reverses(&d, out.data, out.len, four,
	    sizeof four - 1), 1);
	vet_decoder_close(&d);
	/* UTF-8 decodes to itself: nothing to name. */
	cr_assert_eq(vet_decoder_open(&d, VET_ENC_UTF8, &err), 0);
	cr_expect_eq(vet_decoder_reverses(&d, "x", 1, "x", 1), 0);
	vet_decoder_close(&d);
	vet_buf_release(&out);
}
