/*
 * mapping.c - record kinds, the built-in header and value mapping, and the
 * YAML map file (mapping.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vet/mapping.h"
#include "vet/yaml.h"

/*
 * A built-in field: its headers separated by '|' (the field's own name is
 * always a header too) and its values as "raw=code" pairs separated by '|'.
 */
struct spec {
	const char *name;
	enum vet_ftype type;
	int required;
	const char *headers;
	const char *values;
	const char *const *codes;
};

static const char *const sex_codes[] = { "M", "F", NULL };
static const char *const track_codes[] = { "worker", "cadre", NULL };
static const char *const placement_codes[] = { "autonomous", "assigned",
	"retired", "supported", "other", NULL };
static const char *const education_codes[] = { "primary", "junior_high",
	"senior_high", "secondary_vocational", "junior_college", "bachelor",
	"master", "doctor", NULL };
static const char *const status_codes[] = { "employed", "unemployed",
	"flexible", "self_employed", "student", "not_seeking", NULL };
static const char *const post_codes[] = { "market", "dedicated",
	"directed", "public_welfare", NULL };
static const char *const event_codes[] = { "contact", "consultation",
	"training", "job_fair", "referral", "exit", "reentry", NULL };
static const char *const channel_codes[] = { "visit", "phone", "forum",
	"online", NULL };
static const char *const course_codes[] = { "adaptive", "vocational", NULL };
static const char *const outcome_codes[] = { "hired",
	"declined_by_employer", "refused", "pending", NULL };

#define SEX_VALUES "男=M|女=F|男性=M|女性=F"
#define EDU_VALUES "小学=primary|初中=junior_high|高中=senior_high|" \
	"中专=secondary_vocational|职高=secondary_vocational|" \
	"技校=secondary_vocational|中专(职高、技校)=secondary_vocational|" \
	"中专（职高、技校）=secondary_vocational|中技=secondary_vocational|" \
	"大专=junior_college|专科=junior_college|大学专科=junior_college|" \
	"本科=bachelor|大学本科=bachelor|大学=bachelor|硕士=master|" \
	"研究生=master|硕士研究生=master|博士=doctor|博士研究生=doctor"

