/*
 * test_reconcile.c - the matching rules of vet-reconcile: how ids relate,
 * when JSON values differ, every kind of diff record, --apply and its
 * idempotence, rejections and hostile input.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/policy.h"
#include "vet/reconcile.h"

static struct vet_policy *pol;
static struct vet_reconcile *rc;
static struct vet_buf out, diff;
static vet_day as_of;

static void
setup(void)
{
	struct vet_error err;

	cr_assert_eq(vet_policy_load(&pol, NULL, &err), 0, "%s", err.msg);
	vet_date_parse("2026-09-30", 10, &as_of);
	vet_buf_init(&out);
	vet_buf_init(&diff);
	rc = NULL;
}

static void
teardown(void)
{
	vet_reconcile_release(rc);
	vet_policy_free(pol);
	vet_buf_release(&out);
	vet_buf_release(&diff);
}

static void
start(int apply)
{
	struct vet_error err;

	vet_reconcile_release(rc);
	cr_assert_eq(vet_reconcile_init(&rc, pol, "hr", as_of, apply, &err),
	    0);
	vet_buf_reset(&out);
	vet_buf_reset(&diff);
}

static void
extract(const char *line)
{
	struct vet_error err;

	cr_assert_eq(vet_reconcile_extract(rc, line, strlen(line), &diff,
	    &err), 0, "extract %s: %s", line, err.msg);
}

static void
ledger(const char *line)
{
	struct vet_error err;

	cr_assert_eq(vet_reconcile_line(rc, line, strlen(line), &out, &diff,
	    &err), 0, "ledger %s: %s", line, err.msg);
}

static void
finish(void)
{
	struct vet_error err;
	int r;

	while ((r = vet_reconcile_end(rc, &diff, &err)) > 0)
		;
	cr_assert_eq(r, 0);
}

static void
expect(const struct vet_buf *b, const char *want)
{
	cr_assert_str_eq(vet_buf_str(b), want);
}

/* ------------------------------------------------------------ ids */

#define REL(l, e) vet_reconcile_idrel((l), strlen(l), (e), strlen(e), &pos)

Test(idrel, one_character_substitution)
{
	size_t pos;

	cr_assert_eq(REL("110105199001011232", "110105199001011233"),
	    VET_IDREL_ONE_CHAR);
	cr_assert_eq(pos, 18);
	cr_assert_eq(REL("110105199001011232", "210105199001011232"),
	    VET_IDREL_ONE_CHAR);
	cr_assert_eq(pos, 1);
	cr_assert_str_eq(vet_reconcile_idrel_name(VET_IDREL_ONE_CHAR),
	    "one_character");
}

Test(idrel, adjacent_swap)
{
	size_t pos;

	cr_assert_eq(REL("110105199001011232", "110105199010011232"),
	    VET_IDREL_SWAP);
	cr_assert_eq(pos, 11);
	cr_assert_eq(REL("110105199001011232", "110105199001011223"),
	    VET_IDREL_SWAP);
	cr_assert_eq(pos, 17);
	cr_assert_str_eq(vet_reconcile_idrel_name(VET_IDREL_SWAP),
	    "adjacent_swap");
}

Test(idrel, fifteen_to_eighteen)
{
	size_t pos;

	cr_assert_eq(REL("110105195301011236", "110105530101123"),
	    VET_IDREL_UPGRADE);
	cr_assert_eq(pos, 0);
	/* The wrong check character is not the 18-character form. */
	cr_assert_eq(REL("110105195301011235", "110105530101123"),
	    VET_IDREL_NONE);
	/* Nor is a ledger id with "20" for the century. */
	cr_assert_eq(REL("110105205301011236", "110105530101123"),
	    VET_IDREL_NONE);
	/* The rule runs one way: the ledger holds the 18-character form. */
	cr_assert_eq(REL("110105530101123", "110105195301011236"),
	    VET_IDREL_NONE);
	cr_assert_eq(REL("110105195301011236", "11010553010112X"),
	    VET_IDREL_NONE);
}

Test(idrel, not_two_differences)
{
	size_t pos;

	/* Two substitutions, apart. */
	cr_assert_eq(REL("110105199001011232", "110105199001011343"),
	    VET_IDREL_NONE);
	cr_assert_eq(REL("110105199001011232", "910105199001011239"),
	    VET_IDREL_NONE);
	/* Two adjacent substitutions that are not a swap. */
	cr_assert_eq(REL("110105199001011232", "110105199001011245"),
	    VET_IDREL_NONE);
	cr_assert_eq(pos, 0);
	/* A swap and a substitution. */
	cr_assert_eq(REL("110105199001011232", "110105199010011233"),
	    VET_IDREL_NONE);
	/* Equal ids are the same person, not a probable match. */
	cr_assert_eq(REL("110105199001011232", "110105199001011232"),
	    VET_IDREL_NONE);
	/* A character more or less. */
	cr_assert_eq(REL("110105199001011232", "11010519900101123"),
	    VET_IDREL_NONE);
	cr_assert_null(vet_reconcile_idrel_name(VET_IDREL_NONE));
}

Test(idrel, characters_not_bytes)
{
	size_t pos;

	/* A full-width X (three bytes) typed for X is one character. */
	cr_assert_eq(REL("11010519900101123X", "11010519900101123\xef\xbc\xb8"),
	    VET_IDREL_ONE_CHAR);
	cr_assert_eq(pos, 18);
	cr_assert_eq(REL("\xe5\xbc\xa0" "12", "\xe5\xbc\xa0" "21"),
	    VET_IDREL_SWAP);
	cr_assert_eq(pos, 2);
	cr_assert_eq(REL("1\xe5\xbc\xa0" "2", "12\xe5\xbc\xa0"),
	    VET_IDREL_SWAP);
	cr_assert_eq(pos, 2);
	/* Two characters differ, though one byte each time. */
	cr_assert_eq(REL("\xe5\xbc\xa0\xe5\xbc\xa0", "\xe5\xbc\xa1\xe5\xbc\xa1"),
	    VET_IDREL_NONE);
	cr_assert_eq(REL("11010519900101123X", "11010519900101123"),
	    VET_IDREL_NONE);
}

