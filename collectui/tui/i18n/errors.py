"""How a service error is introduced, in both faces. The errors' own texts live beside their features
(``errors_<area>.py``): each is the Chinese and English of a ``said("error.<area>.<what>", ...)`` in the domain."""

STRINGS = {
    "cli.error": ("错误", "error"),
    # A value outside its fixed set (domain.said.not_one_of): the field and the choices are codes.
    "error.choice": ("{field}：应为 {choices} 之一，收到 {got}", "{field}: expected one of {choices}, got {got}"),
}
