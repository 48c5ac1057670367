import json,sys,random
random.seed(int(sys.argv[1]))
CATS=["exited","out_of_scope","hard_to_place","employment_difficulty","flexible_employed","bogus_cat"]
for ln in sys.stdin:
    v=json.loads(ln)
    if random.random()<0.3:
        for _ in range(random.randint(1,3)):
            r=random.randint(0,16)
            if r==0: v.pop("categories",None)
            elif r==1: v.pop("priority",None)
            elif r==2: v["priority"]=random.choice([0,5,10,12,99,-1])
            elif r==3: v.setdefault("categories",[]).append(random.choice(CATS))
            elif r==4: v.pop("measures",None)
            elif r==5: v[random.choice(["education","skills","living_difficulty","household_employed","desired_industries","employment_status"])]=None
            elif r==6: v.pop("street",None)
            elif r==7: v["district"]=random.choice(["火星区","Zone","北京经济技术开发区","朝阳区"])
            elif r==8: v.pop("assisted_since",None)
            elif r==9: v["assisted_since"]=random.choice(["2026-01-31","2025-12-15","2026-08-31","2026-03-01"]); v.setdefault("categories",[]).append("hard_to_place")
            elif r==10: v["training_hours"]=random.choice([79.5,80,80.0,0,120.25])
            elif r==11: v.pop("as_of",None)
            elif r==12: v["skills"]=[]
            elif r==13: v["street"]=random.choice(["","a","街道\u00e9","Z街"]); v["community"]=random.choice(["","x","y社区"])
            elif r==14: v["employment_need"]=random.choice([True,None,False]); v["employment_status"]="unemployed"
            elif r==15: v.pop("training_hours",None)
            elif r==16: v["placement"]="autonomous"; v["discharge_date"]=random.choice(["2024-10-01","2024-09-30","2026-12-01","2025-06-15"])
    print(json.dumps(v,ensure_ascii=False))