/* ------------------------------------------------------------ values */

static int
jeq(const char *a, const char *b)
{
	struct vet_error err;

	cr_assert_eq(vet_json_validate(a, strlen(a), &err), 0, "%s", a);
	cr_assert_eq(vet_json_validate(b, strlen(b), &err), 0, "%s", b);
	return vet_reconcile_json_equal((struct vet_span){ a, strlen(a) },
	    (struct vet_span){ b, strlen(b) });
}

Test(values, numbers_compare_as_numbers)
{
	cr_assert(jeq("1", "1.0"));
	cr_assert(jeq("1", "1e0"));
	cr_assert(jeq("-0", "0"));
	cr_assert(jeq("80", "8E1"));
	cr_assert_not(jeq("1", "1.5"));
	cr_assert_not(jeq("1", "\"1\""));
	cr_assert_not(jeq("1", "true"));
	/* Too large for a double: compared as decimals all the same. */
	cr_assert(jeq("1e400", "1e400"));
	cr_assert(jeq("1e400", "10e399"));
	cr_assert(jeq("1e400", "0.001e403"));
	cr_assert_not(jeq("1e400", "2e400"));
	cr_assert_not(jeq("1e400", "1e401"));
	cr_assert(jeq("0.5", "5e-1"));
	cr_assert(jeq("100", "1E+2"));
	cr_assert(jeq("-1.50", "-15e-1"));
	cr_assert(jeq("0.000", "-0e5"));
	cr_assert_not(jeq("-1", "1"));
	cr_assert_not(jeq("10", "1"));
	cr_assert_not(jeq("0.01", "0.1"));
}

Test(values, numbers_are_not_rounded_to_doubles)
{
	/* One double, two JSON values: a conflict to report. */
	cr_assert_not(jeq("9007199254740993", "9007199254740992"));
	cr_assert_not(jeq("12345678901234567891", "12345678901234567890"));
	cr_assert_not(jeq("0.1", "0.10000000000000001"));
	cr_assert_not(jeq("2", "2.0000000000000001"));
	cr_assert(jeq("9007199254740993", "9007199254740993.0"));
	/* Exponents too large to hold compare by text only. */
	cr_assert_not(jeq("1e99999999999999999999", "10e99999999999999999998"));
	cr_assert(jeq("1e99999999999999999999", "1e99999999999999999999"));
}

Test(values, strings_compare_decoded)
{
	cr_assert(jeq("\"abc\"", "\"\\u0061bc\""));
	cr_assert(jeq("\"朝阳区\"", "\"\\u671d\\u9633\\u533a\""));
	cr_assert(jeq("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\""));
	cr_assert(jeq("\"a/b\"", "\"a\\/b\""));
	cr_assert(jeq("\"\\n\"", "\"\\u000a\""));
	cr_assert_not(jeq("\"abc\"", "\"abcd\""));
	cr_assert_not(jeq("\"abc\"", "\"\\u0061b\""));
	cr_assert_not(jeq("\"\"", "null"));
}

Test(values, literals_arrays_objects)
{
	cr_assert(jeq("true", "true"));
	cr_assert(jeq("null", "null"));
	cr_assert_not(jeq("true", "false"));
	cr_assert(jeq("[1, \"a\", [true]]", "[1.0,\"a\",[true]]"));
	cr_assert_not(jeq("[1,2]", "[2,1]"));
	cr_assert_not(jeq("[1,2]", "[1,2,3]"));
	cr_assert_not(jeq("[]", "[null]"));
	cr_assert(jeq("{\"a\":1,\"b\":[2]}", "{\"b\":[2.0],\"a\":1}"));
	cr_assert(jeq("{\"\\u0061\":1}", "{\"a\":1}"));
	cr_assert_not(jeq("{\"a\":1}", "{\"a\":1,\"b\":2}"));
	cr_assert_not(jeq("{\"a\":1,\"b\":2}", "{\"a\":1,\"c\":2}"));
	cr_assert_not(jeq("{\"a\":1}", "{\"a\":2}"));
	cr_assert(jeq("{}", "{ }"));
}

Test(values, large_objects_reordered_are_bounded)
{
	struct vet_buf a = VET_BUF_INIT, b = VET_BUF_INIT;
	int i, n = VET_RECONCILE_MAX_MEMBERS + 1;

	vet_buf_addch(&a, '{');
	vet_buf_addch(&b, '{');
	for (i = 0; i < n; i++) {
		vet_buf_addf(&a, "%s\"k%d\":%d", i ? "," : "", i, i);
		vet_buf_addf(&b, "%s\"k%d\":%d", i ? "," : "", n - 1 - i,
		    n - 1 - i);
	}
	vet_buf_addch(&a, '}');
	vet_buf_addch(&b, '}');
	/* Equal in order; reordered above the bound they count as different. */
	cr_assert(jeq(a.data, a.data));
	cr_assert_not(jeq(a.data, b.data));
	vet_buf_release(&a);
	vet_buf_release(&b);
}

