"""No case or pupil model is registered in Django admin.

Platform operators need no pupil data: cases are read and changed only through the case pages,
which go through the access functions and the audit log.
"""
