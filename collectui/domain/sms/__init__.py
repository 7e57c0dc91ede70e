"""Friendly reminder SMS (温馨提示短信): templates, planning, sending, receipts, and the call-gate rule."""
