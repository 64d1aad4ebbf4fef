# SPDX-License-Identifier: MIT
"""fixture.py — canned hall states for the test stand-in server (fake_server.py).

Owns: a realistic hall as the caller publishes it (docs/protocol.md shapes: state/hall,
state/service/*, state/counter/*, the retained state/alerts of the console contract,
status/* relayed as devices/*), a small roster for the stand-in's sign-in, and the
citizen tickets behind a few tokens. Times are made relative to now in the hall's zone
(+08:00) so the pages' clocks read sensibly. Nothing here is the engine: it is scenery
for page screenshots and page-logic tests.
"""

import datetime as _dt

ZONE = _dt.timezone(_dt.timedelta(hours=8))

SECRET = "1234"  # every stand-in account's secret

# staff_id → account. A name with markup in it checks that pages show it as text.
ROSTER = {
    "1001": {"name": "王芳", "roles": ["staff"], "counters": ["c01", "c02", "c03"]},
    "1002": {"name": "李静", "roles": ["staff", "guide"], "counters": ["c04"]},
    "1099": {"name": '<img src=x onerror="window.__pwned=1">赵<b class="pwn">磊</b>', "roles": ["staff"], "counters": ["c05"]},
    "2001": {"name": "陈晨", "roles": ["guide"], "counters": []},
    "3001": {"name": "张伟", "roles": ["supervisor", "staff"], "counters": ["c01", "c02", "c03", "c04", "c05", "c06"]},
    "4001": {"name": "刘洋", "roles": ["admin"], "counters": []},
    "1003": {"name": "孙浩", "roles": ["staff"], "counters": ["c01"], "locked": True},
    "1004": {"name": "马超", "roles": ["staff"], "counters": ["c01"], "disabled": True},
}


# The hall's "now" for the canned times: the real clock, or a fixed moment (shots.py sets one,
# and the same in the browser, so the screenshots come out the same every time).
FIXED_NOW = None


def now():
    return FIXED_NOW or _dt.datetime.now(ZONE)


def iso(minutes_ago=0.0):
    t = now() - _dt.timedelta(minutes=minutes_ago)
    return t.replace(microsecond=0).isoformat()


def today():
    return int(now().strftime("%Y%m%d"))


SERVICES = [
    ("A", "社保业务", "Social Insurance", 900, 14, 3),
    ("B", "医保业务", "Medical Insurance", 900, 9, 1),
    ("C", "住房公积金", "Housing Provident Fund", 1200, 6, 0),
    ("D", "不动产登记", "Real Estate Registration", 1800, 11, 2),
    ("E", "税务", "Taxation", 900, 4, 0),
    ("QY", "企业开办", "Business Start-up", 1500, 2, 0),
]

STAFF_AT = ["王芳", "李静", "张伟", "刘洋", "陈晨", "杨帆", "赵磊", "黄丽", "周婷", "吴刚", "徐敏", "孙浩"]


def service_states():
    out = {}
    for code, zh, en, target, waiting, prio in SERVICES:
        out["service/" + code] = {
            "service": code, "name": zh, "name_en": en, "open": code != "QY", "next_open": None if code != "QY" else iso(-60),
            "waiting": waiting, "waiting_priority": prio, "next_ticket": "%s%03d" % (code, 40 + waiting),
            "last_called": "%s%03d" % (code, 25 + waiting), "day": today(), "ewt_s": waiting * 260,
            "target_service_s": target,
            # proposed, not yet in docs/protocol.md: the pages show it when the caller publishes it
            "oldest_wait_s": waiting * 330,
        }
    return out


def counter_state(cid, number, status, ticket=None, service="A", staff=None, message="", since_min=5.0,
                  serving_s=0, overrun=False, priority="none", call_count=1, services=None):
    return {
        "counter": cid, "number": number, "name": "%d号窗口" % number, "name_en": "Window %d" % number,
        "status": status, "staff_id": None if status == "closed" else str(1000 + number),
        "staff_name": None if status == "closed" else staff, "message": message, "since": iso(since_min),
        "ticket": ticket, "service": service if ticket else None, "priority": priority if ticket else None,
        "call_count": call_count if ticket else 0, "serving_s": serving_s, "overrun": overrun,
        "services": services or ["A", "B"],  # proposed: the services the counter serves, in its order
    }