/* The veteran record, SPEC 2.1, in its order.  Extracts share it. */
static const struct spec veteran_spec[] = {
	{ "id", VET_FT_ID, 1, "身份证号码|身份证号|公民身份号码|身份证|证件号码",
	  NULL, NULL },
	{ "name", VET_FT_STRING, 1, "姓名", NULL, NULL },
	{ "sex", VET_FT_ENUM, 0, "性别", SEX_VALUES, sex_codes },
	{ "birth_date", VET_FT_DATE, 0, "出生日期", NULL, NULL },
	{ "retirement_track", VET_FT_ENUM, 0, "人员身份|退休类别",
	  "工人=worker|干部=cadre", track_codes },
	{ "phone", VET_FT_PHONE, 0, "联系电话|手机号码|手机号|手机|电话|联系方式",
	  NULL, NULL },
	{ "district", VET_FT_DISTRICT, 1, "所在区|区|所属区|区县", NULL, NULL },
	{ "street", VET_FT_STRING, 0,
	  "街道/乡镇|街道|乡镇|街道(乡镇)|街道（乡镇）|所在街道|街乡", NULL, NULL },
	{ "community", VET_FT_STRING, 0,
	  "社区/村|社区|村|社区(村)|社区（村）|所在社区", NULL, NULL },
	{ "placement", VET_FT_ENUM, 0, "安置方式",
	  "自主就业=autonomous|安排工作=assigned|退休=retired|供养=supported|"
	  "其他=other", placement_codes },
	{ "discharge_date", VET_FT_DATE, 0, "退役时间|退役日期", NULL, NULL },
	{ "report_date", VET_FT_DATE, 0, "返乡报到日期|报到日期|报到时间",
	  NULL, NULL },
	{ "education", VET_FT_ENUM, 0, "学历|文化程度", EDU_VALUES,
	  education_codes },
	{ "skills", VET_FT_ARRAY, 0, "技能|专业技能|技能特长", NULL, NULL },
	{ "certificates", VET_FT_ARRAY, 0, "职业技能等级证书|证书|技能证书",
	  NULL, NULL },
	{ "labor_capacity", VET_FT_BOOL, 0,
	  "有无劳动能力|劳动能力|是否有劳动能力", NULL, NULL },
	{ "employment_need", VET_FT_BOOL, 0,
	  "就业需求|是否有就业需求|有无就业需求", NULL, NULL },
	{ "employment_status", VET_FT_ENUM, 0, "就业状态|就业情况",
	  "已就业=employed|未就业=unemployed|灵活就业=flexible|"
	  "自主创业=self_employed|个体经营=self_employed|"
	  "自主创业(个体经营)=self_employed|自主创业（个体经营）=self_employed|"
	  "在校=student|暂无意愿=not_seeking", status_codes },
	{ "social_insurance_paid", VET_FT_BOOL, 0,
	  "是否缴纳社保|缴纳社保|社保缴纳", NULL, NULL },
	{ "desired_industries", VET_FT_ARRAY, 0, "就业诉求|意向行业|求职意向",
	  NULL, NULL },
	{ "desired_district", VET_FT_STRING, 0, "意向就业区域|期望就业地区",
	  NULL, NULL },
	{ "desired_salary", VET_FT_INT, 0, "期望薪资|期望月薪|期望工资",
	  NULL, NULL },
	{ "living_difficulty", VET_FT_BOOL, 0, "生活困难|是否生活困难",
	  NULL, NULL },
	{ "household_working_age", VET_FT_INT, 0,
	  "家庭劳动年龄人数|家庭有劳动能力人数", NULL, NULL },
	{ "household_employed", VET_FT_INT, 0, "家庭就业人数", NULL, NULL },
	{ "unemployment_registered", VET_FT_BOOL, 0, "是否登记失业|失业登记",
	  NULL, NULL },
	{ "unemployment_registered_date", VET_FT_DATE, 0,
	  "失业登记日期|登记失业日期", NULL, NULL },
	{ "job_seeking_registered", VET_FT_BOOL, 0, "是否求职登记|求职登记",
	  NULL, NULL },
	{ "difficulty_certified", VET_FT_BOOL, 0,
	  "是否认定就业困难|就业困难认定|是否就业困难人员", NULL, NULL },
	{ "difficulty_certified_date", VET_FT_DATE, 0, "就业困难认定日期",
	  NULL, NULL },
	{ "assisted_since", VET_FT_DATE, 0, "帮扶开始日期|开始帮扶日期",
	  NULL, NULL },
	{ "training_hours", VET_FT_NUMBER, 0, "培训学时|适应性培训学时",
	  NULL, NULL },
	{ "refusals", VET_FT_INT, 0, "拒绝次数|无正当理由拒绝次数", NULL, NULL },
	{ "last_contact_date", VET_FT_DATE, 0, "最近联系日期|最后联系日期",
	  NULL, NULL },
	{ "exited", VET_FT_BOOL, 0, "是否退出|退出帮扶", NULL, NULL },
	{ "exit_date", VET_FT_DATE, 0, "退出日期", NULL, NULL },
	{ "exit_reason", VET_FT_STRING, 0, "退出原因", NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

static const struct spec job_spec[] = {
	{ "job_id", VET_FT_STRING, 1, "岗位编号|岗位代码", NULL, NULL },
	{ "title", VET_FT_STRING, 1, "岗位名称|职位名称", NULL, NULL },
	{ "employer", VET_FT_STRING, 0, "用人单位|招聘单位|单位名称", NULL, NULL },
	{ "district", VET_FT_DISTRICT, 0, "所在区|区|工作地区", NULL, NULL },
	{ "street", VET_FT_STRING, 0, "街道/乡镇|街道|乡镇", NULL, NULL },
	{ "industry", VET_FT_STRING, 0, "行业|所属行业", NULL, NULL },
	{ "openings", VET_FT_INT, 0, "招聘人数|岗位数量", NULL, NULL },
	{ "min_education", VET_FT_ENUM, 0, "学历要求|最低学历", EDU_VALUES,
	  education_codes },
	{ "max_age", VET_FT_INT, 0, "年龄上限|最高年龄", NULL, NULL },
	{ "required_skills", VET_FT_ARRAY, 0, "技能要求", NULL, NULL },
	{ "salary", VET_FT_INT, 0, "薪资|月薪|工资", NULL, NULL },
	{ "posted_date", VET_FT_DATE, 0, "发布日期", NULL, NULL },
	{ "expires_date", VET_FT_DATE, 0, "截止日期|有效期至", NULL, NULL },
	{ "post_type", VET_FT_ENUM, 0, "岗位类型",
	  "市场岗位=market|退役军人专岗=dedicated|专岗=dedicated|"
	  "定向招聘=directed|公益性岗位=public_welfare", post_codes },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

static const struct spec event_spec[] = {
	{ "type", VET_FT_ENUM, 1, "类型|事件类型",
	  "联系=contact|会商=consultation|培训=training|专场招聘=job_fair|"
	  "推荐=referral|退出=exit|重新纳入=reentry", event_codes },
	{ "id", VET_FT_ID, 0, "身份证号码|身份证号|公民身份号码", NULL, NULL },
	{ "district", VET_FT_DISTRICT, 0, "所在区|区", NULL, NULL },
	{ "date", VET_FT_DATE, 1, "日期", NULL, NULL },
	{ "channel", VET_FT_ENUM, 0, "方式|联系方式",
	  "走访=visit|上门=visit|电话=phone|座谈=forum|线上=online|网络=online",
	  channel_codes },
	{ "staff", VET_FT_STRING, 0, "工作人员|经办人", NULL, NULL },
	{ "departments", VET_FT_ARRAY, 0, "参会部门", NULL, NULL },
	{ "ids", VET_FT_ARRAY, 0, "涉及人员", NULL, NULL },
	{ "hours", VET_FT_NUMBER, 0, "学时", NULL, NULL },
	{ "course", VET_FT_ENUM, 0, "培训类型",
	  "适应性培训=adaptive|适应性=adaptive|职业技能培训=vocational|"
	  "职业技能=vocational", course_codes },
	{ "job_id", VET_FT_STRING, 0, "岗位编号", NULL, NULL },
	{ "posts", VET_FT_INT, 0, "岗位数", NULL, NULL },
	{ "attendees", VET_FT_INT, 0, "参会人数", NULL, NULL },
	{ "outcome", VET_FT_ENUM, 0, "结果",
	  "录用=hired|用人单位未录用=declined_by_employer|本人拒绝=refused|"
	  "待定=pending", outcome_codes },
	{ "valid_reason", VET_FT_BOOL, 0, "正当理由|是否正当理由", NULL, NULL },
	{ "reason", VET_FT_STRING, 0, "原因", NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

static const char *const bool_words[] = {
	"是", "true", "有", "true", "yes", "true", "y", "true", "1", "true",
	"true", "true", "√", "true", "✓", "true", "已", "true",
	"否", "false", "无", "false", "no", "false", "n", "false", "0", "false",
	"false", "false", "×", "false", "未", "false", NULL
};

/*
 * The headers of fields that no record kind above declares but that the
 * tools add to records (vet-classify, vet-audit, vet-match, vet-reconcile,
 * the rejects): vet-export heads its columns with them.  Pairs of field
 * and header, one field a line.
 */
static const char *const added_headers[] = {
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

/* In a list column, the words that mean the empty list (SPEC 3,
 * vet-intake); the first is the one vet-export writes. */
static const char *const empty_list_words[] = {
	"无", "暂无", "没有", "-", "/", NULL
};

static const char *const type_names[] = {
	"string", "id", "phone", "district", "date", "bool", "int", "number",
	"array", "enum", NULL
};

int
vet_kind_parse(const char *s, enum vet_kind *out)
{
	static const char *const names[] = { "veteran", "job", "event",
		"extract", "raw", NULL };
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum vet_kind)i;
			return 0;
		}
	return VET_EUSAGE;
}

const char *
vet_kind_name(enum vet_kind k)
{
	static const char *const names[] = { "veteran", "job", "event",
		"extract", "raw" };

	return names[k];
}

int
vet_ftype_parse(const char *s, enum vet_ftype *out)
{
	int i;

	for (i = 0; type_names[i] != NULL; i++)
		if (strcmp(s, type_names[i]) == 0) {
			*out = (enum vet_ftype)i;
			return 0;
		}
	return VET_EUSAGE;
}

static void *
grow(void *p, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *q;

	if (n < *cap)
		return p;
	c = *cap ? *cap * 2 : 16;
	if ((q = realloc(p, c * size)) == NULL)
		return NULL;
	*cap = c;
	return q;
}

static char *
dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static uint64_t
fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Rebuilds the header hash table; it is at most half full. */
static int
rehash(struct vet_mapping *m)
{
	size_t cap = 64, i, j;
	struct vet_map_header *h;

	while (cap < m->nheaders * 2 + 2)
		cap *= 2;
	free(m->hash);
	if ((m->hash = calloc(cap, sizeof *m->hash)) == NULL)
		return VET_ENOMEM;
	m->hashcap = cap;
	for (i = 0; i < m->nheaders; i++) {
		h = &m->headers[i];
		j = fnv(h->text, strlen(h->text)) & (cap - 1);
		while (m->hash[j] != 0)
			j = (j + 1) & (cap - 1);
		m->hash[j] = i + 1;
	}
	return 0;
}

static long
find_header(const struct vet_mapping *m, const char *s, size_t n)
{
	size_t j, k;
	const char *t;

	if (m->hashcap == 0)
		return -1;
	j = fnv(s, n) & (m->hashcap - 1);
	while ((k = m->hash[j]) != 0) {
		t = m->headers[k - 1].text;
		if (strncmp(t, s, n) == 0 && t[n] == '\0')
			return (long)(k - 1);
		j = (j + 1) & (m->hashcap - 1);
	}
	return -1;
}

/* Maps header text to field f, replacing an earlier mapping of it. */
static int
set_header(struct vet_mapping *m, const char *s, size_t n, size_t f)
{
	long k = find_header(m, s, n);
	struct vet_map_header *h;

	if (k >= 0) {
		m->headers[k].field = f;
		return 0;
	}
	h = grow(m->headers, &m->capheaders, m->nheaders, sizeof *h);
	if (h == NULL)
		return VET_ENOMEM;
	m->headers = h;
	if ((h[m->nheaders].text = dupn(s, n)) == NULL)
		return VET_ENOMEM;
	h[m->nheaders++].field = f;
	if (m->nheaders * 2 + 2 > m->hashcap)
		return rehash(m);
	/* Insert the new header without rebuilding. */
	{
		size_t j = fnv(s, n) & (m->hashcap - 1);

		while (m->hash[j] != 0)
			j = (j + 1) & (m->hashcap - 1);
		m->hash[j] = m->nheaders;
	}
	return 0;
}

static int
set_value(struct vet_map_value **vals, size_t *nv, size_t *cap,
    const char *raw, size_t rn, const char *code)
{
	struct vet_map_value *v;
	size_t i;
	char *c;

	if ((c = strdup(code)) == NULL)
		return VET_ENOMEM;
	for (i = 0; i < *nv; i++)
		if (strncmp((*vals)[i].raw, raw, rn) == 0 &&
		    (*vals)[i].raw[rn] == '\0') {
			free((*vals)[i].code);
			(*vals)[i].code = c;
			return 0;
		}
	if ((v = grow(*vals, cap, *nv, sizeof *v)) == NULL) {
		free(c);
		return VET_ENOMEM;
	}
	*vals = v;
	if ((v[*nv].raw = dupn(raw, rn)) == NULL) {
		free(c);
		return VET_ENOMEM;
	}
	v[(*nv)++].code = c;
	return 0;
}

static long
add_field(struct vet_mapping *m, const char *name, enum vet_ftype type,
    int required, const char *const *codes)
{
	struct vet_map_field *f;
	size_t n = strlen(name);

	f = grow(m->fields, &m->capfields, m->nfields, sizeof *f);
	if (f == NULL)
		return VET_ENOMEM;
	m->fields = f;
	f = &m->fields[m->nfields];
	memset(f, 0, sizeof *f);
	f->name = strdup(name);
	/* Field names come from the tables or from YAML keys that were
	 * checked to be plain identifiers, so they need no escaping. */
	f->jkey = malloc(n + 4);
	if (f->name == NULL || f->jkey == NULL) {
		free(f->name);
		free(f->jkey);
		return VET_ENOMEM;
	}
	f->jkey[0] = '"';
	memcpy(f->jkey + 1, name, n);
	memcpy(f->jkey + 1 + n, "\":", 3);
	f->jkeylen = n + 3;
	f->type = type;
	f->required = required;
	f->codes = codes;
	m->nfields++;
	if (set_header(m, name, n, m->nfields - 1) < 0)
		return VET_ENOMEM;
	return (long)(m->nfields - 1);
}

static int
load_spec(struct vet_mapping *m, const struct spec *s)
{
	const char *p, *q, *eq;
	long f;

	for (; s->name != NULL; s++) {
		f = add_field(m, s->name, s->type, s->required, s->codes);
		if (f < 0)
			return (int)f;
		for (p = s->headers; p != NULL && *p != '\0'; p = q) {
			q = strchr(p, '|');
			if (set_header(m, p, q ? (size_t)(q - p) : strlen(p),
			    (size_t)f) < 0)
				return VET_ENOMEM;
			q = q ? q + 1 : p + strlen(p);
		}
		for (p = s->values; p != NULL && *p != '\0'; p = q) {
			char code[64];
			size_t cn;

			q = strchr(p, '|');
			if (q == NULL)
				q = p + strlen(p);
			eq = memchr(p, '=', (size_t)(q - p));
			cn = (size_t)(q - eq - 1);
			memcpy(code, eq + 1, cn);
			code[cn] = '\0';
			if (set_value(&m->fields[f].values, &m->fields[f].nvalues,
			    &m->fields[f].capvalues, p, (size_t)(eq - p),
			    code) < 0)
				return VET_ENOMEM;
			if (*q == '|')
				q++;
		}
	}
	return 0;
}

int
vet_mapping_init(struct vet_mapping *m, enum vet_kind kind)
{
	const struct spec *s = NULL;
	size_t i;
	int rc;

	memset(m, 0, sizeof *m);
	m->kind = kind;
	if ((rc = rehash(m)) < 0)
		return rc;
	switch (kind) {
	case VET_KIND_VETERAN:
	case VET_KIND_EXTRACT:
		s = veteran_spec;
		break;
	case VET_KIND_JOB:
		s = job_spec;
		break;
	case VET_KIND_EVENT:
		s = event_spec;
		break;
	case VET_KIND_RAW:
		return 0;
	}
	if ((rc = load_spec(m, s)) < 0)
		return rc;
	/* An extract is keyed by id and holds what its bureau knows: only the
	 * id is required of it. */
	if (kind == VET_KIND_EXTRACT)
		for (i = 0; i < m->nfields; i++)
			m->fields[i].required = strcmp(m->fields[i].name,
			    "id") == 0;
	for (i = 0; bool_words[i] != NULL; i += 2)
		if ((rc = set_value(&m->booleans, &m->nbooleans,
		    &m->capbooleans, bool_words[i], strlen(bool_words[i]),
		    bool_words[i + 1])) < 0)
			return rc;
	return 0;
}

static void
free_values(struct vet_map_value *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].raw);
		free(v[i].code);
	}
	free(v);
}

void
vet_mapping_release(struct vet_mapping *m)
{
	size_t i;

	for (i = 0; i < m->nfields; i++) {
		free(m->fields[i].name);
		free(m->fields[i].jkey);
		free_values(m->fields[i].values, m->fields[i].nvalues);
	}
	free(m->fields);
	for (i = 0; i < m->nheaders; i++)
		free(m->headers[i].text);
	free(m->headers);
	free_values(m->booleans, m->nbooleans);
	free(m->hash);
	memset(m, 0, sizeof *m);
}

long
vet_mapping_header(const struct vet_mapping *m, const char *h, size_t n)
{
	long k = find_header(m, h, n);

	return k < 0 ? -1 : (long)m->headers[k].field;
}

long
vet_mapping_field(const struct vet_mapping *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nfields; i++)
		if (strcmp(m->fields[i].name, name) == 0)
			return (long)i;
	return -1;
}

