"""Audit events of the screening app. Payloads hold ids and codes, never answers or names."""

from safepassage.audit.registry import Level, register

QUESTIONNAIRE_DRAFTED = register(
    "screening.questionnaire_drafted", "A questionnaire draft was saved", Level.ROUTINE
)
QUESTIONNAIRE_PUBLISHED = register(
    "screening.questionnaire_published",
    "A questionnaire version was published and became current",
    Level.SIGNIFICANT,
)
INTERPRETER_ADDED = register(
    "screening.interpreter_added", "An interpreter was added to the register", Level.ROUTINE
)
INTERPRETER_CHANGED = register(
    "screening.interpreter_changed", "An interpreter's register entry changed", Level.ROUTINE
)
INTERVIEW_STARTED = register(
    "screening.interview_started", "A screening interview started", Level.SIGNIFICANT
)
ANSWER_RECORDED = register(
    "screening.answer_recorded", "An answer was recorded in an interview", Level.ROUTINE
)
APPLICANT_CONFIRMED = register(
    "screening.applicant_confirmed",
    "The applicant confirmed their language, their understanding or the read-back",
    Level.SIGNIFICANT,
)
INTERPRETER_DECLARED = register(
    "screening.interpreter_declared", "The interpreter made the declaration", Level.SIGNIFICANT
)
INTERPRETER_CONCERN = register(
    "screening.interpreter_concern",
    "An officer reported a concern about an interpreter's conduct",
    Level.SIGNIFICANT,
)
ANSWER_AMENDED = register(
    "screening.answer_amended", "An answer was corrected at read-back", Level.SIGNIFICANT
)
INTERVIEW_ADJOURNED = register(
    "screening.interview_adjourned", "A screening interview was adjourned", Level.SIGNIFICANT
)
INTERVIEW_COMPLETED = register(
    "screening.interview_completed", "A screening interview was completed", Level.SIGNIFICANT
)
RECORDER_REFUSED = register(
    "screening.recorder_refused",
    "An interpreter's account tried to record an answer and was refused",
    Level.SECURITY,
)
