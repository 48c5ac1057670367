#!/usr/bin/env bash
# bench-jsonl.sh - times the record core (bench/jsonl-pass.c: parse, validate,
# append one field, write) against cat, jq and Miller on the same JSON Lines.
#
#   bench/bench-jsonl.sh [FILE.jsonl]
#
# Without FILE it generates N (default 1 000 000) veteran records into
# bench/out/ with bin/vet-gen when that exists, else with the awk generator
# below.  jq and Miller are much slower than the rest, so they run on the
# first PREFIX (default 100 000) lines only: throughput is a rate, so the
# figures compare, but the table says which input each tool read.
# Every figure is the median of 3 runs.  Environment: B (build dir holding
# libvet.a, default build), N, PREFIX, SEED.
set -eu
cd "$(dirname "$0")/.."

B=${B:-build}
N=${N:-1000000}
PREFIX=${PREFIX:-100000}
SEED=${SEED:-1}
OUT=bench/out
mkdir -p "$OUT"

[ -f "$B/libvet.a" ] || make B="$B" "$B/libvet.a"
# shellcheck disable=SC2046
cc -O2 -Iinclude -o "$OUT/jsonl-pass" bench/jsonl-pass.c "$B/libvet.a" \
    $(pkg-config --libs yaml-0.1 zlib) -lm

# Realistic veteran records of about 600 bytes with Chinese names,
# districts, streets and skills, and ids with a correct GB 11643 check
# character.
gen_awk() {
	awk -v n="$1" -v seed="$2" '
	function pick(a, k) { return a[int(rand() * k) + 1] }
	function arr(a, k, m,   s, i) {
		s = "["
		for (i = 0; i < m; i++)
			s = s (i ? "," : "") "\"" pick(a, k) "\""
		return s "]"
	}
	function b() { return rand() < 0.5 ? "true" : "false" }
	function d2(x) { return sprintf("%02d", x) }
	BEGIN {
		srand(seed)
		nd = split("东城区 西城区 朝阳区 海淀区 丰台区 石景山区 门头沟区 房山区 通州区 顺义区 昌平区 大兴区 怀柔区 平谷区 密云区 延庆区", dist, " ")
		split("110101 110102 110105 110108 110106 110107 110109 110111 110112 110113 110114 110115 110116 110117 110118 110119", area, " ")
		ns = split("建国门街道 朝阳门街道 和平里街道 望京街道 学院路街道 中关村街道 卢沟桥街道 八角街道 永顺镇 胜利街道 回龙观镇 黄村镇", street, " ")
		nsn = split("王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗", sur, " ")
		ng = split("建军 国强 志刚 海峰 卫东 晓明 红梅 丽娜 文博 子涵 永胜 立新 振华 秀英 俊杰", given, " ")
		nk = split("驾驶 电工 焊工 厨师 安保 计算机操作 仓储管理 机械维修 无人机操控 通信保障 消防 急救", skill, " ")
		ni = split("物流 安保 制造业 信息技术 建筑 餐饮 物业管理 交通运输 应急救援 社区服务", ind, " ")
		np = split("autonomous assigned retired supported other", plc, " ")
		ne = split("junior_high senior_high secondary_vocational junior_college bachelor master", edu, " ")
		nst = split("employed unemployed flexible self_employed not_seeking", st, " ")
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		split("1 0 X 9 8 7 6 5 4 3 2", chk, " ")
		for (r = 0; r < n; r++) {
			k = int(rand() * nd) + 1
			y = 1966 + int(rand() * 38); m = int(rand() * 12) + 1
			dd = int(rand() * 28) + 1
			id = area[k] y d2(m) d2(dd) sprintf("%03d", int(rand() * 1000))
			s = 0
			for (i = 1; i <= 17; i++)
				s += substr(id, i, 1) * w[i]
			id = id chk[s % 11 + 1]
			sex = substr(id, 17, 1) % 2 ? "M" : "F"
			printf("{\"id\":\"%s\",\"name\":\"%s%s\",\"sex\":\"%s\",\"birth_date\":\"%d-%s-%s\",", \
			    id, pick(sur, nsn), pick(given, ng), sex, y, d2(m), d2(dd))
			printf("\"phone\":\"13%09d\",\"district\":\"%s\",\"street\":\"%s\",\"community\":\"第%d社区\",", \
			    int(rand() * 1e9), dist[k], pick(street, ns), int(rand() * 30) + 1)
			printf("\"placement\":\"%s\",\"discharge_date\":\"%d-%s-%s\",\"education\":\"%s\",", \
			    pick(plc, np), 2010 + int(rand() * 16), d2(int(rand() * 12) + 1), d2(int(rand() * 28) + 1), pick(edu, ne))
			printf("\"skills\":%s,\"certificates\":[\"%s职业技能等级证书\"],", \
			    arr(skill, nk, int(rand() * 3) + 1), pick(skill, nk))
			printf("\"labor_capacity\":%s,\"employment_need\":%s,\"employment_status\":\"%s\",\"social_insurance_paid\":%s,", \
			    b(), b(), pick(st, nst), b())
			printf("\"desired_industries\":%s,\"desired_district\":\"%s\",\"desired_salary\":%d,", \
			    arr(ind, ni, int(rand() * 2) + 1), pick(dist, nd), 4000 + int(rand() * 80) * 100)
			printf("\"living_difficulty\":%s,\"household_working_age\":%d,\"household_employed\":%d,", \
			    b(), int(rand() * 4) + 1, int(rand() * 2))
			printf("\"unemployment_registered\":%s,\"training_hours\":%.1f,\"refusals\":%d,\"last_contact_date\":\"2026-%s-%s\"}\n", \
			    b(), rand() * 120, int(rand() * 4), d2(int(rand() * 9) + 1), d2(int(rand() * 28) + 1))
		}
	}'
}

