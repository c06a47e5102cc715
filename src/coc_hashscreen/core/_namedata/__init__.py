"""Name data and script rules for normalization profile v2 and its variants.

Each module serves one script or one kind of data, and is pure (no I/O at
call time).  What the organizer's one canonical form uses is frozen with
the profile (vectors in ``tests/vectors/normalization-v2.json``); what only
the committee's variants use may grow in later releases.
"""
