"""Service errors of training: quiz files and papers, practice calls, scenarios, results and certification (domain/training).

Each entry is the Chinese and the English of a ``said("error.training.<what>", ...)`` in the domain; the English
rendered with its values equals the domain's own English text (tests/domain/test_error_messages.py)."""

STRINGS = {
    "error.training.cert_expired": (
        "--on {day}：那天取得的认证已经过期（有效期 {days} 天，[rules.certified]）",
        "--on {day}: a certification from then expired already ({days} days, [rules.certified])",
    ),
    "error.training.cert_future": (
        "--on {day} 是将来的日期：请在取得认证后再记录",
        "--on {day} is in the future: record a certification once it is earned",
    ),
    "error.training.choose_option": (
        "请选择 1 到 {count} 之间的选项",
        "choose an option from 1 to {count}",
    ),
    "error.training.gate_allowed": (
        "闸门允许这次通话",
        "the gate allowed this call",
    ),
    "error.training.gate_refused": (
        "闸门拒绝了这次通话：停止，或者仍然拨打并失去分数",
        "the gate refused this call: stop, or call anyway and lose the points",
    ),
    "error.training.no_scenario": (
        "没有练习场景 {scenario_id}",
        "no practice scenario {scenario_id}",
    ),
    "error.training.no_user": (
        "没有用户 {username}",
        "no user {username}",
    ),
    "error.training.pass_percent": (
        "pass_percent 必须在 0 到 100 之间，收到 {pass_percent}",
        "pass_percent must be from 0 to 100, got {pass_percent}",
    ),
    "error.training.practice_stage": (
        "练习通话处于 {stage} 阶段，不是 {wanted}",
        "the practice call is at the {stage} stage, not {wanted}",
    ),
    "error.training.progress_token": (
        "培训进度属于已登录的人员，不属于令牌",
        "training progress belongs to a signed-in person, not a token",
    ),
    "error.training.quiz_answer": (
        "题目 {question_id}：答案 {chosen} 不在它的 {count} 个选项中",
        "question {question_id}: answer {chosen} is not one of its {count} options",
    ),
    "error.training.quiz_bad_id": (
        "{path}：第 {n} 题：id：必须是由 a-z、0-9 和 _ 组成的短 id，收到 {qid}",
        "{path}: question {n}: id: must be a short id of a-z, 0-9 and _, got {qid}",
    ),
    "error.training.quiz_draw": (
        "无法从 {bank} 道题的题库中抽出 {n} 道题的测验",
        "a quiz of {n} questions cannot be drawn from a bank of {bank}",
    ),
    "error.training.quiz_empty": (
        "空的测验卷无法评分",
        "an empty quiz paper cannot be marked",
    ),
    "error.training.quiz_field": (
        "{path}：题目 {qid}：{field}：{message}",
        "{path}: question {qid}: {field}: {message}",
    ),
    "error.training.quiz_folder": (
        "{path}：是文件夹，不是测验文件",
        "{path}: a folder, not a quiz file",
    ),
    "error.training.quiz_id_reused": (
        "{path}：题目 {question_id}：id：已被前面的题目使用",
        "{path}: question {question_id}: id: used by an earlier question",
    ),
    "error.training.quiz_missing": (
        "{path}：找不到测验文件",
        "{path}: quiz file not found",
    ),
    "error.training.quiz_not_table": (
        "{path}：第 {n} 题：必须是 [[question]] 表",
        "{path}: question {n}: must be a [[question]] table",
    ),
    "error.training.quiz_not_utf8": (
        "{path}：不是 UTF-8 文本；请另存为 UTF-8",
        "{path}: not UTF-8 text; save it as UTF-8",
    ),
    "error.training.quiz_questions": (
        "{path}：question 必须是 [[question]] 表的数组",
        "{path}: question must be an array of [[question]] tables",
    ),
    "error.training.quiz_stray": (
        "这些答案对应的题目不在本卷上：{stray}",
        "answers to questions not on this paper: {stray}",
    ),
    "error.training.quiz_toml": (
        "{path}：不是有效的 TOML：{exc}",
        "{path}: not valid TOML: {exc}",
    ),
    "error.training.quiz_too_few": (
        "{path}：question：共 {count} 道题，一份测验至少需要 {min_questions} 道",
        "{path}: question: {count} questions, a quiz needs at least {min_questions}",
    ),
    "error.training.quiz_version": (
        "{path}：version 必须是从 1 起的整数，收到 {version}",
        "{path}: version must be a whole number from 1, got {version}",
    ),
    "error.training.reason_long": (
        "--reason：最多 {max} 个字符",
        "--reason: at most {max} characters",
    ),
    "error.training.reason_short": (
        "--reason：请给出至少几个词的原因（{min_words} 个英文词或 {min_cjk} 个汉字）",
        "--reason: give a reason of at least a few words ({min_words} words or {min_cjk} Chinese characters)",
    ),
    "error.training.results_token": (
        "培训成绩属于已登录的人员，不属于令牌",
        "training results belong to a signed-in person, not a token",
    ),
    "error.training.scenario_field": (
        "{path} 中 {where}：{message}",
        "{path}: {where}: {message}",
    ),
    "error.training.scenario_missing": (
        "{path}：找不到练习场景文件",
        "{path}: practice scenario file not found",
    ),
    "error.training.scenario_not_utf8": (
        "{path}：不是 UTF-8 文本",
        "{path}: not UTF-8 text",
    ),
    "error.training.scenario_toml": (
        "{path}：不是有效的 TOML：{exc}",
        "{path}: not valid TOML: {exc}",
    ),
    "error.training.standing_token": (
        "令牌或 collectui 本身没有培训记录：请指定一个 USER",
        "a token or collectui itself has no training: name a USER",
    ),
    "error.training.user_deactivated": (
        "用户 {username} 已停用",
        "user {username} is deactivated",
    ),
    "error.training.quiz_unknown_field": (
        "未知字段；应为 {fields}",
        "unknown field; expected {fields}",
    ),
    "error.training.quiz_topic": (
        "必须是 {topics} 之一，收到 {topic}",
        "must be one of {topics}, got {topic}",
    ),
    "error.training.quiz_option_count": (
        "需要 {min} 到 {max} 个选项，收到 {count}",
        "{min} to {max} options are needed, got {count}",
    ),
    "error.training.quiz_same_options": (
        "有两个选项的 {lang} 文字相同",
        "two options say the same in {lang}",
    ),
    "error.training.quiz_answer_index": (
        "必须是某个选项从 0 起的序号，0 到 {last}，收到 {answer}",
        "must be the 0-based index of an option, 0 to {last}, got {answer}",
    ),
    "error.training.quiz_text_table": (
        '必须是一个表 {{ zh = "...", en = "..." }}',
        'must be a table {{ zh = "...", en = "..." }}',
    ),
    "error.training.quiz_text_empty": (
        "缺失或为空",
        "missing or empty",
    ),
    "error.training.quiz_text_language": (
        "未知语言；应为 {langs}",
        "unknown language; expected {langs}",
    ),
    "error.training.sc_text_table": (
        '{field} 必须是一个表 {{ zh = "...", en = "..." }}',
        '{field} must be a table {{ zh = "...", en = "..." }}',
    ),
    "error.training.sc_text_empty": (
        "{field}.{lang} 缺失或为空",
        "{field}.{lang} is missing or empty",
    ),
    "error.training.sc_text_banned": (
        "{field}.{lang} 含有禁用语 {phrase}（{category}）",
        "{field}.{lang} holds the banned phrase {phrase} ({category})",
    ),
    "error.training.sc_integer": (
        "{field} 必须是 {lo} 到 {hi} 之间的整数，收到 {value}",
        "{field} must be a whole number from {lo} to {hi}, got {value}",
    ),
    "error.training.sc_choice": (
        "{field} 必须是 {choices} 之一，收到 {value}",
        "{field} must be one of {choices}, got {value}",
    ),
    "error.training.sc_option_table": (
        "选项必须是一个表",
        "an option must be a table",
    ),
    "error.training.sc_next": (
        "next 必须是某个 turn 的 id 或 {end}，收到 {next}",
        "next must be a turn id or {end}, got {next}",
    ),
    "error.training.sc_mistake": (
        '有扣分的选项需要 mistake = 一个短 id，例如 "disclosure"',
        'an option with a cost needs mistake = a short id like "disclosure"',
    ),
    "error.training.sc_turn_table": (
        "turn 必须是一个表",
        "a turn must be a table",
    ),
    "error.training.sc_turn_id": (
        "id 必须是由 a-z、0-9 和 _ 组成的短 id（不能是 {end}），收到 {turn_id}",
        "id must be a short id of a-z, 0-9 and _ (not {end}), got {turn_id}",
    ),
    "error.training.sc_turn_options": (
        "一个 turn 需要 2 到 4 个 [[turn.option]] 表",
        "a turn needs 2 to 4 [[turn.option]] tables",
    ),
    "error.training.sc_turn_right": (
        "至少要有一个选项扣 0 分（一个正确答案）",
        "at least one option must cost 0 (a right answer)",
    ),
    "error.training.sc_turn_unique": (
        "turn 的 id 必须唯一",
        "turn ids must be unique",
    ),
    "error.training.sc_next_unknown": (
        "next 指向的 turn 不存在：{next}",
        "next names no turn: {next}",
    ),
    "error.training.sc_unreachable": (
        "没有任何选项通向这个 turn",
        "no option leads to this turn",
    ),
    "error.training.sc_loop": (
        "对话可能绕回到这个 turn；每条路径都必须结束",
        "the dialogue can loop back to this turn; every path must end",
    ),
    "error.training.sc_id": (
        "id 必须是不带 .toml 的文件名（{stem}），收到 {sc_id}",
        "id must be the file name without .toml ({stem}), got {sc_id}",
    ),
    "error.training.sc_at": (
        "at 必须是通话的本地时间，格式 HH:MM，收到 {at}",
        "at must be the local time of the call as HH:MM, got {at}",
    ),
    "error.training.sc_borrower": (
        "必须有 [borrower] 表（演示场景的字段）",
        "a [borrower] table is required (the fields of a demo scenario)",
    ),
    "error.training.sc_dial": (
        'dial 必须是 "debtor" 或 borrower.contacts 中的一种关系，收到 {dial}',
        'dial must be "debtor" or a relation in borrower.contacts, got {dial}',
    ),
    "error.training.sc_gate_expect": (
        "[gate] 和 [expect] 必须是表",
        "[gate] and [expect] must be tables",
    ),
    "error.training.sc_outcomes": (
        "outcomes 必须是通话结果代码（{codes}），收到 {outcomes}",
        "outcomes must be call outcome codes ({codes}), got {outcomes}",
    ),
    "error.training.sc_outcomes_empty": (
        "outcomes：至少写出一个通话记录应带的结果",
        "outcomes: name at least one outcome the call record should carry",
    ),
    "error.training.sc_turns": (
        "turn 必须是 [[turn]] 表",
        "turns are [[turn]] tables",
    ),
    "error.training.sc_turns_needed": (
        "闸门允许的通话至少需要一个 [[turn]]",
        "a call the gate allows needs at least one [[turn]]",
    ),
    "error.training.sc_mandatory": (
        "mandatory 必须是 true 或 false",
        "mandatory must be true or false",
    ),
    "error.training.where_turn": ("对话轮 {turn}", "turn {turn}"),
    "error.training.where_option": ("{where} 的选项 {n}", "{where} option {n}"),
    "error.training.certify_token": (
        "training.certify：认证须由已登录的人员记录",
        "training.certify: a certification is recorded by a signed-in person",
    ),
    "error.training.certify_self": (
        "training.certify：任何人都不能认证自己；请找另一位培训员或管理员",
        "training.certify: nobody certifies themselves; ask another trainer or an admin",
    ),
}