static const char *
lookup(const struct vet_map_value *v, size_t nv, const char *s, size_t n,
    int nocase)
{
	size_t i;

	for (i = 0; i < nv; i++)
		if ((nocase ? strncasecmp(v[i].raw, s, n) :
		    strncmp(v[i].raw, s, n)) == 0 && v[i].raw[n] == '\0')
			return v[i].code;
	return NULL;
}

const char *
vet_mapping_value(const struct vet_mapping *m, size_t f, const char *v,
    size_t n)
{
	const struct vet_map_field *fd = &m->fields[f];
	const char *c;
	size_t i;

	/* Canonical records already hold codes: try them exactly first. */
	if (fd->type == VET_FT_BOOL) {
		if (n == 4 && memcmp(v, "true", 4) == 0)
			return "true";
		if (n == 5 && memcmp(v, "false", 5) == 0)
			return "false";
	} else if (fd->codes != NULL) {
		for (i = 0; fd->codes[i] != NULL; i++)
			if (strncmp(fd->codes[i], v, n) == 0 &&
			    fd->codes[i][n] == '\0')
				return fd->codes[i];
	}
	if ((c = lookup(fd->values, fd->nvalues, v, n, 0)) != NULL)
		return c;
	if (fd->type == VET_FT_BOOL)
		return lookup(m->booleans, m->nbooleans, v, n, 1);
	if (fd->codes != NULL) {
		for (i = 0; fd->codes[i] != NULL; i++)
			if (strncasecmp(fd->codes[i], v, n) == 0 &&
			    fd->codes[i][n] == '\0')
				return fd->codes[i];
		return NULL;
	}
	/* An enum declared in a map file: its codes are its values' codes. */
	for (i = 0; i < fd->nvalues; i++)
		if (strncmp(fd->values[i].code, v, n) == 0 &&
		    fd->values[i].code[n] == '\0')
			return fd->values[i].code;
	return NULL;
}