Test(values, nested_reordered_objects_take_linear_time, .timeout = 10)
{
	struct vet_buf a = VET_BUF_INIT, b = VET_BUF_INIT;
	int i, depth = 400;

	/* Each level equal but reordered: comparing a pair of values twice
	 * per level would take 2^400 steps. */
	for (i = 0; i < depth; i++) {
		vet_buf_addstr(&a, "{\"a\":");
		vet_buf_addstr(&b, "{\"a\":");
	}
	vet_buf_addstr(&a, "1");
	vet_buf_addstr(&b, "1.0");
	for (i = 0; i < depth; i++) {
		vet_buf_addstr(&a, ",\"b\":1,\"c\":2}");
		vet_buf_addstr(&b, ",\"c\":2,\"b\":1}");
	}
	cr_assert(jeq(a.data, b.data));
	b.data[depth * 5] = '2';	/* the innermost value: 2.0 */
	cr_assert_not(jeq(a.data, b.data));
	vet_buf_release(&a);
	vet_buf_release(&b);
}

/* ------------------------------------------------------------ diff */

TestSuite(reconcile, .init = setup, .fini = teardown);

#define A "110105199001011232"
#define B "110105195301011236"

Test(reconcile, equal_records_make_no_diff)
{
	start(0);
	extract("{\"id\":\"" A "\",\"unemployment_registered\":true,"
	    "\"training_hours\":80.0}");
	ledger("{\"id\":\"" A "\",\"name\":\"张三\",\"district\":\"朝阳区\","
	    "\"unemployment_registered\":true,\"training_hours\":80}");
	finish();
	expect(&out, "{\"id\":\"" A "\",\"name\":\"张三\",\"district\":"
	    "\"朝阳区\",\"unemployment_registered\":true,"
	    "\"training_hours\":80}\n");
	expect(&diff, "");
}

Test(reconcile, conflicts_in_ledger_field_order)
{
	struct vet_reconcile_counts n;

	start(0);
	extract("{\"social_insurance_paid\":false,\"id\":\"" A "\","
	    "\"employment_status\":\"unemployed\",\"phone\":null,"
	    "\"skills\":[\"电工\"]}");
	ledger("{\"id\":\"" A "\",\"district\":\"朝阳区\","
	    "\"employment_status\":\"employed\",\"phone\":\"13800000000\","
	    "\"skills\":[\"电工\"],\"social_insurance_paid\":true}");
	finish();
	/* phone is null in the extract, which counts as absent. */
	expect(&diff,
	    "{\"diff\":\"conflict\",\"id\":\"" A "\",\"district\":\"朝阳区\","
	    "\"field\":\"employment_status\",\"ledger\":\"employed\","
	    "\"extract\":\"unemployed\",\"authority\":false}\n"
	    "{\"diff\":\"conflict\",\"id\":\"" A "\",\"district\":\"朝阳区\","
	    "\"field\":\"social_insurance_paid\",\"ledger\":true,"
	    "\"extract\":false,\"authority\":true}\n");
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.conflict, 2);
	cr_assert_eq(n.applied, 0);
}

Test(reconcile, only_in_each_side)
{
	struct vet_reconcile_counts n;

	start(0);
	extract("{\"id\":\"" B "\",\"name\":\"李四\"}");
	ledger("{\"id\":\"" A "\",\"name\":\"张三\",\"district\":\"海淀区\"}");
	ledger("{\"id\":\"110105199001071235\",\"name\":\"王五\"}");
	finish();
	expect(&diff,
	    "{\"diff\":\"only_in_ledger\",\"id\":\"" A "\",\"district\":"
	    "\"海淀区\"}\n"
	    "{\"diff\":\"only_in_ledger\",\"id\":\"110105199001071235\","
	    "\"district\":null}\n"
	    "{\"diff\":\"only_in_extract\",\"id\":\"" B "\"}\n");
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.only_in_ledger, 2);
	cr_assert_eq(n.only_in_extract, 1);
}

Test(reconcile, probable_match_adjacent_swap)
{
	struct vet_reconcile_counts n;

	start(0);
	/* The bureau typed 10 for 01 in the birth month; its birth_date
	 * field is right, and the ledger's birth date comes from its id. */
	extract("{\"id\":\"110105199010011232\",\"name\":\"张三\","
	    "\"birth_date\":\"1990-01-01\",\"unemployment_registered\":true}");
	ledger("{\"id\":\"" A "\",\"name\":\"张三\",\"district\":\"朝阳区\"}");
	finish();
	expect(&diff,
	    "{\"diff\":\"probable_match\",\"id\":\"110105199010011232\","
	    "\"ledger_id\":\"" A "\",\"evidence\":{\"name\":\"张三\","
	    "\"birth_date\":\"1990-01-01\",\"id\":\"adjacent_swap\","
	    "\"position\":11,\"extract_id_valid\":false}}\n");
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.probable_match, 1);
	cr_assert_eq(n.only_in_ledger + n.only_in_extract, 0);
}

/* SPEC: ids are normalised before the join, so a 15-digit id in the
 * extract is the ledger's 18-character id, and --apply applies. */
Test(reconcile, fifteen_digits_join_their_upgrade)
{
	start(1);
	extract("{\"id\":\"110105530101123\",\"name\":\"赵六\","
	    "\"difficulty_certified\":true}");
	ledger("{\"id\":\"" B "\",\"name\":\"赵六\",\"birth_date\":"
	    "\"1953-01-01\"}");
	finish();
	expect(&out, "{\"id\":\"" B "\",\"name\":\"赵六\",\"birth_date\":"
	    "\"1953-01-01\",\"difficulty_certified\":true,\"reconciled\":["
	    "{\"field\":\"difficulty_certified\",\"old\":null,\"new\":true,"
	    "\"source\":\"hr\",\"date\":\"2026-09-30\"}]}\n");
	expect(&diff, "");
}

/* A lower-case x, full-width digits and spaces in either side's id. */
Test(reconcile, ids_are_normalised_before_the_join)
{
	start(0);
	extract("{\"id\":\"11010519900101103x\",\"social_insurance_paid\":"
	    "true}");
	extract("{\"id\":\"１１０１０５ １９９００１０１ １２３２\","
	    "\"social_insurance_paid\":false}");
	ledger("{\"id\":\"11010519900101103X\",\"social_insurance_paid\":"
	    "true}");
	ledger("{\"id\":\"110105 19900101 1232\",\"social_insurance_paid\":"
	    "false}");
	finish();
	expect(&diff, "");
}

