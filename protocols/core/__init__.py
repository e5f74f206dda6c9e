"""The protocol language: schema, loader, school calendars and timeline arithmetic.

Pure Python with no Django imports: plain data in, plain immutable data out.
"""
