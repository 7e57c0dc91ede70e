"""What collectors and supervisors read: the ranked work list (``queries``) and a borrower's masked profile
(``profile``)."""
