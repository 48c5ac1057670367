# classify.jq - the default policy's categories, priority and measures
# (SPEC 3, "The default policy, exactly") as a jq program, for
# bench/bench-classify.sh.  Call with --arg asof YYYY-MM-DD.  Sex and birth
# date come from the id when absent, as in vet-classify.  It computes
# the same age, working_age, categories, priority and measures as
# vet-classify but not the reasons, so it does less work.
def ymd: split("-") | map(tonumber);
def A: $asof | ymd;
def msince($d): ($d | ymd) as [$y, $m, $dd] | A as [$ay, $am, $ad]
  | ($ay - $y) * 12 + ($am - $m) - (if $ad < $dd then 1 else 0 end);
def mdays($y; $m): if $m == 2 then
    (if ($y % 4 == 0 and $y % 100 != 0) or $y % 400 == 0 then 29 else 28 end)
  elif ($m == 4 or $m == 6 or $m == 9 or $m == 11) then 30 else 31 end;
def lt($a; $b): $a[0] < $b[0] or ($a[0] == $b[0] and ($a[1] < $b[1] or ($a[1] == $b[1] and $a[2] < $b[2])));
(.birth_date // (.id[6:10] + "-" + .id[10:12] + "-" + .id[12:14])) as $birth
| (.sex // (if (.id[16:17] | tonumber) % 2 == 1 then "M" else "F" end)) as $sex
| ($birth | ymd) as [$by, $bm, $bd]
| A as [$ay, $am, $ad]
| ($ay - $by - (if lt([0, $am, $ad]; [0, $bm, $bd]) then 1 else 0 end)) as $age
| (if $sex == "M" then [60, 1965 * 12, 4, 36]
   elif .retirement_track == "cadre" then [55, 1970 * 12, 4, 36]
   else [50, 1975 * 12, 2, 60] end) as [$base, $from, $div, $cap]
| ($by * 12 + $bm - 1) as $bmi
| (if $bmi >= $from then ([(($bmi - $from) / $div | floor) + 1, $cap] | min) else 0 end) as $delay
| ($bmi + $base * 12 + $delay) as $r
| (($r / 12) | floor) as $ry | ($r % 12 + 1) as $rm
| ([$bd, mdays($ry; $rm)] | min) as $rd
| ($age >= 16 and lt([$ay, $am, $ad]; [$ry, $rm, $rd])) as $wa
| (.training_hours // 0) as $th | (.refusals // 0) as $ref
# `//` would replace false too: only an absent labor_capacity is true.
| (if .labor_capacity == null then true else .labor_capacity end) as $lc
| (.certificates // []) as $certs
| (.unemployment_registered // false) as $ur
| (.difficulty_certified // false) as $dc
| (.living_difficulty // false) as $ld
| (.social_insurance_paid // false) as $sip
| . as $rec | .employment_status as $es
| ($es == "unemployed") as $unemp
| (.exited // false) as $exited
| (($wa | not) or $lc == false or .employment_need == false) as $oos
| ($ur == true and $unemp) as $ru
| (($oos | not) and .employment_need == true and $unemp and $ur != true) as $nr
| ($dc == true and $wa and $unemp) as $ed
| ((.household_working_age // 0) > 0 and .household_employed == 0) as $zef
| (($oos | not) and $unemp and $dc != true and ($zef or $ld == true
    or ($sex == "F" and $age >= 40) or ($sex == "M" and $age >= 50)
    or (.unemployment_registered_date != null and msince(.unemployment_registered_date) >= 12))) as $cand
| ($ed and .assisted_since != null and msince(.assisted_since) >= 6) as $htp
| (.placement == "autonomous" and $th < 80 and .discharge_date != null and msince(.discharge_date) < 24) as $ti
| ($ref >= 3 or (.assisted_since != null and $oos)) as $exc
| (($oos | not) and .employment_need == true and $unemp) as $need
| if $exited then
    [["exited", 9]] as $cats
    | . + {age: $age, working_age: $wa, categories: ["exited"], priority: 9, measures: [], policy: "beijing-2023", as_of: $asof}
  else
    [["out_of_scope", 9, $oos], ["employed", 9, $es == "employed"],
     ["flexible_employed", 9, $es == "flexible"],
     ["self_employed", 9, $es == "self_employed"],
     ["registered_unemployed", 4, $ru], ["needs_registration", 4, $nr],
     ["employment_difficulty", 2, $ed], ["zero_employment_family", 3, $zef],
     ["difficulty_candidate", 3, $cand], ["hard_to_place", 1, $htp],
     ["training_incomplete", 9, $ti], ["exit_candidate", 9, $exc]]
    | map(select(.[2])) as $held
    | ([9] + ($held | map(.[1])) | min) as $p0
    | (if $p0 > 5 and $need then 5 else $p0 end) as $prio
    | [["adaptive_training", $ti], ["unemployment_registration", $nr],
       ["difficulty_certification", $cand], ["one_on_one", $ed],
       ["public_welfare_post", $htp], ["monthly_contact", $htp],
       ["quarterly_consultation", $htp], ["job_recommendation", $need],
       ["expectation_guidance", $need],
       ["vocational_training", $need and ($certs | length) == 0],
       ["startup_subsidy", $es == "self_employed"],
       ["tax_incentive", $es == "self_employed"],
       ["social_insurance_subsidy", $es == "flexible" and $sip == true],
       ["unemployment_insurance", $ru]] as $m
    | $rec + {age: $age, working_age: $wa, categories: ($held | map(.[0])),
           priority: $prio, measures: ($m | map(select(.[1]) | .[0])),
           policy: "beijing-2023", as_of: $asof}
  end
