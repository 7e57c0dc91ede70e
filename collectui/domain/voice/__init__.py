"""The customer's voice: feedback (``feedback``), its vocabulary (``vocabulary``) and complaints
(``complaints``)."""
