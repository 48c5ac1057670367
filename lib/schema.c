/*
 * schema.c - the record kinds of SPEC 2 as tables (schema.h).
 *
 * A code list is written once, one line per code with its labels, as an
 * X-macro: the codes, the Chinese and the English labels become three
 * NULL-terminated arrays in the same order, which is what the mapping,
 * the rule symbol table and vet-match's indexes want.
 */
#include <string.h>

#include "vet/schema.h"

#define C_CODE(c, zh, en) c,
#define C_ZH(c, zh, en) zh,
#define C_EN(c, zh, en) en,
#define CODE_TABLE(L) \
	static const char *const L##_codes[] = { L(C_CODE) NULL }; \
	static const char *const L##_zh[] = { L(C_ZH) NULL }; \
	static const char *const L##_en[] = { L(C_EN) NULL };

#define SEX(X) \
	X("M", "男", "male") \
	X("F", "女", "female")
#define TRACK(X) \
	X("worker", "工人", "worker") \
	X("cadre", "干部", "cadre")
#define PLACEMENT(X) \
	X("autonomous", "自主就业", "autonomous employment") \
	X("assigned", "安排工作", "assigned work") \
	X("retired", "退休", "retired") \
	X("supported", "供养", "supported") \
	X("other", "其他", "other")
/* In the order of SPEC 2.1, lowest first: vet-match compares them. */
#define EDUCATION(X) \
	X("primary", "小学", "primary school") \
	X("junior_high", "初中", "junior high school") \
	X("senior_high", "高中", "senior high school") \
	X("secondary_vocational", "中专(职高、技校)", "secondary vocational") \
	X("junior_college", "大专", "junior college") \
	X("bachelor", "本科", "bachelor") \
	X("master", "硕士", "master") \
	X("doctor", "博士", "doctor")
#define STATUS(X) \
	X("employed", "已就业", "employed") \
	X("unemployed", "未就业", "unemployed") \
	X("flexible", "灵活就业", "flexible employment") \
	X("self_employed", "自主创业(个体经营)", "self-employed") \
	X("student", "在校", "student") \
	X("not_seeking", "暂无意愿", "not seeking work")
#define POST(X) \
	X("market", "市场岗位", "market post") \
	X("dedicated", "退役军人专岗", "dedicated post") \
	X("directed", "定向招聘", "directed recruitment") \
	X("public_welfare", "公益性岗位", "public welfare post")
#define EVENT(X) \
	X("contact", "联系", "contact") \
	X("consultation", "会商", "consultation") \
	X("training", "培训", "training") \
	X("job_fair", "专场招聘", "job fair") \
	X("referral", "推荐", "referral") \
	X("exit", "退出", "exit") \
	X("reentry", "重新纳入", "reentry")
#define CHANNEL(X) \
	X("visit", "走访", "visit") \
	X("phone", "电话", "phone") \
	X("forum", "座谈", "forum") \
	X("online", "线上", "online")
#define COURSE(X) \
	X("adaptive", "适应性培训", "adaptive training") \
	X("vocational", "职业技能培训", "vocational training")
#define OUTCOME(X) \
	X("hired", "录用", "hired") \
	X("declined_by_employer", "用人单位未录用", "declined by the employer") \
	X("refused", "本人拒绝", "refused") \
	X("pending", "待定", "pending")

CODE_TABLE(SEX)
CODE_TABLE(TRACK)
CODE_TABLE(PLACEMENT)
CODE_TABLE(EDUCATION)
CODE_TABLE(STATUS)
CODE_TABLE(POST)
CODE_TABLE(EVENT)
CODE_TABLE(CHANNEL)
CODE_TABLE(COURSE)
CODE_TABLE(OUTCOME)

/* A field of no codes, one of codes L, and a dated one. */
#define F(name, type, flags, zh, en, headers) \
	{ name, type, flags, zh, en, headers, NULL, NULL, NULL, NULL, NULL }