/*
 * The map file.
 */

static int
code_ok(const struct vet_map_field *f, const char *code)
{
	size_t i;

	if (f->type == VET_FT_BOOL)
		return strcmp(code, "true") == 0 || strcmp(code, "false") == 0;
	if (f->codes == NULL)
		return 1;
	for (i = 0; f->codes[i] != NULL; i++)
		if (strcmp(f->codes[i], code) == 0)
			return 1;
	return 0;
}

static int
want(const struct vet_yaml_doc *d, const struct vet_yaml_node *n,
    enum vet_yaml_kind k, const char *what, struct vet_error *err)
{
	static const char *const kn[] = { "a scalar", "a list", "a mapping" };

	if (n != NULL && n->kind == k)
		return 0;
	if (n == NULL)
		return vet_error_set(err, VET_ECONFIG, d->file, 0, 0,
		    "%s must be %s", what, kn[k]);
	return vet_yaml_error(d, n, err, "%s must be %s", what, kn[k]);
}

static int
load_field(struct vet_mapping *m, const struct vet_yaml_doc *d,
    const struct vet_yaml_node *key, const struct vet_yaml_node *def,
    struct vet_error *err)
{
	const struct vet_yaml_node *k, *v, *type = NULL, *values = NULL,
	    *req = NULL;
	struct vet_map_field *f;
	enum vet_ftype t = VET_FT_STRING;
	long fi;
	size_t i;
	int rc;