Test(reconcile, probable_match_needs_name_and_birth_date)
{
	start(0);
	extract("{\"id\":\"110105199001011233\",\"name\":\"张三\","
	    "\"birth_date\":\"1990-01-02\"}");
	extract("{\"id\":\"110105199001011234\",\"name\":\"张四\"}");
	extract("{\"id\":\"110105199001011235\"}");
	ledger("{\"id\":\"" A "\",\"name\":\"张三\"}");
	finish();
	expect(&diff,
	    "{\"diff\":\"only_in_ledger\",\"id\":\"" A "\","
	    "\"district\":null}\n"
	    "{\"diff\":\"only_in_extract\",\"id\":\"110105199001011233\"}\n"
	    "{\"diff\":\"only_in_extract\",\"id\":\"110105199001011234\"}\n"
	    "{\"diff\":\"only_in_extract\",\"id\":\"110105199001011235\"}\n");
}

Test(reconcile, no_probable_match_when_the_extract_id_is_in_the_ledger)
{
	start(0);
	extract("{\"id\":\"110105199001011233\",\"name\":\"张三\"}");
	/* Two different people, one character apart, same name and birth
	 * date: both ids are in the ledger, so nothing is probable. */
	ledger("{\"id\":\"" A "\",\"name\":\"张三\"}");
	ledger("{\"id\":\"110105199001011233\",\"name\":\"张三\"}");
	finish();
	expect(&diff, "{\"diff\":\"only_in_ledger\",\"id\":\"" A "\","
	    "\"district\":null}\n");
}

Test(reconcile, probable_match_two_ledger_records)
{
	start(0);
	extract("{\"id\":\"110105199001011230\",\"name\":\"张三\"}");
	ledger("{\"id\":\"110105199001011231\",\"name\":\"张三\"}");
	ledger("{\"id\":\"" A "\",\"name\":\"张三\"}");
	ledger("{\"id\":\"110105199001011234\",\"name\":\"李三\"}");
	finish();
	expect(&diff,
	    "{\"diff\":\"only_in_ledger\",\"id\":\"110105199001011234\","
	    "\"district\":null}\n"
	    "{\"diff\":\"probable_match\",\"id\":\"110105199001011230\","
	    "\"ledger_id\":\"110105199001011231\",\"evidence\":{\"name\":"
	    "\"张三\",\"birth_date\":\"1990-01-01\",\"id\":\"one_character\","
	    "\"position\":18,\"extract_id_valid\":false}}\n"
	    "{\"diff\":\"probable_match\",\"id\":\"110105199001011230\","
	    "\"ledger_id\":\"" A "\",\"evidence\":{\"name\":\"张三\","
	    "\"birth_date\":\"1990-01-01\",\"id\":\"one_character\","
	    "\"position\":18,\"extract_id_valid\":false}}\n");
}

Test(reconcile, duplicates_on_both_sides)
{
	struct vet_reconcile_counts n;

	start(1);
	extract("{\"id\":\"" A "\",\"social_insurance_paid\":true}");
	extract("{\"id\":\"" A "\",\"social_insurance_paid\":false}");
	ledger("{\"id\":\"" A "\",\"social_insurance_paid\":true}");
	ledger("{\"id\":\"" A "\",\"social_insurance_paid\":false}");
	finish();
	/* Only the first occurrences take part; the second ledger record is
	 * written unchanged. */
	expect(&diff,
	    "{\"diff\":\"duplicate\",\"id\":\"" A "\",\"side\":\"extract\"}\n"
	    "{\"diff\":\"duplicate\",\"id\":\"" A "\",\"side\":\"ledger\"}\n");
	expect(&out, "{\"id\":\"" A "\",\"social_insurance_paid\":true}\n"
	    "{\"id\":\"" A "\",\"social_insurance_paid\":false}\n");
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.duplicate, 2);
}

/* ------------------------------------------------------------ apply */

static const char x_apply[] =
    "{\"id\":\"" A "\",\"name\":\"张三\",\"employment_status\":\"unemployed\","
    "\"unemployment_registered\":true,"
    "\"unemployment_registered_date\":\"2026-03-01\","
    "\"difficulty_certified\":false,\"social_insurance_paid\":null}";
static const char l_apply[] =
    "{\"id\":\"" A "\",\"name\":\"张三\",\"district\":\"朝阳区\","
    "\"employment_status\":\"employed\",\"unemployment_registered\":false,"
    "\"difficulty_certified\":null,\"social_insurance_paid\":true}";
static const char l_applied[] =
    "{\"id\":\"" A "\",\"name\":\"张三\",\"district\":\"朝阳区\","
    "\"employment_status\":\"employed\",\"unemployment_registered\":true,"
    "\"difficulty_certified\":false,\"social_insurance_paid\":true,"
    "\"unemployment_registered_date\":\"2026-03-01\",\"reconciled\":["
    "{\"field\":\"unemployment_registered\",\"old\":false,\"new\":true,"
    "\"source\":\"hr\",\"date\":\"2026-09-30\"},"
    "{\"field\":\"difficulty_certified\",\"old\":null,\"new\":false,"
    "\"source\":\"hr\",\"date\":\"2026-09-30\"},"
    "{\"field\":\"unemployment_registered_date\",\"old\":null,"
    "\"new\":\"2026-03-01\",\"source\":\"hr\",\"date\":\"2026-09-30\"}]}\n";

/* The default policy's hint for a registration against employment. */
#define HINT "\"人社部门登记失业而台账记为就业：请核实就业状态或失业登记\""