#define E(name, flags, zh, en, headers, L, values) \
	{ name, VET_FT_ENUM, flags, zh, en, headers, L##_codes, L##_zh, \
	  L##_en, values, NULL }
#define D(name, type, flags, zh, en, headers, dated) \
	{ name, type, flags, zh, en, headers, NULL, NULL, NULL, NULL, dated }

#define REQ VET_SF_REQUIRED
#define MONTH VET_SF_MONTH

#define EDU_WORDS "职高=secondary_vocational|技校=secondary_vocational|" \
	"中专=secondary_vocational|中专（职高、技校）=secondary_vocational|" \
	"中技=secondary_vocational|专科=junior_college|" \
	"大学专科=junior_college|大学本科=bachelor|大学=bachelor|" \
	"研究生=master|硕士研究生=master|博士研究生=doctor|高职=junior_college"

/* The veteran record, SPEC 2.1, in its order.  Extracts share it. */
static const struct vet_schema_field veteran[] = {
	F("id", VET_FT_ID, REQ, "身份证号码", "ID number",
	  "身份证号|公民身份号码|身份证|证件号码|公民身份证号码|公民身份证号|"
	  "身份证件号码"),
	F("name", VET_FT_STRING, REQ, "姓名", "name", NULL),
	E("sex", 0, "性别", "sex", NULL, SEX, "男性=M|女性=F"),
	F("birth_date", VET_FT_DATE, 0, "出生日期", "date of birth", NULL),
	E("retirement_track", 0, "人员身份", "retirement track", "退休类别",
	  TRACK, NULL),
	F("phone", VET_FT_PHONE, 0, "联系电话", "phone",
	  "手机号码|手机号|手机|电话|联系方式|联系电话号码|移动电话"),
	F("district", VET_FT_DISTRICT, REQ, "所在区", "district",
	  "区|所属区|区县|所在区县|所属区县|区(县)"),
	F("street", VET_FT_STRING, 0, "街道/乡镇", "street",
	  "街道|乡镇|街道(乡镇)|街道（乡镇）|所在街道|街乡|街(镇)|所属街道|"
	  "现居住街道|居住街道|所在街道(乡镇)"),
	F("community", VET_FT_STRING, 0, "社区/村", "community",
	  "社区|村|社区(村)|社区（村）|所在社区|所属社区|现居住社区|居住社区"),
	E("placement", 0, "安置方式", "placement", NULL, PLACEMENT,
	  "自谋职业=autonomous|逐月领取退役金=autonomous"),
	F("discharge_date", VET_FT_DATE, MONTH, "退役时间", "discharge date",
	  "退役日期|退伍时间|退伍日期"),
	F("report_date", VET_FT_DATE, MONTH, "返乡报到日期", "report date",
	  "报到日期|报到时间|返乡报到时间"),
	E("education", 0, "学历", "education",
	  "文化程度|入伍前学历|最高学历|文化水平", EDUCATION, EDU_WORDS),
	F("skills", VET_FT_ARRAY, 0, "技能", "skills", "专业技能|技能特长"),
	F("certificates", VET_FT_ARRAY, 0, "职业技能等级证书", "certificates",
	  "证书|技能证书|职业资格证书|职业技能证书"),
	F("labor_capacity", VET_FT_BOOL, 0, "有无劳动能力", "labour capacity",
	  "劳动能力|是否有劳动能力|是否具有劳动能力"),
	F("employment_need", VET_FT_BOOL, 0, "就业需求", "employment need",
	  "是否有就业需求|有无就业需求|是否有就业意愿|有无就业意愿|就业意愿"),
	E("employment_status", 0, "就业状态", "employment status",
	  "就业情况|就业状况|当前就业状态|目前就业状态", STATUS,
	  "自主创业=self_employed|个体经营=self_employed|"
	  "自主创业（个体经营）=self_employed|失业=unemployed|待业=unemployed|"
	  "在读=student|无就业意愿=not_seeking|暂无就业意愿=not_seeking"),
	F("social_insurance_paid", VET_FT_BOOL, 0, "是否缴纳社保",
	  "social insurance paid", "缴纳社保|社保缴纳|是否缴纳社会保险|"
	  "社保缴纳情况"),
	F("desired_industries", VET_FT_ARRAY, 0, "就业诉求",
	  "desired industries", "意向行业|求职意向"),
	F("desired_district", VET_FT_STRING, 0, "意向就业区域",
	  "desired district", "期望就业地区"),
	F("desired_salary", VET_FT_INT, 0, "期望薪资", "desired salary",
	  "期望月薪|期望工资"),
	F("living_difficulty", VET_FT_BOOL, 0, "生活困难", "living difficulty",
	  "是否生活困难|生活是否困难"),
	F("household_working_age", VET_FT_INT, 0, "家庭劳动年龄人数",
	  "household members of working age", "家庭有劳动能力人数"),
	F("household_employed", VET_FT_INT, 0, "家庭就业人数",
	  "household members employed", NULL),
	D("unemployment_registered", VET_FT_BOOL, 0, "是否登记失业",
	  "unemployment registered", "失业登记|是否已登记失业|失业登记情况|"
	  "是否失业登记|是否已失业登记|是否办理失业登记",
	  "unemployment_registered_date"),
	F("unemployment_registered_date", VET_FT_DATE, 0, "失业登记日期",
	  "unemployment registration date", "登记失业日期|失业登记时间"),
	F("job_seeking_registered", VET_FT_BOOL, 0, "是否求职登记",
	  "job seeking registered", "求职登记|是否已求职登记|求职登记情况"),
	D("difficulty_certified", VET_FT_BOOL, 0, "是否认定就业困难",
	  "employment difficulty certified", "就业困难认定|是否就业困难人员|"
	  "是否已认定就业困难|就业困难人员认定情况",
	  "difficulty_certified_date"),
	F("difficulty_certified_date", VET_FT_DATE, 0, "就业困难认定日期",
	  "difficulty certification date", NULL),
	D("assisted_since", VET_FT_DATE, MONTH, "帮扶开始日期", "assisted since",
	  "开始帮扶日期", "assisted_since"),
	F("training_hours", VET_FT_NUMBER, 0, "培训学时", "training hours",
	  "适应性培训学时"),
	F("refusals", VET_FT_INT, 0, "拒绝次数", "refusals",
	  "无正当理由拒绝次数"),
	F("last_contact_date", VET_FT_DATE, 0, "最近联系日期",
	  "last contact date", "最后联系日期"),
	D("exited", VET_FT_BOOL, 0, "是否退出", "exited", "退出帮扶",
	  "exit_date"),
	F("exit_date", VET_FT_DATE, 0, "退出日期", "exit date", NULL),
	F("exit_reason", VET_FT_STRING, 0, "退出原因", "exit reason", NULL),
};

static const struct vet_schema_field job[] = {
	F("job_id", VET_FT_STRING, REQ, "岗位编号", "post number", "岗位代码"),
	F("title", VET_FT_STRING, REQ, "岗位名称", "title", "职位名称"),
	F("employer", VET_FT_STRING, 0, "用人单位", "employer",
	  "招聘单位|单位名称"),
	F("district", VET_FT_DISTRICT, 0, "所在区", "district", "区|工作地区"),
	F("street", VET_FT_STRING, 0, "街道/乡镇", "street", "街道|乡镇"),
	F("industry", VET_FT_STRING, 0, "行业", "industry", "所属行业"),
	F("openings", VET_FT_INT, 0, "招聘人数", "openings", "岗位数量"),
	E("min_education", 0, "学历要求", "minimum education", "最低学历",
	  EDUCATION, EDU_WORDS),
	F("max_age", VET_FT_INT, 0, "年龄上限", "maximum age", "最高年龄"),
	F("required_skills", VET_FT_ARRAY, 0, "技能要求", "required skills",
	  NULL),
	F("salary", VET_FT_INT, 0, "薪资", "salary", "月薪|工资"),
	F("posted_date", VET_FT_DATE, 0, "发布日期", "posted", NULL),
	F("expires_date", VET_FT_DATE, 0, "截止日期", "expires", "有效期至"),
	E("post_type", 0, "岗位类型", "post type", NULL, POST, "专岗=dedicated"),
};

static const struct vet_schema_field event[] = {
	E("type", REQ, "类型", "type", "事件类型", EVENT, NULL),
	F("id", VET_FT_ID, 0, "身份证号", "ID number", "公民身份号码|身份证号码"),
	F("district", VET_FT_DISTRICT, 0, "所在区", "district", "区"),
	F("date", VET_FT_DATE, REQ, "日期", "date", NULL),
	E("channel", 0, "方式", "channel", "联系方式", CHANNEL,
	  "上门=visit|网络=online"),
	F("staff", VET_FT_STRING, 0, "工作人员", "staff", "经办人"),
	F("departments", VET_FT_ARRAY, 0, "参会部门", "departments", NULL),
	F("ids", VET_FT_ARRAY, 0, "涉及人员", "ids", NULL),
	F("hours", VET_FT_NUMBER, 0, "学时", "hours", NULL),
	E("course", 0, "培训类型", "course", NULL, COURSE,
	  "适应性=adaptive|职业技能=vocational"),
	F("job_id", VET_FT_STRING, 0, "岗位编号", "post number", NULL),
	F("posts", VET_FT_INT, 0, "岗位数", "posts", NULL),
	F("attendees", VET_FT_INT, 0, "参会人数", "attendees", NULL),
	E("outcome", 0, "结果", "outcome", NULL, OUTCOME, NULL),
	F("valid_reason", VET_FT_BOOL, 0, "正当理由", "valid reason",
	  "是否正当理由"),
	/* A referral's post (SPEC 2.2), which vet-report counts by. */
	E("post_type", 0, "岗位类型", "post type", NULL, POST, "专岗=dedicated"),
	F("reason", VET_FT_STRING, 0, "原因", "reason", NULL),
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define LIST(...) (const char *const[]){ __VA_ARGS__, NULL }

/* SPEC 2.2; required as vet-intake checks an event of the type. */
const struct vet_schema_event vet_schema_events[] = {
	{ "contact", LIST("id", "date", "channel", "staff"), LIST("id") },
	{ "consultation", LIST("district", "date", "departments", "ids"),
	  LIST("district") },
	{ "training", LIST("id", "date", "hours", "course"), LIST("id") },
	{ "job_fair", LIST("district", "date", "posts", "attendees"),
	  LIST("district") },
	{ "referral", LIST("id", "job_id", "date", "outcome", "valid_reason",
	  "post_type"),
	  LIST("id", "job_id") },
	{ "exit", LIST("id", "date", "reason"), LIST("id") },
	{ "reentry", LIST("id", "date", "reason"), LIST("id") },
	{ NULL, NULL, NULL }
};

/* SPEC "Spreadsheets as they arrive"; the full-width dash and slash too,
 * since the check comes before full-width folding. */
const char *const vet_schema_unknown_words[] = { "不详", "未知", "待核实",
	"-", "/", "—", "－", "／", NULL };
/* In a list column these win over the unknown words: "-" is []. */
const char *const vet_schema_none_words[] = { "无", "暂无", "没有", "-", "/",
	"－", "／", NULL };

const char *const vet_schema_bool_words[] = {
	"是", "true", "有", "true", "yes", "true", "y", "true", "1", "true",
	"true", "true", "√", "true", "✓", "true", "已", "true",
	"否", "false", "无", "false", "no", "false", "n", "false", "0", "false",
	"false", "false", "×", "false", "未", "false",
	"已登记", "true", "未登记", "false", NULL
};

const char *const vet_schema_file_fields[] = {
	"education", "skills", "household_working_age", "household_employed",
	"employment_status", "living_difficulty", NULL
};
const char *const vet_schema_file_need_fields[] = { "desired_industries",
	NULL };
const char vet_schema_file_need_if[] = "employment_need";

const char *const vet_schema_match_not[] = { "out_of_scope", "exited",
	NULL };
const char vet_schema_match_need[] = "employment_need";
const char vet_schema_match_status[] = "employment_status";
const char vet_schema_match_status_code[] = "unemployed";

const char vet_schema_duty_since[] = "assisted_since";
const char vet_schema_duty_param[] = "hard_to_place_after_months";

vet_day
vet_schema_duty_start(vet_day since, int months)
{
	return vet_date_month_start(vet_date_add_months(since, months));
}

const struct vet_schema_field *
vet_schema_fields(enum vet_kind k, size_t *n)
{
	switch (k) {
	case VET_KIND_VETERAN:
	case VET_KIND_EXTRACT:
		*n = NELEM(veteran);
		return veteran;
	case VET_KIND_JOB:
		*n = NELEM(job);
		return job;
	case VET_KIND_EVENT:
		*n = NELEM(event);
		return event;
	case VET_KIND_RAW:
		break;
	}
	*n = 0;
	return NULL;
}

const struct vet_schema_field *
vet_schema_field(enum vet_kind k, const char *name)
{
	const struct vet_schema_field *f;
	size_t i, n;

	f = vet_schema_fields(k, &n);
	/* The first byte first: vet-export asks once per column. */
	for (i = 0; i < n; i++)
		if (f[i].name[0] == name[0] && strcmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}

int
vet_schema_required(enum vet_kind k, const struct vet_schema_field *f)
{
	/* An extract is keyed by id and holds what its bureau knows: only
	 * the id is required of it. */
	if (k == VET_KIND_EXTRACT)
		return strcmp(f->name, "id") == 0;
	return (f->flags & VET_SF_REQUIRED) != 0;
}

int
vet_schema_code_index(const struct vet_schema_field *f, const char *code,
    size_t n)
{
	int i;

	if (f->codes == NULL)
		return -1;
	for (i = 0; f->codes[i] != NULL; i++)
		if (strncmp(f->codes[i], code, n) == 0 &&
		    f->codes[i][n] == '\0')
			return i;
	return -1;
}

const char *
vet_schema_field_label(enum vet_kind k, const char *name, const char *lang)
{
	const struct vet_schema_field *f = vet_schema_field(k, name);

	if (f == NULL)
		return NULL;
	return strcmp(lang, "en") == 0 ? f->en : f->zh;
}

const char *
vet_schema_code_label(const char *field, const char *code, const char *lang)
{
	static const enum vet_kind kinds[] = { VET_KIND_VETERAN, VET_KIND_JOB,
		VET_KIND_EVENT };
	const struct vet_schema_field *f;
	size_t i;
	int c;

	for (i = 0; i < NELEM(kinds); i++) {
		if ((f = vet_schema_field(kinds[i], field)) == NULL ||
		    (c = vet_schema_code_index(f, code, strlen(code))) < 0)
			continue;
		return strcmp(lang, "en") == 0 ? f->codes_en[c] :
		    f->codes_zh[c];
	}
	return NULL;
}

const struct vet_schema_event *
vet_schema_event(const char *type, size_t n)
{
	const struct vet_schema_event *e;

	for (e = vet_schema_events; e->type != NULL; e++)
		if (strncmp(e->type, type, n) == 0 && e->type[n] == '\0')
			return e;
	return NULL;
}

/*
 * The headers of fields that no record kind above declares but that the
 * tools add to records (vet-classify, vet-audit, vet-match, vet-reconcile,
 * the rejects): vet-export heads its columns with them.  Pairs of field
 * and header, one field a line.
 */
/* The first raw word of list "raw=code|raw=code" meaning code (n bytes),
 * its length in *len. */
static const char *
value_word(const char *p, const char *code, size_t n, size_t *len)
{
	const char *q, *eq;

	for (; p != NULL && *p != '\0'; p = *q == '|' ? q + 1 : q) {
		q = p + strcspn(p, "|");
		if ((eq = memchr(p, '=', (size_t)(q - p))) != NULL &&
		    (size_t)(q - eq - 1) == n && memcmp(eq + 1, code, n) == 0) {
			*len = (size_t)(eq - p);
			return p;
		}
	}
	return NULL;
}

const char *
vet_schema_word(const struct vet_schema_field *f, const char *code, size_t n,
    size_t *len)
{
	const char *const *w;
	const char *s;
	int i;

	if ((i = vet_schema_code_index(f, code, n)) >= 0) {
		*len = strlen(f->codes_zh[i]);
		return f->codes_zh[i];
	}
	if ((s = value_word(f->values, code, n, len)) != NULL)
		return s;
	if (f->type == VET_FT_BOOL)
		for (w = vet_schema_bool_words; *w != NULL; w += 2)
			if (strncmp(w[1], code, n) == 0 && w[1][n] == '\0') {
				*len = strlen(w[0]);
				return w[0];
			}
	return NULL;
}

static const char *const added_labels[] = {
	"age", "年龄",
	"working_age", "是否劳动年龄",
	"categories", "人员类别",
	"priority", "优先级",
	"measures", "帮扶措施",
	"reasons", "依据",
	"policy", "政策",
	"as_of", "统计截止日期",
	"check", "检查项",
	"clause", "政策条款",
	"severity", "严重程度",
	"detail", "说明",
	"period", "期间",
	"rank", "推荐顺序",
	"score", "匹配得分",
	"diff", "差异类型",
	"field", "字段",
	"fields", "字段",
	"ledger", "台账值",
	"extract", "比对值",
	"authority", "以比对值为准",
	"hint", "核查提示",
	"reconciled", "比对情况",
	NULL
};

const char *
vet_schema_added_label(const char *field)
{
	size_t i;

	for (i = 0; added_labels[i] != NULL; i += 2)
		if (strcmp(added_labels[i], field) == 0)
			return added_labels[i + 1];
	return NULL;
}