	if (!vet_yaml_is_name(key->str))
		return vet_yaml_error(d, key, err, "field name '%s' is not "
		    "lower-case snake_case", key->str);
	if ((rc = want(d, def, VET_YAML_MAP, "a field definition", err)) < 0)
		return rc;
	for (i = 0; i < def->n; i++) {
		k = def->keys[i];
		v = def->items[i];
		if (strcmp(k->str, "type") == 0)
			type = v;
		else if (strcmp(k->str, "values") == 0)
			values = v;
		else if (strcmp(k->str, "required") == 0)
			req = v;
		else
			return vet_yaml_error(d, k, err, "unknown key '%s' in "
			    "field '%s'", k->str, key->str);
	}
	fi = vet_mapping_field(m, key->str);
	if (type != NULL) {
		if ((rc = want(d, type, VET_YAML_SCALAR, "type", err)) < 0)
			return rc;
		if (vet_ftype_parse(type->str, &t) < 0)
			return vet_yaml_error(d, type, err, "unknown type '%s'",
			    type->str);
	}
	if (fi < 0) {
		if ((fi = add_field(m, key->str, t, 0, NULL)) < 0)
			return (int)fi;
	} else if (type != NULL && m->fields[fi].type != t) {
		m->fields[fi].type = t;
		m->fields[fi].codes = NULL;
	}
	f = &m->fields[fi];
	if (req != NULL) {
		if ((rc = want(d, req, VET_YAML_SCALAR, "required", err)) < 0)
			return rc;
		if (strcmp(req->str, "true") == 0)
			f->required = 1;
		else if (strcmp(req->str, "false") == 0)
			f->required = 0;
		else
			return vet_yaml_error(d, req, err, "required must be "
			    "true or false, not '%s'", req->str);
	}
	if (values == NULL)
		return 0;
	if ((rc = want(d, values, VET_YAML_MAP, "values", err)) < 0)
		return rc;
	if (f->type != VET_FT_ENUM && f->type != VET_FT_BOOL &&
	    f->type != VET_FT_DISTRICT)
		return vet_yaml_error(d, values, err, "values are only for "
		    "enum, bool and district fields, and '%s' is %s",
		    f->name, type_names[f->type]);
	for (i = 0; i < values->n; i++) {
		v = values->items[i];
		if ((rc = want(d, v, VET_YAML_SCALAR, "a value code",
		    err)) < 0)
			return rc;
		if (f->type != VET_FT_DISTRICT && !code_ok(f, v->str))
			return vet_yaml_error(d, v, err, "unknown code '%s' for "
			    "field '%s'", v->str, f->name);
		if (set_value(&f->values, &f->nvalues, &f->capvalues,
		    values->keys[i]->str, values->keys[i]->len, v->str) < 0)
			return VET_ENOMEM;
	}
	return 0;
}