Test(reconcile, apply_sets_authority_fields_only)
{
	struct vet_reconcile_counts n;

	start(1);
	extract(x_apply);
	ledger(l_apply);
	finish();
	/* employment_status is hr's conflict to report, not to fix; a null
	 * extract value changes nothing. */
	expect(&out, l_applied);
	expect(&diff,
	    "{\"diff\":\"conflict\",\"id\":\"" A "\",\"district\":\"朝阳区\","
	    "\"field\":\"employment_status\",\"ledger\":\"employed\","
	    "\"extract\":\"unemployed\",\"authority\":false}\n"
	    "{\"diff\":\"conflict\",\"id\":\"" A "\",\"district\":\"朝阳区\","
	    "\"field\":\"unemployment_registered\",\"ledger\":false,"
	    "\"extract\":true,\"authority\":true}\n"
	    "{\"diff\":\"contradiction\",\"id\":\"" A "\",\"district\":"
	    "\"朝阳区\",\"fields\":[\"employment_status\","
	    "\"unemployment_registered\"],\"ledger\":\"employed\","
	    "\"extract\":true,\"hint\":" HINT "}\n");
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.applied, 3);
	cr_assert_eq(n.contradiction, 1);
}

Test(reconcile, apply_is_idempotent)
{
	char *once;

	start(1);
	extract(x_apply);
	ledger(l_apply);
	finish();
	once = strdup(out.data);
	once[strlen(once) - 1] = '\0';
	start(1);
	extract(x_apply);
	ledger(once);
	finish();
	expect(&out, l_applied);
	/* Only the conflict hr is not the authority for remains, and the
	 * contradiction, which --apply never resolves (SPEC). */
	expect(&diff,
	    "{\"diff\":\"conflict\",\"id\":\"" A "\",\"district\":\"朝阳区\","
	    "\"field\":\"employment_status\",\"ledger\":\"employed\","
	    "\"extract\":\"unemployed\",\"authority\":false}\n"
	    "{\"diff\":\"contradiction\",\"id\":\"" A "\",\"district\":"
	    "\"朝阳区\",\"fields\":[\"employment_status\","
	    "\"unemployment_registered\"],\"ledger\":\"employed\","
	    "\"extract\":true,\"hint\":" HINT "}\n");
	free(once);
}

Test(reconcile, apply_extends_the_reconciled_array)
{
	start(1);
	extract("{\"id\":\"" A "\",\"social_insurance_paid\":false}");
	ledger("{\"id\":\"" A "\",\"reconciled\":[ {\"field\":\"x\"} ],"
	    "\"social_insurance_paid\":true}");
	finish();
	expect(&out, "{\"id\":\"" A "\",\"reconciled\":[{\"field\":\"x\"},"
	    "{\"field\":\"social_insurance_paid\",\"old\":true,\"new\":false,"
	    "\"source\":\"hr\",\"date\":\"2026-09-30\"}],"
	    "\"social_insurance_paid\":false}\n");
}

Test(reconcile, apply_with_another_source)
{
	struct vet_error err;

	vet_reconcile_release(rc);
	cr_assert_eq(vet_reconcile_init(&rc, pol, "market", as_of, 1, &err),
	    0);
	extract("{\"id\":\"" A "\",\"employment_status\":\"self_employed\","
	    "\"social_insurance_paid\":false}");
	ledger("{\"id\":\"" A "\",\"employment_status\":\"unemployed\","
	    "\"social_insurance_paid\":true}");
	finish();
	expect(&out, "{\"id\":\"" A "\",\"employment_status\":"
	    "\"self_employed\",\"social_insurance_paid\":true,\"reconciled\":"
	    "[{\"field\":\"employment_status\",\"old\":\"unemployed\","
	    "\"new\":\"self_employed\",\"source\":\"market\",\"date\":"
	    "\"2026-09-30\"}]}\n");
}

Test(reconcile, apply_leaves_equal_numbers_alone)
{
	start(1);
	/* 1 and 1.0 are the same number: no conflict, no change. */
	extract("{\"id\":\"" A "\",\"social_insurance_paid\":true,"
	    "\"household_employed\":1.0}");
	ledger("{\"id\" : \"" A "\", \"household_employed\": 1, "
	    "\"social_insurance_paid\": true}\r");
	finish();
	expect(&out, "{\"id\" : \"" A "\", \"household_employed\": 1, "
	    "\"social_insurance_paid\": true}\n");
	expect(&diff, "");
}

/* ------------------------------------------------------------ bad input */

static void
rejected(int side, const char *line, size_t n, const char *why)
{
	struct vet_error err;
	int r;

	vet_error_clear(&err);
	r = side ? vet_reconcile_line(rc, line, n, &out, &diff, &err) :
	    vet_reconcile_extract(rc, line, n, &diff, &err);
	cr_assert_eq(r, VET_EDATA, "accepted %s", line);
	cr_assert(strstr(err.msg, why) != NULL, "'%s' lacks '%s'", err.msg,
	    why);
}

#define REJ(side, lit, why) rejected((side), (lit), sizeof(lit) - 1, (why))

Test(reconcile, rejections)
{
	start(1);
	REJ(0, "{\"name\":\"x\"}", "missing field 'id'");
	REJ(0, "{\"id\":18}", "field 'id' must be a string");
	REJ(0, "{\"id\":\"\"}", "field 'id' is empty");
	REJ(0, "[1]", "not a JSON object");
	REJ(0, "{\"id\":\"1\"", "");
	REJ(0, "", "");
	REJ(1, "{\"id\":null}", "missing field 'id'");
	REJ(1, "{\"id\":\"" A "\",\"reconciled\":\"yes\"}",
	    "field 'reconciled' must be an array");
	REJ(1, "{\"id\":\"\xff\xfe\"}", "UTF-8");
	REJ(1, "{\"id\":\"a\0b\"}", "");
	REJ(1, "{\"id\":\"" A "\",\"name\":", "");
	finish();
	/* Nothing rejected took part. */
	expect(&out, "");
	expect(&diff, "");
}

