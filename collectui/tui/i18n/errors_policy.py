"""The policy: the service errors of ``policy_text``, ``policy_store``, ``policy_values``, ``policy_floors``
and the merge in ``policy`` in both languages. A problem of `collectui policy check` is one of these, so it is
listed in the person's language. Keys and values (``rules.call_window.start``, ``"07:00"``) stay as written
in the file: they are what the person must find and change.
"""

STRINGS = {
    "cli.policy.problems": ("{source}：{n} 个问题", "{source}: {n} problem(s)"),
    # reading the file (policy_text)
    "error.policy.folder": ("{path}：这是一个文件夹，不是政策文件", "{path}: a folder, not a policy file"),
    "error.policy.no_file": ("{path}：文件不存在", "{path}: no such file"),
    "error.policy.unreadable": ("{path}：无法读取：{reason}", "{path}: cannot read: {reason}"),
    "error.policy.too_large": ("{path}：大于 {kb} KB，不是政策文件", "{path}: larger than {kb} KB, not a policy file"),
    "error.policy.binary": (
        "{source}：这是二进制文件，不是 TOML 政策文件",
        "{source}: a binary file, not a TOML policy",
    ),
    "error.policy.not_utf8": (
        "{source}：不是 UTF-8 文本（偏移 {offset} 处的字节 {byte}）；请另存为 UTF-8",
        "{source}: not UTF-8 text (byte {byte} at offset {offset}); save it as UTF-8",
    ),
    "error.policy.not_toml": ("{source}：不是有效的 TOML：{detail}", "{source}: not valid TOML: {detail}"),
    "error.policy.too_deep": ("{source}：嵌套过深，不是政策文件", "{source}: nested too deeply to be a policy file"),
    "error.policy.too_deep_levels": (
        "{source}：嵌套过深（超过 {levels} 层），不是政策文件",
        "{source}: nested too deeply to be a policy file (more than {levels} levels)",
    ),
    # storing a version (policy_store)
    "error.policy.reason_missing": (
        "--reason：请说明修改政策的原因（会与该版本一起保存）",
        "--reason: say why the policy changes (it is kept with the version)",
    ),
    "error.policy.reason_long": ("--reason：最多 {most} 个字符", "--reason: at most {most} characters"),
    "error.policy.reason_bad": ("--reason 有误：{problem}", "--reason: {problem}"),
    "error.policy.already_in_force": (
        "该政策已在生效（版本 {version}）",
        "this policy is already in force (version {version})",
    ),
    "error.policy.stored_invalid": (
        "{refusal}。请用 `collectui policy apply FILE --reason ...` 应用一份改正后的政策",
        "{refusal}. Apply a corrected policy with `collectui policy apply FILE --reason ...`",
    ),
    # the merge (policy)
    "error.policy.problems_at": ("{source} 有误：{problems}", "{source}: {problems}"),
    "error.policy.problems": ("政策有误：{problems}", "{problems}"),
    "error.policy.unknown_key": ("{at}：未知的键", "{at}: unknown key"),
    "error.policy.not_table": ("{at}：应为表（table），实际是{got}", "{at}: expected a table, got {got}"),
    "error.policy.wrong_type": ("{at}：应为{want}，实际是{got} {value}", "{at}: expected {want}, got {got} {value}"),
    "error.policy.at_key": ("{at} 的值有误：{problem}", "{at}: {problem}"),
    "policy.type.boolean": ("布尔值", "boolean"),
    "policy.type.integer": ("整数", "integer"),
    "policy.type.number": ("数字", "number"),
    "policy.type.string": ("文本", "string"),
    "policy.type.table": ("表", "table"),
    "policy.type.array": ("数组", "array"),
    "policy.type.datetime": ("日期时间", "datetime"),
    "policy.type.date": ("日期", "date"),
    "policy.type.time": ("时间", "time"),
    # floors (policy_floors)
    "error.policy.floor": (
        "{at} = {value} 放宽了底线：{rule}（{source}）",
        "{at} = {value} relaxes a floor: {rule} ({source})",
    ),
    "policy.floor.stay_true": ("必须保持为 true", "must stay true"),
    "policy.floor.at_most": ("最多 {limit}", "at most {limit}"),
    "policy.floor.at_least": ("至少 {limit}", "at least {limit}"),
    "policy.floor.not_before": ("不得早于 {limit}", "not before {limit}"),
    "policy.floor.not_after": ("不得晚于 {limit}", "not after {limit}"),
    "policy.floor.keep_phrases": (
        "必须保留每个默认短语（缺少 {missing}）",
        "must keep every default phrase (missing {missing})",
    ),
    # single values (policy_values)
    "error.policy.not_finite": ("必须是有限的数字，实际是 {value}", "must be a finite number, got {value}"),
    "error.policy.out_of_range": ("超出范围：{value}", "out of range: {value}"),
    "error.policy.text_long": ("最多 {most} 个字符", "at most {most} characters"),
    "error.policy.control_chars": ("不能含有控制字符", "must not hold control characters"),
    "error.policy.too_many_items": ("最多 {most} 项", "at most {most} items"),
    "error.policy.item": ("第 {item} 项：{problem}", "item {item}: {problem}"),
    "error.policy.negative": ("不能为负数", "must not be negative"),
    "error.policy.at_least": ("至少应为 {least}", "must be at least {least}"),
    "error.policy.at_most": ("最多为 {most}，实际是 {value}", "must be at most {most}, got {value}"),
    "error.policy.above": (
        "必须大于 {low} 且不超过 {high}，实际是 {value}",
        "must be above {low} and at most {high}, got {value}",
    ),
    "error.policy.empty": ("不能为空", "must not be empty"),
    "error.policy.one_of": ("必须是 {choices}，实际是 {value}", "must be {choices}, got {value}"),
    "error.policy.unknown_item": ("未知的项 {item}（应为 {choices}）", "unknown item {item} (expected {choices})"),
    "error.policy.unknown_tz": ("未知的时区 {value}", "unknown time zone {value}"),
    "error.policy.not_hhmm": (
        "应为 HH:MM 格式的时间（00:00-24:00），实际是 {value}",
        "expected a time HH:MM (00:00-24:00), got {value}",
    ),
    "error.policy.not_window": ("应为 'HH:MM-HH:MM'，实际是 {value}", "expected 'HH:MM-HH:MM', got {value}"),
    "error.policy.not_time_of_day": ("不是一天中的时间：{value}", "not a time of day: {value}"),
    "error.policy.window_order": (
        "时段必须在开始之后结束（同一天内）",
        "the window must end after it starts (same day)",
    ),
    "error.policy.phrase_empty": (
        "每个短语都必须是非空文本，实际是 {value}",
        "every phrase must be non-empty text, got {value}",
    ),
    "error.policy.phrase_long": (
        "短语最多 200 个字符，实际是 {length}",
        "a phrase may be at most 200 characters, got {length}",
    ),
    "error.policy.unknown_role": ("未知的角色 {role}（应为 {roles}）", "unknown role {role} (expected {roles})"),
    "error.policy.script_relative": (
        "必须是绝对路径（留空表示使用自带的话术），实际是 {value}",
        "must be an absolute path (or empty for the shipped scripts), got {value}",
    ),
    "error.policy.not_http": ("必须是 http:// 或 https:// 地址", "must be an http:// or https:// address"),
    "error.policy.outbox_dotdot": (
        "相对路径的发件目录须在数据库旁边：{value} 中不能有 '..'",
        "a relative outbox stays beside the database: no '..' in {value}",
    ),
    "error.policy.outbox_root": ("{value} 是文件系统的根目录", "{value} is the root of the file system"),
    "error.policy.outbox_system": (
        "{value} 是系统文件夹（{system}）：请另选一个专用文件夹",
        "{value} is a system folder ({system}): choose a folder of its own",
    ),
    "error.policy.outbox_file": ("{value} 是文件，不是文件夹", "{value} is a file, not a folder"),
    "error.policy.outbox_not_writable": ("{value} 不可写", "{value} is not writable"),
    "error.policy.outbox_cannot_create": (
        "无法创建 {value}（最近的上级文件夹不可写）",
        "{value} cannot be created (its nearest folder is not writable)",
    ),
    # across keys (policy_values.CROSS_KEY_CHECKS)
    "error.policy.call_window_order": (
        "rules.call_window：开始时间 {start} 必须早于结束时间 {end}",
        "rules.call_window: start {start} must be before end {end}",
    ),
    "error.policy.sms_notice_lead": (
        "rules.sms_notice：min_lead_hours 必须小于 max_age_days × 24",
        "rules.sms_notice: min_lead_hours must be less than max_age_days x 24",
    ),
    "error.policy.complaints_days": (
        "complaints：extended_days {extended} 不能小于 due_days {due}",
        "complaints: extended_days {extended} must not be before due_days {due}",
    ),
    "error.policy.http_url_needed": (
        'sms.http.url：sms.gateway = "http" 时必须填写',
        'sms.http.url: needed when sms.gateway = "http"',
    ),
    "error.policy.masking_fractions": (
        "masking.other：first_fraction + last_fraction 不能超过 1",
        "masking.other: first_fraction + last_fraction must not exceed 1",
    ),
}