static int
load_booleans(struct vet_mapping *m, const struct vet_yaml_doc *d,
    const struct vet_yaml_node *b, struct vet_error *err)
{
	const struct vet_yaml_node *k, *list, *w;
	size_t i, j;
	int rc;

	if ((rc = want(d, b, VET_YAML_MAP, "booleans", err)) < 0)
		return rc;
	for (i = 0; i < b->n; i++) {
		k = b->keys[i];
		list = b->items[i];
		if (strcmp(k->str, "true") != 0 && strcmp(k->str, "false") != 0)
			return vet_yaml_error(d, k, err, "unknown key '%s' in "
			    "booleans (true or false)", k->str);
		if ((rc = want(d, list, VET_YAML_SEQ, k->str, err)) < 0)
			return rc;
		for (j = 0; j < list->n; j++) {
			w = list->items[j];
			if ((rc = want(d, w, VET_YAML_SCALAR, "a word",
			    err)) < 0)
				return rc;
			if (set_value(&m->booleans, &m->nbooleans,
			    &m->capbooleans, w->str, w->len, k->str) < 0)
				return VET_ENOMEM;
		}
	}
	return 0;
}

int
vet_mapping_load(struct vet_mapping *m, const char *file, const char *p,
    size_t n, struct vet_error *err)
{
	struct vet_yaml_doc doc;
	const struct vet_yaml_node *root, *k, *v, *headers = NULL,
	    *fields = NULL, *booleans = NULL;
	enum vet_kind kind;
	size_t i;
	long f;
	int rc;

	if ((rc = vet_yaml_load(&doc, file, p, n, err)) < 0)
		return rc;
	root = doc.root;
	rc = 0;
	if (root == NULL)
		goto out;
	if ((rc = want(&doc, root, VET_YAML_MAP, "the map file", err)) < 0)
		goto out;
	for (i = 0; i < root->n; i++) {
		k = root->keys[i];
		v = root->items[i];
		if (strcmp(k->str, "kind") == 0) {
			if ((rc = want(&doc, v, VET_YAML_SCALAR, "kind",
			    err)) < 0)
				goto out;
			if (vet_kind_parse(v->str, &kind) < 0) {
				rc = vet_yaml_error(&doc, v, err,
				    "unknown kind '%s'", v->str);
				goto out;
			}
			if (kind != m->kind) {
				rc = vet_yaml_error(&doc, v, err, "the map is "
				    "for kind '%s' but --kind is '%s'", v->str,
				    vet_kind_name(m->kind));
				goto out;
			}
		} else if (strcmp(k->str, "headers") == 0)
			headers = v;
		else if (strcmp(k->str, "fields") == 0)
			fields = v;
		else if (strcmp(k->str, "booleans") == 0)
			booleans = v;
		else {
			rc = vet_yaml_error(&doc, k, err, "unknown key '%s'",
			    k->str);
			goto out;
		}
	}
	/* Fields first, so that headers may name the fields declared. */
	if (fields != NULL) {
		if ((rc = want(&doc, fields, VET_YAML_MAP, "fields", err)) < 0)
			goto out;
		for (i = 0; i < fields->n; i++)
			if ((rc = load_field(m, &doc, fields->keys[i],
			    fields->items[i], err)) < 0)
				goto out;
	}
	if (headers != NULL) {
		if ((rc = want(&doc, headers, VET_YAML_MAP, "headers",
		    err)) < 0)
			goto out;
		for (i = 0; i < headers->n; i++) {
			k = headers->keys[i];
			v = headers->items[i];
			if ((rc = want(&doc, v, VET_YAML_SCALAR, "a field name",
			    err)) < 0)
				goto out;
			if ((f = vet_mapping_field(m, v->str)) < 0) {
				rc = vet_yaml_error(&doc, v, err, "unknown field "
				    "'%s' (declare it under fields)", v->str);
				goto out;
			}
			if ((rc = set_header(m, k->str, k->len,
			    (size_t)f)) < 0)
				goto out;
		}
	}
	if (booleans != NULL)
		rc = load_booleans(m, &doc, booleans, err);
out:
	if (rc == VET_ENOMEM)
		vet_error_set(err, rc, file, 0, 0, "out of memory");
	vet_yaml_release(&doc);
	return rc;
}

