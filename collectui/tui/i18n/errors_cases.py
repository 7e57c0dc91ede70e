"""Service errors of cases: assigning borrowers, repayment plans and their instalments, disputes and their answers (domain/cases).

Each entry is the Chinese and the English of a ``said("error.cases.<what>", ...)`` in the domain; the English
rendered with its values equals the domain's own English text (tests/domain/test_error_messages.py)."""

STRINGS = {
    "error.cases.assign_inactive": (
        "{to_user} 不在职",
        "{to_user} is not active",
    ),
    "error.cases.assign_name_borrower": (
        "至少指定一个借款人（CUSTOMER_ID）",
        "name at least one borrower (CUSTOMER_ID)",
    ),
    "error.cases.assign_no_branch": (
        "{username} 没有所属支行：先给该账户设一个（`collectui users`）",
        "{username} has no branch: give the account one first (`collectui users`)",
    ),
    "error.cases.assign_not_collector": (
        "{username} 的角色是 {role}：借款人只分配给催收员",
        "{username} is a {role}: borrowers are assigned to collectors",
    ),
    "error.cases.assign_other_branch": (
        "{cid} 是 {borrower_branch} 的借款人；{to_user} 在 {branch} 工作",
        "{cid} is a borrower of {borrower_branch}; {to_user} works for {branch}",
    ),
    "error.cases.at_before_dispute": (
        "at：早于异议登记的时间",
        "at: before the dispute was opened",
    ),
    "error.cases.at_future": (
        "at：不能是将来的时间",
        "at: cannot be in the future",
    ),
    "error.cases.at_needs_zone": (
        "at：需要时区",
        "at: needs a time zone",
    ),
    "error.cases.call_not_conversation": (
        "通话 {call_id} 不是已记录的与借款人的交谈",
        "call {call_id} was not a logged conversation with the borrower",
    ),
    "error.cases.call_other_borrower": (
        "通话 {call_id} 的对象是另一位借款人",
        "call {call_id} was with another borrower",
    ),
    "error.cases.dispute_not_open": (
        "异议 {dispute_id} 的状态是 {status}；只能处理未结的异议",
        "dispute {dispute_id} is {status}; only an open dispute is resolved",
    ),
    "error.cases.dispute_reason_banned": (
        "reason：不允许（{category}）：{words}",
        "reason: not allowed ({category}): {words}",
    ),
    "error.cases.dispute_reason_long": (
        "reason：最多 {max} 个字符（收到 {got}）",
        "reason: at most {max} characters (got {got})",
    ),
    "error.cases.instalment_amount": (
        "第 {n} 期：不是以元计的金额（{exc}）",
        "instalment {n}: not an amount in yuan ({exc})",
    ),
    "error.cases.instalment_date": (
        "第 {n} 期：应为 YYYY-MM-DD 格式的日期，收到 {got}",
        "instalment {n}: expected a date YYYY-MM-DD, got {got}",
    ),
    "error.cases.instalment_shape": (
        "第 {n} 期：应为 日期:金额，例如 2026-12-15:500，收到 {got}",
        "instalment {n}: expected DATE:AMOUNT like 2026-12-15:500, got {got}",
    ),
    "error.cases.leaving_other_branch": (
        "{leaving} 在 {leaving_branch} 工作，不在 {branch}",
        "{leaving} works for {leaving_branch}, not {branch}",
    ),
    "error.cases.no_active_collector": (
        "没有在职的催收员来接手这些借款人",
        "no active collector to take the borrowers",
    ),
    "error.cases.no_borrower": (
        "没有借款人 {cid}",
        "no borrower {cid}",
    ),
    "error.cases.no_branch": (
        "没有支行 {branch}",
        "no branch {branch}",
    ),
    "error.cases.no_call": (
        "没有通话 {call_id}",
        "no call {call_id}",
    ),
    "error.cases.no_customer": (
        "没有客户 {customer_id}",
        "no customer {customer_id}",
    ),
    "error.cases.no_dispute": (
        "没有异议 {dispute_id}",
        "no dispute {dispute_id}",
    ),
    "error.cases.no_plan": (
        "没有还款计划 {plan_id}",
        "no plan {plan_id}",
    ),
    "error.cases.no_user": (
        "没有用户 {username}",
        "no user {username}",
    ),
    "error.cases.plan_exists": (
        "该借款人已有还款计划 #{plan_id}（{status}）；主管可以取消它",
        "the borrower already has plan #{plan_id} ({status}); a supervisor may cancel it",
    ),
    "error.cases.plan_reason_banned": (
        "reason：不得出现 {phrases}",
        "reason: may not say {phrases}",
    ),
    "error.cases.plan_reason_long": (
        "reason：最多 {max} 个字符（收到 {got}）",
        "reason: at most {max} characters (got {got})",
    ),
    "error.cases.plan_state": (
        "还款计划 {plan_id} 的状态是 {status}；{action} 需要状态为 {allowed}",
        "plan {plan_id} is {status}; {action} needs {allowed}",
    ),
    "error.cases.reason_required": (
        "reason：必须填写",
        "reason: text is required",
    ),
    "error.cases.sms_language": (
        "短信语言：应为 {choices} 之一，收到 {lang}",
        "sms language: expected one of {choices}, got {lang}",
    ),
    "error.cases.told_by_sms_refused": (
        "told_by sms：{why}；请以信函告知借款人（--told-by letter）",
        "told_by sms: {why}; tell the borrower by letter (--told-by letter)",
    ),
    "error.cases.told_by_sms_upheld": (
        "told_by sms：dispute_answer 短信只告知驳回；成立的异议请以信函告知",
        "told_by sms: the dispute_answer SMS tells a rejection; tell an upheld one by letter",
    ),
    "error.cases.user_inactive": (
        "用户 {user} 不在职",
        "user {user} is not active",
    ),
    "error.cases.plan_decide_token": (
        "还款计划 {plan_id}：计划须由已登录的人员{done}，不能用令牌",
        "plan {plan_id}: a plan is {done} by a signed-in person, not a token",
    ),
    "error.cases.plan_decide_own": (
        "还款计划 {plan_id}：提出人不能{action}自己的计划",
        "plan {plan_id}: the proposer cannot {action} their own plan",
    ),
    "error.cases.plan_do_approve": ("批准", "approve"),
    "error.cases.plan_do_reject": ("驳回", "reject"),
    "error.cases.plan_done_approve": ("批准", "approved"),
    "error.cases.plan_done_reject": ("驳回", "rejected"),
    "error.cases.plan_problems": ("还款计划有问题：{problems}", "{problems}"),
    "error.cases.plan_count": (
        "还款计划须有 {min} 到 {max} 期，收到 {count} 期",
        "a plan has {min} to {max} instalments, got {count}",
    ),
    "error.cases.plan_amount_zero": ("第 {n} 期：金额必须大于零", "instalment {n}: the amount must be above zero"),
    "error.cases.plan_before_day": (
        "第 {n} 期：{due} 早于计划日 {plan_day}",
        "instalment {n}: {due} is before the plan's day {plan_day}",
    ),
    "error.cases.plan_after_horizon": (
        "第 {n} 期：{due} 晚于 {last_day}（最多在计划日之后 {horizon} 天）",
        "instalment {n}: {due} is after {last_day} (at most {horizon} days after the plan's day)",
    ),
    "error.cases.plan_same_day": (
        "第 {n} 期：{due} 与第 {other} 期是同一天",
        "instalment {n}: {due} is also the date of instalment {other}",
    ),
    "error.cases.plan_below_overdue": (
        "各期合计 {total}，少于逾期金额 {overdue}",
        "the instalments add up to {total}, less than the overdue amount {overdue}",
    ),
    "error.cases.plan_above_outstanding": (
        "各期合计 {total}，多于未还余额 {outstanding}",
        "the instalments add up to {total}, more than the total outstanding {outstanding}",
    ),
    "error.cases.answer_template_refused": ("{template} 未通过检查：{problems}", "{template} is refused: {problems}"),
    "error.cases.sms_no_borrower": ("没有这个借款人", "no such borrower"),
    "error.cases.sms_dnc": ("借款人要求不再联系", "the borrower asked not to be contacted"),
    "error.cases.sms_opted_out": ("借款人已退订短信", "the borrower opted out of SMS"),
    "error.cases.sms_invalid": ("借款人的号码已标记为无效", "the borrower's number is marked invalid"),
    "error.cases.sms_landline": ("借款人的号码是固定电话", "the borrower's number is a landline"),
    "error.cases.answer_placeholder": (
        "异议答复中不允许使用 {placeholder}（答复从不写出借款人姓名）；允许：{allowed}",
        "{placeholder} is not allowed in the dispute answer (it never names the borrower); allowed: {allowed}",
    ),
    "error.cases.answer_too_long": ("{longest} 个字符；最多 {limit} 个", "{longest} characters; at most {limit}"),
}