def counter_states():
    c = {}
    c["c01"] = counter_state("c01", 1, "serving", "A012", "A", "王芳", since_min=11.9, serving_s=714,
                             priority="elderly", call_count=2, services=["A", "B"])
    # proposed, not yet in docs/protocol.md: the counter's own figures and the next call by the policy
    c["c01"]["today"] = {"served": 23, "mean_service_s": 512, "satisfaction_pct": 97.1}
    c["c01"]["next"] = {"ticket": "A019", "rule": "green-first", "text": "绿色通道优先 / green channel first (strict)"}
    c["c02"] = counter_state("c02", 2, "serving", "B027", "B", "李静", since_min=4, serving_s=240, services=["B"])
    c["c03"] = counter_state("c03", 3, "paused", None, "A", "张伟", message="去3楼档案室取材料，10分钟后回",
                             since_min=6, services=["A", "C"])
    c["c04"] = counter_state("c04", 4, "serving", "D008", "D", "刘洋", since_min=34, serving_s=2040, overrun=True,
                             services=["D"])
    c["c05"] = counter_state("c05", 5, "idle", None, "A", "陈晨", since_min=1, services=["A", "E"])
    c["c06"] = counter_state("c06", 6, "serving", "C015", "C", "杨帆", since_min=2, serving_s=130, services=["C"])
    c["c07"] = counter_state("c07", 7, "closed", services=["E"])
    c["c08"] = counter_state("c08", 8, "serving", "E019", "E", "黄丽", since_min=9, serving_s=560, services=["E", "A"])
    c["c09"] = counter_state("c09", 9, "paused", None, "A", "周婷", message="交接班，请稍候", since_min=2,
                             services=["A"])
    c["c10"] = counter_state("c10", 10, "serving", "A011", "A", "吴刚", since_min=7, serving_s=420, services=["A"])
    return {"counter/" + k: v for k, v in c.items()}


def hall_state():
    return {
        "site": "tianhe-zwfw", "name": "天河区政务服务中心", "name_en": "Tianhe District Government Service Center",
        "open": True, "notice": "请携带本人有效身份证件原件办理业务。Please bring your original ID card.",
        "day": today(), "seq": 412,
        "recall_limit": 2,  # proposed: [dispatch] recall_limit, for the counter's "call 2 of 3"
        "last_called": [
            {"ticket": "A012", "counter": "c01", "counter_number": 1, "at": iso(1.2)},
            {"ticket": "C015", "counter": "c06", "counter_number": 6, "at": iso(2.2)},
            {"ticket": "B027", "counter": "c02", "counter_number": 2, "at": iso(4.1)},
        ],
        "today": {
            "issued": 186, "issued_green": 21, "waiting": 46, "waiting_green": 6, "serving": 6, "served": 129,
            "served_green": 15, "no_shows": 7, "voided": 1, "expired": 0, "mean_wait_s": 754, "p90_wait_s": 1690,
            "max_wait_s": 2710, "mean_service_s": 506, "overruns": 4, "ratings": 88, "satisfaction_pct": 96.6,
            "counters_open": 8, "counters_paused": 2,
            "ewt_accuracy_pct": 81,  # proposed: the estimate's accuracy so far today
        },
    }


def alerts_state():
    return {"alerts": [
        {"id": "al-31", "kind": "overrun", "at": iso(4), "ticket": "D008", "counter": "c04", "staff_id": "1004",
         "detail": "4号窗口 D008 办理 34 分钟，超过目标 30 分钟 / Window 4: D008 served 34 min, target 30 min"},
        {"id": "al-30", "kind": "long-wait", "at": iso(9), "ticket": "A019",
         "detail": "A019 已等候 61 分钟 / A019 has waited 61 min"},
        {"id": "al-29", "kind": "staff-locked", "at": iso(25), "staff_id": "1003",
         "detail": "工号 1003 连续 5 次密码错误，锁定至 " + iso(-5)[11:16] + " / staff 1003 locked after 5 failures"},
        {"id": "al-27", "kind": "long-wait", "at": iso(48), "ticket": "B009", "detail": "B009 已等候 60 分钟",
         "acked_by": "3001", "acked_at": iso(40)},
    ]}


