"""Calls: the compliance gate, the call record and its effects, promises to pay, the note scan.

Modules: ``outcomes`` (codes, kinds, checklists), ``gate`` (one function per rule and the registry),
``notescan``, ``promise_rules``, ``record`` (start/log services), ``refusals`` (supervisor summary).
"""
