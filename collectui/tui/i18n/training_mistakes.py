"""Short names of the mistakes a practice scenario's wrong answers make (``trn.mistake.<id>``), shown on the
score and in the trainer's report. A bank's own scenario may use an id not listed here: it is shown as is."""

STRINGS = {
    "trn.mistake.argued": ("与借款人争辩", "Argued with the borrower"),
    "trn.mistake.disclosure": ("向他人透露欠款", "Disclosed the debt"),
    "trn.mistake.false_promise": ("作出不实承诺", "A promise the bank cannot keep"),
    "trn.mistake.false_statement": ("说了不实的话", "Said something untrue"),
    "trn.mistake.ignored_dispute": ("无视借款人的异议", "Ignored the dispute"),
    "trn.mistake.ignored_hardship": ("无视借款人的困难", "Ignored the hardship"),
    "trn.mistake.ignored_stop_request": ("无视停止来电的要求", "Ignored the request to stop calling"),
    "trn.mistake.insult": ("侮辱借款人", "Insulted the borrower"),
    "trn.mistake.interrupted": ("打断对方", "Interrupted"),
    "trn.mistake.jargon": ("用了对方听不懂的术语", "Used jargon"),
    "trn.mistake.no_closing": ("没有好好结束通话", "No proper closing"),
    "trn.mistake.no_empathy": ("缺少同理心", "No empathy"),
    "trn.mistake.no_fraud_warning": ("没有提醒防范诈骗", "No warning about impostors"),
    "trn.mistake.no_identification": ("没有表明身份", "Did not say who is calling"),
    "trn.mistake.no_identity_check": ("未核实身份就谈欠款", "Talked debt before checking identity"),
    "trn.mistake.no_recording_notice": ("没有告知录音", "No recording notice"),
    "trn.mistake.past_call_window": ("通话超出允许时段", "Went past the call window"),
    "trn.mistake.pressure": ("施加压力", "Put on pressure"),
    "trn.mistake.rude": ("态度粗鲁", "Rude"),
    "trn.mistake.threat": ("威胁", "Threat"),
    "trn.mistake.too_fast": ("说得太快", "Spoke too fast"),
    "trn.mistake.unofficial_channel": ("非官方还款渠道", "Unofficial repayment channel"),
    "trn.mistake.vulnerable_pressure": ("向弱势借款人施压", "Pressed a vulnerable borrower"),
    "trn.mistake.wrong_amount": ("金额说错或含糊", "Wrong or vague amount"),
}
