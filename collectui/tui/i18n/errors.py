"""How a service error is introduced, in both faces. The errors' own texts live beside their features
(``errors_<area>.py``): each is the Chinese and English of a ``said("error.<area>.<what>", ...)`` in the domain."""

STRINGS = {
    "cli.error": ("错误", "error"),
}
