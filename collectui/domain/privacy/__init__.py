"""Personal data: identity checks (``identity``), masking by default (``masking``), reasoned and audited
unmasking (``unmask``)."""