if [ $# -ge 1 ]; then
	data=$1
	[ -r "$data" ] || { echo "bench-jsonl: cannot read '$data'" >&2; exit 66; }
else
	if [ -x bin/vet-gen ]; then gen=vet-gen; else gen=awk; fi
	data=$OUT/veterans-$gen-$N-$SEED.jsonl
	if [ ! -s "$data" ]; then
		echo "generating $N records with $gen" >&2
		if [ $gen = vet-gen ]; then
			bin/vet-gen --kind veteran -n "$N" --seed "$SEED" > "$data.tmp"
		else
			gen_awk "$N" "$SEED" > "$data.tmp"
		fi
		mv "$data.tmp" "$data"
	fi
fi
prefix=$OUT/prefix-$PREFIX.jsonl
head -n "$PREFIX" "$data" > "$prefix"

# The output must be valid JSON Lines with one record per input line.
"$OUT/jsonl-pass" < "$prefix" 2>/dev/null | jq -c . > /dev/null ||
    { echo "bench-jsonl: jsonl-pass output is not valid JSON" >&2; exit 1; }

# Prints the median wall time of 3 runs of "$@" < $in.
median3() {
	local in=$1 i t0 t1
	shift
	for i in 1 2 3; do
		t0=$EPOCHREALTIME
		"$@" < "$in" > /dev/null 2>&1
		t1=$EPOCHREALTIME
		echo "$t0 $t1" | awk '{ printf("%.6f\n", $2 - $1) }'
	done | sort -n | sed -n 2p
}

size() { wc -c < "$1" | tr -d ' '; }

t_cat=$(median3 "$data" cat)
t_jq=$(median3 "$prefix" jq -c .)
t_mlr=$(median3 "$prefix" mlr --ijsonl --ojsonl cat)
t_pass=$(median3 "$data" "$OUT/jsonl-pass")
t_pass_p=$(median3 "$prefix" "$OUT/jsonl-pass")

full_b=$(size "$data")
pre_b=$(size "$prefix")
full_n=$(wc -l < "$data" | tr -d ' ')

awk -v fb="$full_b" -v pb="$pre_b" -v fn="$full_n" -v pn="$PREFIX" \
    -v cat="$t_cat" -v jq="$t_jq" -v mlr="$t_mlr" -v pass="$t_pass" \
    -v passp="$t_pass_p" -v file="$data" 'BEGIN {
	jqr = pb / 1e6 / jq
	printf("input: %s, %d records, %.1f MB (%.0f bytes a record)\n",
	    file, fn, fb / 1e6, fb / fn)
	printf("jq and mlr read the first %d records (%.1f MB) only: they are\n",
	    pn, pb / 1e6)
	printf("too slow for the whole file; MB/s is comparable across inputs.\n")
	printf("median of 3 runs each\n\n")
	printf("%-28s %10s %9s %10s %9s\n", "command", "input", "seconds",
	    "MB/s", "x jq")
	row("cat", "full", fb, cat)
	row("jq -c .", "prefix", pb, jq)
	row("mlr --ijsonl --ojsonl cat", "prefix", pb, mlr)
	row("jsonl-pass", "full", fb, pass)
	row("jsonl-pass", "prefix", pb, passp)
}
function row(name, which, bytes, t,   r) {
	r = bytes / 1e6 / t
	printf("%-28s %10s %9.3f %10.1f %9.1f\n", name, which, t, r, r / jqr)
}'