Test(reconcile, extract_after_ledger_is_refused)
{
	struct vet_error err;

	start(0);
	ledger("{\"id\":\"" A "\"}");
	cr_assert_eq(vet_reconcile_extract(rc, "{\"id\":\"x\"}", 10, &diff,
	    &err), VET_EINTERNAL);
}

Test(reconcile, escaped_ids_and_keys)
{
	start(0);
	extract("{\"\\u0069d\":\"\\u0031" "10105199001011232\","
	    "\"social_insurance_p\\u0061id\":false}");
	ledger("{\"id\":\"" A "\",\"social_insurance_paid\":true}");
	finish();
	expect(&diff,
	    "{\"diff\":\"conflict\",\"id\":\"" A "\",\"district\":null,"
	    "\"field\":\"social_insurance_paid\",\"ledger\":true,"
	    "\"extract\":false,\"authority\":true}\n");
}

Test(reconcile, wide_records_and_many_diffs)
{
	struct vet_buf x = VET_BUF_INIT, l = VET_BUF_INIT;
	struct vet_reconcile_counts n;
	struct vet_error err;
	int i, r, rounds = 0;

	start(0);
	/* A record of many fields takes the indexed path. */
	vet_buf_addstr(&x, "{\"id\":\"" A "\"");
	vet_buf_addstr(&l, "{\"id\":\"" A "\"");
	for (i = 0; i < 5000; i++) {
		vet_buf_addf(&x, ",\"f%d\":%d", i, i);
		vet_buf_addf(&l, ",\"f%d\":%d", 4999 - i, 4999 - i + (i == 7));
	}
	vet_buf_addch(&x, '}');
	vet_buf_addch(&l, '}');
	extract(x.data);
	for (i = 0; i < 5000; i++) {
		char line[64];

		snprintf(line, sizeof line, "{\"id\":\"X%d\"}", i);
		extract(line);
	}
	ledger(l.data);
	vet_buf_reset(&diff);
	vet_buf_reset(&out);
	while ((r = vet_reconcile_end(rc, &diff, &err)) > 0) {
		rounds++;
		vet_buf_reset(&diff);
	}
	cr_assert_eq(r, 0);
	cr_assert_gt(rounds, 0, "the end came in one piece");
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.conflict, 1);
	cr_assert_eq(n.only_in_extract, 5000);
	vet_buf_release(&x);
	vet_buf_release(&l);
}

/* SPEC: HR registers unemployment (or certifies difficulty) for someone
 * the ledger calls employed, flexible or self-employed; not for the
 * unemployed, nor when HR says false. */
Test(reconcile, contradictions_of_the_default_policy)
{
	struct vet_reconcile_counts n;

	start(0);
	extract("{\"id\":\"" A "\",\"unemployment_registered\":true,"
	    "\"difficulty_certified\":true}");
	extract("{\"id\":\"" B "\",\"unemployment_registered\":false,"
	    "\"difficulty_certified\":true}");
	ledger("{\"id\":\"" A "\",\"district\":\"朝阳区\","
	    "\"employment_status\":\"flexible\"}");
	ledger("{\"id\":\"" B "\",\"employment_status\":\"unemployed\"}");
	finish();
	expect(&diff,
	    "{\"diff\":\"contradiction\",\"id\":\"" A "\",\"district\":"
	    "\"朝阳区\",\"fields\":[\"employment_status\","
	    "\"unemployment_registered\"],\"ledger\":\"flexible\","
	    "\"extract\":true,\"hint\":" HINT "}\n"
	    "{\"diff\":\"contradiction\",\"id\":\"" A "\",\"district\":"
	    "\"朝阳区\",\"fields\":[\"employment_status\","
	    "\"difficulty_certified\"],\"ledger\":\"flexible\","
	    "\"extract\":true,\"hint\":\"人社部门认定就业困难而台账记为就业："
	    "请核实就业状态或困难认定\"}\n");
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.contradiction, 2);
}

/*
 * Ledger ids of the 18-character form are remembered as numbers, others
 * as text: a duplicate is found either way, and ids that differ only in
 * the check character (X or a digit), or in length, stay apart.  Many
 * ids make the number table grow and rehash.
 */
Test(reconcile, ledger_duplicates_by_id_form)
{
	struct vet_reconcile_counts n;
	char line[128];
	int i;

	start(0);
	ledger("{\"id\":\"11010519900101123X\"}");
	ledger("{\"id\":\"110105199001011230\"}");
	ledger("{\"id\":\"110105900101123\"}");
	ledger("{\"id\":\"X10105199001011230\"}");
	for (i = 0; i < 5000; i++) {
		snprintf(line, sizeof line, "{\"id\":\"1101051990%08d\"}", i);
		ledger(line);
	}
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.duplicate, 0);
	ledger("{\"id\":\"11010519900101123X\"}");
	ledger("{\"id\":\"110105900101123\"}");
	ledger("{\"id\":\"X10105199001011230\"}");
	ledger("{\"id\":\"110105199000004999\"}");
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.duplicate, 4);
}

/*
 * The extract is held packed (lib/reconcile_impl.h): what the diff and
 * --apply show of it are still its bytes as read, escapes, spaces inside
 * values and repeated keys included, and an id whose text is not its
 * join id (escapes, spaces, a mistyped length) keeps both.
 */
