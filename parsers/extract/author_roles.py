"""Job titles and affiliations printed around a byline's names.

"Jane Doe, Staff Writer", "Senior Editor Jane Doe" and "John Roe for The Times" all name one
person; the title and the employer are dressing to strip. The roles are data so a new title
or language is one line.
"""

from __future__ import annotations

import re

# Job titles printed after (or before) a name; stripped when a name remains.
ROLES = (
    "staff writer", "staff reporter", "staff correspondent", "senior writer", "senior reporter",
    "senior editor", "senior correspondent", "chief correspondent", "correspondent",
    "contributing writer", "contributing editor", "contributor", "guest contributor",
    "guest author", "guest writer", "freelance writer", "freelance journalist", "columnist",
    "editor-in-chief", "editor in chief", "managing editor", "news editor", "deputy editor",
    "associate editor", "assistant editor", "executive editor", "digital editor", "editor",
    "reporter", "journalist", "writer", "author", "photographer", "special correspondent",
    "special to", "correspondant", "rédacteur", "redakteur", "redakteurin",
    "корреспондент", "кореспондент",
)  # fmt: skip
ROLE_TAIL = re.compile(
    r"(?:,|\s[-–—])\s*(?:(?:senior|chief|lead|deputy|national|political|foreign|"
    r"defen[cs]e|security|military|business|tech(?:nology)?|science|sports?|health|"
    r"investigative|associate|assistant|contributing)\s+)*(?:"
    + "|".join(re.escape(role) for role in ROLES)
    + r")\b.*$"
    r"|\s+(?:" + "|".join(re.escape(role) for role in ROLES if " " in role) + r")$",
    re.IGNORECASE,
)
# Words that make a comma part a job description ("Jane Doe, Shipping Expert"), not a name.
ROLE_WORDS = re.compile(
    r"\b(?:expert|specialist|manager|director|founder|co-founder|ceo|cto|cmo|coo|president|"
    r"head of|consultant|analyst|strategist|researcher|professor|dietitian|nutritionist|coach|"
    r"officer|lead|partner|owner|engineer|developer|designer|marketer|marketing|team lead|"
    r"advisor|adviser|attorney|lawyer|physician|therapist|educator|instructor|producer|"
    r"host|anchor|intern|fellow|member|representative|candidate|chair|secretary|spokesperson|"
    r"coordinator|administrator)s?\b",
    re.IGNORECASE,
)
ROLE_ONLY = re.compile(
    r"^(?:[\w-]+\s+){0,3}(?:" + "|".join(re.escape(role) for role in ROLES) + r")$",
    re.IGNORECASE,
)
ROLE_HEAD = re.compile(
    r"^(?:(?:senior|chief|lead|guest|staff|contributing)\s+)*(?:"
    + "|".join(re.escape(role) for role in ROLES)
    + r")\s+(?=\S)",
    re.IGNORECASE,
)
# "John Roe for The Times", "with additional reporting by ...", "on behalf of ...".
AFFILIATION_TAIL = re.compile(
    r"\s+(?:for|special to|reporting from|on behalf of|in|at)\s+(?:the\s+)?[A-Z\u0400-\u04ff].*$"
    r"|[\s,;]+(?:with\s+)?(?:additional|further)\s+reporting\b.*$"
    r"|\s+on behalf of\b.*$",
)


def is_role(part: str) -> bool:
    """A comma part that describes the job of the name before it."""
    return bool(ROLE_WORDS.search(part) or ROLE_ONLY.match(part))


def strip_affiliation(text: str) -> str:
    """ "Jane Doe for The Times" is Jane Doe; "Center for Drug Evaluation" stays whole."""
    match = AFFILIATION_TAIL.search(text)
    if match and len(text[: match.start()].split()) >= 2:
        return text[: match.start()]
    return text
