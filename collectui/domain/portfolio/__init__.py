"""The loan book: overdue figures (``overdue``), ranking (``ranking``), promises to pay (``promises``) and
keeping the derived state current (``refresh``)."""
