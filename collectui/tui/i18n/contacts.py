"""Strings of the new number / contact dialog (``cn.``) and the agreed call hours dialog (``hrs.``).

Relation names are the profile's (``rel.*``), so a relation reads the same in the profile and here.
"""

STRINGS = {
    "cn.title": ("新号码或联系人 · {customer}", "New number or contact · {customer}"),
    "cn.from_call": ("来自通话{call}", "from call {call}"),
    "cn.whose": ("谁的号码", "Whose"),
    "cn.own": ("借款人本人另一号码", "Borrower's other number"),
    "cn.third": ("第三方联系人", "A third party"),
    "cn.phone": ("号码", "Number"),
    "cn.phone_hint": ("手机 11 位，或区号加座机", "11-digit mobile, or area code + landline"),
    "cn.name": ("姓名", "Name"),
    "cn.relation": ("关系", "Relation"),
    "cn.relation_prompt": ("选择关系", "Choose a relation"),
    "cn.note": (
        "记为“未核实”（员工记录，非核心系统数据）；号码处处脱敏显示，添加记入审计。",
        "Recorded as unverified (learned by staff, not from core banking); the number is masked everywhere "
        "and the addition is audited.",
    ),
    "cn.note_call": (
        "记为“未核实，来自通话{call}”；号码处处脱敏显示，添加记入审计。第三方仅在联系不上借款人时方可拨打。",
        "Recorded as unverified, from call {call}; masked everywhere, audited. A third party may be called "
        "only when the borrower cannot be reached.",
    ),
    "cn.save": ("保存", "Save"),
    "cn.key.save": ("保存", "Save"),
    "cn.need_phone": ("请填写号码", "Enter the number"),
    "cn.need_name": ("第三方需要填写姓名", "A third party needs a name"),
    "cn.need_relation": ("请选择与借款人的关系", "Choose the relation to the borrower"),
    "cn.refused": ("您无权为该借款人添加号码", "You may not add numbers for this borrower"),
    "cn.saved": ("已添加 {id}（未核实）", "Added {id} (unverified)"),
    "hrs.title": ("约定联系时段 · {customer}", "Agreed call hours · {customer}"),
    "hrs.now_agreed": ("当前约定时段：{hours}（代替默认时段）", "Agreed hours now: {hours} (in place of the default)"),
    "hrs.now_default": ("暂无约定时段：适用默认时段 {hours}", "No agreed hours: the default window {hours} applies"),
    "hrs.hours": ("时段", "Hours"),
    "hrs.reason": ("原因", "Reason"),
    "hrs.reason_hint": ("例如：客户来电要求晚间联系", "e.g. the borrower asked to be called in the evening"),
    "hrs.note": (
        "格式 HH:MM-HH:MM；结束早于开始表示跨午夜（如 20:00-09:00）。约定时段可早于或晚于默认时段，修改记入审计。",
        "HH:MM-HH:MM; an end before the start runs past midnight (20:00-09:00). Agreed hours may be earlier or "
        "later than the default window; every change is audited.",
    ),
    "hrs.supervisors_only": (
        "仅主管和管理员可设置约定时段。",
        "Only supervisors and admins may set agreed call hours.",
    ),
    "hrs.save": ("保存时段", "Save hours"),
    "hrs.clear": ("清除约定", "Clear"),
    "hrs.key.save": ("保存", "Save"),
    "hrs.need_hours": ("请填写时段，如 18:00-20:00", "Enter the hours, e.g. 18:00-20:00"),
    "hrs.need_reason": ("请填写原因", "Enter a reason"),
    "hrs.refused": ("您无权修改该借款人的约定时段", "You may not change this borrower's agreed hours"),
    "hrs.saved": ("约定时段已设为 {hours}", "Agreed hours set to {hours}"),
    "hrs.cleared": ("约定时段已清除，适用默认时段", "Agreed hours cleared: the default window applies"),
}