def device_states():
    return {
        "devices/caller": {"online": True, "version": "0.1.0", "started_at": iso(200)},
        "devices/k1": {"online": True, "kiosk": "k1", "printer": "paper-near-end", "printer_message": "纸将用完",
                       "printer_message_en": "Paper low", "printer_detail": "", "at": iso(0.5)},
        "devices/k2": {"online": True, "kiosk": "k2", "printer": "ready", "printer_message": "正常",
                       "printer_message_en": "Ready", "printer_detail": "", "at": iso(0.3)},
        "devices/b1": {"online": True, "bridge": "b1", "at": iso(0.2), "queued": 0, "unanswered": 0,
                       "keypads": [{"addr": 1, "counter": "c01", "kind": "keypad", "online": True},
                                   {"addr": 2, "counter": "c02", "kind": "keypad", "online": True},
                                   {"addr": 7, "counter": "c07", "kind": "keypad", "online": False},
                                   {"addr": 11, "counter": "c01", "kind": "pad", "online": True}],
                       "bus": {}},
        "devices/strip3": {"online": False},
    }


def all_states():
    s = {"hall": hall_state(), "alerts": alerts_state()}
    s.update(service_states())
    s.update(counter_states())
    s.update(device_states())
    return s


# token → the ticket-status data the citizen page gets
TOKENS = {
    "Wq3m0aZ1bC2dE3fG4hI5jK": {"ticket": "A015", "service": "A", "service_name": "社保业务",
                               "service_name_en": "Social Insurance", "status": "waiting", "ahead": 3, "ewt_s": 780,
                               "rated": False, "can_rate": False},
    "Rt7yU8iO9pA0sD1fG2hJ3k": {"ticket": "B031", "service": "B", "service_name": "医保业务",
                               "service_name_en": "Medical Insurance", "status": "called", "ahead": 0, "ewt_s": 0,
                               "counter_number": 3, "counter_name": "3号窗口", "rated": False, "can_rate": False},
    "Fn5bV6cX7zL8kJ9hG0fD1s": {"ticket": "C009", "service": "C", "service_name": "住房公积金",
                               "service_name_en": "Housing Provident Fund", "status": "finished", "ahead": 0,
                               "ewt_s": 0, "counter_number": 6, "counter_name": "6号窗口", "rated": False,
                               "can_rate": True},
}


def staff_list():
    rows = []
    for sid, a in sorted(ROSTER.items()):
        rows.append({"staff_id": sid, "name": a["name"], "department": "综合窗口", "roles": a["roles"],
                     "counters": a["counters"], "services": [], "covers": [], "enabled": not a.get("disabled"),
                     "locked_until": iso(-5) if a.get("locked") else None, "failures": 5 if a.get("locked") else 0})
    return rows


def audit_rows():
    return [
        {"at": iso(1.2), "by": "1001", "device": "c01", "staff": "1001", "op": "call-next", "target": "A012", "detail": "", "result": "ok"},
        {"at": iso(3), "by": "1001", "device": "c01", "staff": "1001", "op": "recall", "target": "A012", "detail": "", "result": "ok"},
        {"at": iso(6), "by": "3001", "device": "c03", "staff": "3001", "op": "pause", "target": "c03", "detail": "reason=fetch-materials message=去3楼档案室取材料", "result": "ok"},
        {"at": iso(8), "by": "1099", "device": "c05", "staff": "1099", "op": "pause", "target": "c05", "detail": "finish or transfer the current ticket first", "result": "serving"},
        {"at": iso(25), "by": "", "device": "admin", "staff": "", "op": "staff-auth", "target": "1003", "detail": "secret=given", "result": "bad-secret"},
    ]