Test(reconcile, packed_extract_keeps_its_bytes)
{
	start(1);
	extract("{\"id\":\"\\u0031\\u0031\\u0030105199001011232\","
	    "\"n\\u0061me\":\"张三\",\"x\":[1, 2 ,{\"a\" : \"b\\\"c\"}],"
	    "\"num\":1.0e0,\"x\":7,\"difficulty_certified\":null,"
	    "\"unemployment_registered_date\":\"2026-01-0\\u0032\","
	    "\"o\":{ }}");
	extract("{\"id\":\"1101051990010112\",\"s\":\"a\\\\b\","
	    "\"social_insurance_paid\":true}");
	ledger("{\"id\":\"110105199001011232\",\"x\":[1,3],\"num\":1,"
	    "\"n\\u0061me\":\"张三 \",\"o\":{\"k\":1}}");
	ledger("{\"id\":\"1101051990010112\",\"s\":\"a\\\\\\\\b\"}");
	finish();
	expect(&out, "{\"id\":\"110105199001011232\",\"x\":[1,3],\"num\":1,"
	    "\"n\\u0061me\":\"张三 \",\"o\":{\"k\":1},"
	    "\"unemployment_registered_date\":\"2026-01-0\\u0032\","
	    "\"reconciled\":[{\"field\":\"unemployment_registered_date\","
	    "\"old\":null,\"new\":\"2026-01-0\\u0032\",\"source\":\"hr\","
	    "\"date\":\"2026-09-30\"}]}\n"
	    "{\"id\":\"1101051990010112\",\"s\":\"a\\\\\\\\b\","
	    "\"social_insurance_paid\":true,\"reconciled\":[{\"field\":"
	    "\"social_insurance_paid\",\"old\":null,\"new\":true,"
	    "\"source\":\"hr\",\"date\":\"2026-09-30\"}]}\n");
	expect(&diff,
	    "{\"diff\":\"conflict\",\"id\":\"110105199001011232\","
	    "\"district\":null,\"field\":\"x\",\"ledger\":[1,3],"
	    "\"extract\":[1, 2 ,{\"a\" : \"b\\\"c\"}],\"authority\":false}\n"
	    "{\"diff\":\"conflict\",\"id\":\"110105199001011232\","
	    "\"district\":null,\"field\":\"name\",\"ledger\":\"张三 \","
	    "\"extract\":\"张三\",\"authority\":false}\n"
	    "{\"diff\":\"conflict\",\"id\":\"110105199001011232\","
	    "\"district\":null,\"field\":\"o\",\"ledger\":{\"k\":1},"
	    "\"extract\":{ },\"authority\":false}\n"
	    "{\"diff\":\"conflict\",\"id\":\"1101051990010112\","
	    "\"district\":null,\"field\":\"s\",\"ledger\":\"a\\\\\\\\b\","
	    "\"extract\":\"a\\\\b\",\"authority\":false}\n");
}

/*
 * A ledger id the extract has is known seen by the extract record's bit,
 * not kept again: its second occurrence is a duplicate, not compared,
 * also once the extract's indexes have grown.
 */
Test(reconcile, ledger_duplicates_of_extract_ids)
{
	struct vet_reconcile_counts n;
	char line[128];
	int i;

	start(0);
	/* Enough to grow the indexes, few enough for one end chunk. */
	for (i = 0; i < 1000; i++) {
		snprintf(line, sizeof line, "{\"id\":\"1101051990%08d\","
		    "\"social_insurance_paid\":true}", i);
		extract(line);
	}
	ledger("{\"id\":\"110105199000000007\",\"social_insurance_paid\":"
	    "true}");
	ledger("{\"id\":\"110105199000000999\",\"social_insurance_paid\":"
	    "true}");
	ledger("{\"id\":\"110105199000000007\",\"social_insurance_paid\":"
	    "false}");
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.duplicate, 1);
	cr_assert_eq(n.conflict, 0);
	expect(&diff, "{\"diff\":\"duplicate\",\"id\":\"110105199000000007\","
	    "\"side\":\"ledger\"}\n");
	vet_buf_reset(&diff);
	finish();
	vet_reconcile_counts(rc, &n);
	cr_assert_eq(n.only_in_extract, 998);
	cr_assert_eq(n.only_in_ledger, 0);
}

/*
 * Probable matches come out by extract record, in extract order, and for
 * each in ledger order, whatever the order they were found in: a ledger
 * record one character from two extract records counts for both.
 */
Test(reconcile, probable_matches_by_extract_record)
{
	start(0);
	extract("{\"id\":\"110105199001011230\",\"name\":\"张三\"}");
	extract("{\"id\":\"110105199001011250\",\"name\":\"张三\"}");
	ledger("{\"id\":\"110105199001011251\",\"name\":\"张三\"}");
	ledger("{\"id\":\"110105199001011231\",\"name\":\"张三\"}");
	ledger("{\"id\":\"110105199001011220\",\"name\":\"张三\"}");
	finish();
#define PM(x, l, pos) "{\"diff\":\"probable_match\",\"id\":\"" x "\"," \
	"\"ledger_id\":\"" l "\",\"evidence\":{\"name\":\"张三\"," \
	"\"birth_date\":\"1990-01-01\",\"id\":\"one_character\"," \
	"\"position\":" pos ",\"extract_id_valid\":false}}\n"
	expect(&diff,
	    PM("110105199001011230", "110105199001011231", "18")
	    PM("110105199001011230", "110105199001011220", "17")
	    PM("110105199001011250", "110105199001011251", "18")
	    PM("110105199001011250", "110105199001011220", "17"));
#undef PM
}

/* ------------------------------------------------------------ store */

#include "../../lib/reconcile_impl.h"

/* Packs each line and checks that it unpacks into the fields
 * vet_record_parse() makes of it, its join id given. */