/*
 * The words vet-export writes, looked up in the same tables that
 * vet-intake reads, so that what one writes the other reads back.
 */
const char *
vet_mapping_label(const struct vet_mapping *m, size_t f)
{
	size_t i;

	for (i = 0; i < m->nheaders; i++)
		if (m->headers[i].field == f &&
		    strcmp(m->headers[i].text, m->fields[f].name) != 0)
			return m->headers[i].text;
	return NULL;
}

const char *
vet_mapping_word(const struct vet_mapping *m, size_t f, const char *code)
{
	const struct vet_map_field *fd = &m->fields[f];
	size_t i;

	for (i = 0; i < fd->nvalues; i++)
		if (strcmp(fd->values[i].code, code) == 0)
			return fd->values[i].raw;
	if (fd->type == VET_FT_BOOL)
		for (i = 0; i < m->nbooleans; i++)
			if (strcmp(m->booleans[i].code, code) == 0)
				return m->booleans[i].raw;
	return NULL;
}

const char *
vet_mapping_added_header(const char *field)
{
	size_t i;

	for (i = 0; added_headers[i] != NULL; i += 2)
		if (strcmp(added_headers[i], field) == 0)
			return added_headers[i + 1];
	return NULL;
}

int
vet_mapping_is_empty_list(const char *s, size_t n)
{
	size_t i;

	for (i = 0; empty_list_words[i] != NULL; i++)
		if (strlen(empty_list_words[i]) == n &&
		    memcmp(empty_list_words[i], s, n) == 0)
			return 1;
	return 0;
}

const char *
vet_mapping_empty_list_word(void)
{
	return empty_list_words[0];
}
