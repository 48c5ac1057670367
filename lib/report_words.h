/*
 * report_words.h - private to lib/report*.c: the report's own words, its
 * headings and column names, in Chinese and English (the categories,
 * links and checks are labelled by the policy).  One list: X(key, zh, en)
 * makes enum rf_wkey (W_key, report_table.h) and the table rf_word()
 * reads (report_table.c), so that a word asked for and not in the list is
 * a compile error rather than its key printed in the report.
 */
#ifndef VET_REPORT_WORDS_H
#define VET_REPORT_WORDS_H

#define RF_WORDS(X) \
	/* Not available: ASCII, because terminals in a CJK locale draw the \
	 * ambiguous-width em dash two columns wide. */ \
	X(na, "-", "-") \
	/* Unknown (no --events): not "-", which says none was due. */ \
	X(unknown, "?", "?") \
	/* A figure below its target; U+2717 is narrow in every terminal. */ \
	X(breach, "\xE2\x9C\x97", "\xE2\x9C\x97") \
	X(title, "退役军人就业服务季度报表", \
	    "Veterans employment services: quarterly report") \
	X(period, "报告期", "Period") \
	X(as_of, "统计截止", "As of") \
	X(policy, "政策", "Policy") \
	X(veterans, "退役军人人数", "Veterans") \
	X(action, "需帮扶人数", "Need action") \
	X(suppressed_label, "隐去", "Suppressed") \
	X(headline, "需帮扶人员（在帮扶范围内且未就业，按最紧迫类别，每人计一次）", \
	    "Veterans who need action (in scope, not employed), by most " \
	    "urgent category, each counted once") \
	X(no_category, "无类别", "no category") \
	X(planned, "应达", "Planned") \
	X(delivered, "已达", "Delivered") \
	X(rate, "达成率", "Delivered rate") \
	X(posts, "岗位数", "Posts") \
	X(legend, "说明", "Legend") \
	X(legend_na, "无应达对象（不适用）", "none due (not applicable)") \
	X(legend_unknown, "未知：未提供事件日志 --events", \
	    "unknown: no --events given") \
	X(legend_breach, "低于目标（应达而未达）", \
	    "below target (planned, not delivered)") \
	X(legend_pd, "已达/应达：事件日志显示本期已落实的人数/政策要求的人数", \
	    "delivered/planned: served this period (the event log) / due " \
	    "(the policy)") \
	X(change_table, "环比（与上期相比）", "Change against the previous " \
	    "period") \
	X(figure, "指标", "Figure") \
	X(now, "本期", "This period") \
	X(to, "至", "to") \
	X(suppressed, "人数少于 %ld 的单元及其互补单元共 %zu 个已隐去", \
	    "%2$zu groups suppressed (fewer than %1$ld veterans, or " \
	    "complementary)") \
	X(totals, "分类合计", "Categories, total") \
	X(category, "类别", "Category") \
	X(count, "人数", "Count") \
	X(previous, "上期", "Previous") \
	X(change, "变化", "Change") \
	X(by_district, "分类统计（按区）", "Categories by district") \
	X(by_street, "分类统计（按街道、乡镇）", "Categories by street") \
	X(by_community, "分类统计（按社区、村）", \
	    "Categories by community") \
	X(district, "区", "District") \
	X(street, "街道（乡镇）", "Street") \
	X(community, "社区（村）", "Community") \
	X(total, "合计", "Total") \
	X(blank, "（未填）", "(blank)") \
	X(priority_mix, "优先级构成", "Priority mix") \
	X(priority, "优先级", "Priority") \
	X(none, "无", "none") \
	X(share, "占比", "Share") \
	X(chain, "帮扶链条", "Assistance chain") \
	X(link, "环节", "Link") \
	X(reached, "覆盖人数", "Reached") \
	X(compliance, "合规指标", "Compliance") \
	X(training, "适应性培训达标率", "Adaptive training met") \
	X(contact, "挂账人员每月联系率", "Monthly contact (hard to place)") \
	X(consult, "本期会商次数", "Consultations") \
	X(fairs, "本年专场招聘会", "Job fairs this year") \
	X(scorecard, "六有评分", "Six-haves scorecard") \
	X(six_policy, "有政策可依", "Policy to follow") \
	X(six_staff, "有人员服务", "Staff service") \
	X(six_files, "有档案信息", "Information files") \
	X(six_data, "有数据支撑", "Data support") \
	X(six_jobs, "有岗位供给", "Job supply") \
	X(six_channels, "有渠道帮扶", "Assistance channels") \
	X(findings, "审计发现", "Audit findings") \
	X(check, "检查项", "Check") \
	X(fig_districts, "各区需帮扶人数（按最紧迫类别，每人计一次）", \
	    "Veterans who need action, by district and most urgent category " \
	    "(each counted once)") \
	X(fig_funnel, "帮扶链条各环节：应达与已达", \
	    "The links of the chain: planned and delivered") \
	X(nfindings, "条数", "Findings") \
	/* The sheets of the workbook (xlsx), in their order. */ \
	X(sheet_overview, "概况", "Overview") \
	X(sheet_categories, "分类", "Categories") \
	X(sheet_chain, "帮扶链条", "Chain") \
	X(sheet_compliance, "合规", "Compliance") \
	X(sheet_scorecard, "六有", "Six haves") \
	X(sheet_findings, "审计发现", "Findings") \
	X(sheet_change, "环比", "Change")

#endif