static void
round_trip(struct vet_reconcile__store *s, const char *line,
    const char *jid)
{
	struct vet_record a, b;
	struct vet_buf text = VET_BUF_INIT;
	struct vet_error err;
	struct vet_span id;
	size_t i, k = s->n;

	vet_record_init(&a);
	vet_record_init(&b);
	cr_assert_eq(vet_record_parse(&a, line, strlen(line), &err), 0);
	cr_assert_eq(vet_reconcile__store_add(s, &a,
	    (struct vet_span){ jid, strlen(jid) }), 0);
	cr_assert_eq(vet_reconcile__store_get(s, k, &b, &text, &id), 0);
	cr_assert_eq(id.n, strlen(jid));
	cr_assert(memcmp(id.p, jid, id.n) == 0, "%s", line);
	cr_assert_eq(b.n, a.n, "%s", line);
	for (i = 0; i < a.n; i++) {
		const struct vet_field *x = &a.fields[i], *y = &b.fields[i];

		cr_assert_eq(y->key.n, x->key.n, "%s", line);
		cr_assert(memcmp(y->key.p, x->key.p, x->key.n) == 0);
		cr_assert_eq(y->val.n, x->val.n, "%s field %zu", line, i);
		cr_assert(memcmp(y->val.p, x->val.p, x->val.n) == 0);
		cr_assert_eq(y->type, x->type, "%s field %zu", line, i);
		cr_assert_eq(y->key_escaped, x->key_escaped);
		/* The key is in quotes, as the reconciler decodes it. */
		cr_assert_eq(y->key.p[-1], '"');
	}
	/* The unpacked text is the record again, as JSON. */
	cr_assert_eq(vet_record_parse(&a, text.data, strlen(text.data),
	    &err), 0, "%s", text.data);
	cr_assert_eq(a.n, b.n);
	vet_record_release(&a);
	vet_record_release(&b);
	vet_buf_release(&text);
}

Test(reconcile_store, records_unpack_as_they_parsed)
{
	struct vet_reconcile__store s;
	char buf[18];
	struct vet_span id;
	uint64_t code;

	vet_reconcile__store_init(&s);
	round_trip(&s, "{\"id\":\"110105199001011232\",\"a\":true,"
	    "\"b\":false,\"c\":null,\"d\":-1.5e3,\"e\":\"\"}",
	    "110105199001011232");
	round_trip(&s, " { \"id\" : \"11010519900101123x\" , \"a\\\"\" :"
	    " [ 1 , { } ] , \"a\\\"\" : \"\\u00e9\\n\" } ",
	    "11010519900101123X");
	round_trip(&s, "{\"b\":{\"id\":1},\"id\":\"x\",\"x\":\"x\"}", "x");
	round_trip(&s, "{\"id\":\"999999999999999999\"}",
	    "99999999999999999X");
	round_trip(&s, "{}", "000000000000000000");
	/* A long string value and a long key take varints of two bytes. */
	round_trip(&s, "{\"id\":\"a\",\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
	    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
	    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\":"
	    "\"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
	    "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
	    "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\"}",
	    "a");
	cr_assert_eq(s.n, 6);
	vet_reconcile__store_id(&s, 1, buf, &id, &code);
	cr_assert_eq(id.n, 18);
	cr_assert(memcmp(id.p, "11010519900101123X", 18) == 0);
	cr_assert_eq(code, vet_reconcile__id18_code("11010519900101123X",
	    18));
	vet_reconcile__store_id(&s, 2, buf, &id, &code);
	cr_assert_eq(code, 0);
	cr_assert(id.n == 1 && id.p[0] == 'x');
	/* The key at a place of the record before is tried first: one of
	 * the same length there is still another key. */
	round_trip(&s, "{\"ab\":1,\"cd\":2}", "x");
	round_trip(&s, "{\"cd\":1,\"ab\":2}", "x");
	vet_reconcile__store_release(&s);
}

/* true, false, null and the join id as a value take a byte each, as
 * reconcile_impl.h says: the record below is the id's code (a byte and
 * eight), its count of fields, and a key number and a byte per field. */
Test(reconcile_store, literals_and_the_join_id_take_a_byte)
{
	struct vet_reconcile__store s;
	struct vet_record r;
	struct vet_error err;
	const char *line = "{\"id\":\"110105199001011232\",\"a\":true,"
	    "\"b\":false,\"c\":null}";

	vet_reconcile__store_init(&s);
	vet_record_init(&r);
	cr_assert_eq(vet_record_parse(&r, line, strlen(line), &err), 0);
	cr_assert_eq(vet_reconcile__store_add(&s, &r,
	    (struct vet_span){ line + 7, 18 }), 0);
	cr_assert_eq(s.pack.len, 1 + 8 + 1 + 4 * 2);
	vet_record_release(&r);
	vet_reconcile__store_release(&s);
}

/* What the extract costs: the usual record packs into under a third of
 * its text (the point of the store). */
Test(reconcile_store, usual_records_pack_small)
{
	struct vet_reconcile__store s;
	struct vet_record r;
	struct vet_error err;
	char line[512];
	size_t text = 0;
	int i, n;

	vet_reconcile__store_init(&s);
	vet_record_init(&r);
	for (i = 0; i < 1000; i++) {
		n = snprintf(line, sizeof line, "{\"id\":\"1101051990%08d\","
		    "\"name\":\"欧阳晨浩\",\"birth_date\":\"1990-01-01\","
		    "\"unemployment_registered\":%s,\"difficulty_certified\":"
		    "false,\"social_insurance_paid\":true}", i,
		    i % 3 ? "false" : "true");
		text += (size_t)n + 1;
		cr_assert_eq(vet_record_parse(&r, line, (size_t)n, &err), 0);
		cr_assert_eq(vet_reconcile__store_add(&s, &r,
		    (struct vet_span){ line + 7, 18 }), 0);
	}
	cr_assert_lt(s.pack.len * 3, text, "%zu of %zu", s.pack.len, text);
	cr_assert_eq(s.nkey, 6);
	vet_record_release(&r);
	vet_reconcile__store_release(&s);
}
