"""The gate's reasons (``gate.<key>``, from ``domain.said``): the Chinese the faces show, and the English the
domain itself says (a test renders each English entry and compares it with the domain's wording)."""

_SMS_BASE = (
    "本轮催收的首次来电，须在 {earliest} 至 {latest} 之间已发出提醒短信",
    "first call of a new collection cycle: it needs a reminder SMS sent between {earliest} and {latest}",
)

STRINGS = {
    # The command line's verdict lines (`check`, `call log`).
    "cli.check.allowed": ("{title}：可以拨打", "{title}: allowed"),
    "cli.check.refused": ("{title}：拒绝", "{title}: refused"),
    "cli.call.refused": (
        "闸门拒绝（已记录为第 {attempt} 号拒绝）：",
        "refused by the gate (attempt {attempt} recorded):",
    ),
    "gate.call_window": (
        "当地时间 {time} 不在允许的通话时段 {start}-{end} 内（{zone}）",
        "local time {time} is outside the permitted hours {start}-{end} ({zone})",
    ),
    "gate.call_window.agreed": (
        "当地时间 {time} 不在客户约定的通话时段 {start}-{end} 内（{zone}）",
        "local time {time} is outside the borrower's agreed hours {start}-{end} ({zone})",
    ),
    "gate.invalid_number.own": (
        "借款人本人的号码已标记为无效（导入数据或主管可以更正）",
        "the borrower's number is marked invalid (an import or a supervisor can change that)",
    ),
    "gate.invalid_number": (
        "该号码已标记为无效（导入数据或主管可以更正）",
        "this number is marked invalid (an import or a supervisor can change that)",
    ),
    "gate.daily_attempts": (
        "今天已对该号码拨打 {count} 次未接通（每天最多 {max} 次）",
        "already {count} unanswered attempts today to this number (at most {max} a day)",
    ),
    "gate.daily_conversations": (
        "今天全体员工已与该借款人通话 {count} 次（每天最多 {max} 次）",
        "already {count} conversations with this borrower today, all staff together (at most {max} a day)",
    ),
    "gate.do_not_call": ("借款人要求不再来电", "the borrower asked not to be called"),
    "gate.do_not_call.contact": ("该联系人拒绝再接听来电", "this contact refused further calls"),
    "gate.dispute_hold": (
        "有未处理的异议 #{id}：处理完毕前不得催收来电",
        "open dispute #{id}: no collection calls until it is resolved",
    ),
    "gate.complaint_hold": (
        "有未处理的催收投诉 #{id}：主管解除前暂停来电",
        "open collection complaint #{id}: calls on hold until a supervisor clears it",
    ),
    "gate.promise_pending": (
        "有一笔还款承诺 {due} 到期：请等到期日过后再联系",
        "an open promise to pay is due {due}; wait until its date has passed",
    ),
    "gate.plan_active": (
        "还款计划 #{id} 正在履行（最后一期 {last}）：不得催收来电",
        "active payment plan #{id} is being kept (last instalment {last}); no collection calls",
    ),
    "gate.third_party_not_allowed": (
        "借款人本人仍可联系（本人号码连续 {failed} 次未接通；连续 {need} 次未接通或号码无效后才可联系第三方）",
        "the borrower is still reachable ({failed} failed attempts in a row on their own number; "
        "third parties only after {need}, or when the number is invalid)",
    ),
    "gate.vulnerable_senior_only": (
        "弱势借款人：只有以下角色可以拨打：{roles}",
        "a vulnerable borrower: only {roles} may call",
    ),
    "gate.in_call": (
        "另一位催收员 {minutes} 分钟前已开始与该借款人通话",
        "another collector started a call with this borrower {minutes} min ago",
    ),
    "gate.cycle_interval": (
        "距上次通话仅 {gap} 天就开始新一轮催收（政策要求间隔 {days} 天）",
        "a new collection cycle {gap} days after the last call (the policy asks for {days})",
    ),
    "gate.certified": (
        "尚未取得外呼资格：请通过培训测验和必修练习通话，或请培训师登记资格",
        "not certified to call borrowers: pass the training quiz and the mandatory practice calls, "
        "or ask a trainer to record a certification",
    ),
    "gate.certified.expired": (
        "外呼资格已于 {on} 到期：请重新完成培训，或请培训师登记资格",
        "certification expired on {on}: pass the training again, or ask a trainer to record a certification",
    ),
    "gate.sms_notice": (
        _SMS_BASE[0] + "；尚未发送（先 `collectui sms plan`，再 `collectui sms send`）",
        _SMS_BASE[1] + "; none was sent (`collectui sms plan`, then `collectui sms send`)",
    ),
    "gate.sms_notice.too_new": (
        _SMS_BASE[0] + "；提醒短信于 {sent} 发出，{ready} 起方可来电",
        _SMS_BASE[1] + "; the reminder went out at {sent}, calls may start from {ready}",
    ),
    "gate.sms_notice.failed": (
        _SMS_BASE[0] + "；最近一条提醒短信未送达（请重新安排：`collectui sms plan`）",
        _SMS_BASE[1] + "; the latest reminder was not delivered (plan a new one: `collectui sms plan`)",
    ),
    "gate.sms_notice.waiting": (
        _SMS_BASE[0] + "；最近一条提醒短信状态为 {state}，尚未发送（`collectui sms send`）",
        _SMS_BASE[1] + "; the latest reminder is {state}, not sent (`collectui sms send`)",
    ),
    "gate.unknown_rule": (
        "政策启用了此规则，但当前版本没有对应的检查：请在政策中停用，或升级 collectui",
        "enabled in the policy, but this version has no check for it; disable it or upgrade collectui",
    ),
}
