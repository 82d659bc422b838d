"""The demo locations and people. Made-up names, no real personal data."""

from safepassage.core.models import LocationKind
from safepassage.core.roles import Role

DEMO_LOCATIONS = [
    {
        "code": "manston",
        "name": "Manston",
        "kind": LocationKind.SHORT_TERM_HOLDING,
        "region": "Kent",
    },
    {
        "code": "western-jet-foil",
        "name": "Western Jet Foil",
        "kind": LocationKind.PORT,
        "region": "Kent",
    },
    {
        "code": "croydon",
        "name": "Croydon Asylum Intake Unit",
        "kind": LocationKind.INTAKE_UNIT,
        "region": "London",
    },
    {
        "code": "national-office",
        "name": "National operations office",
        "kind": LocationKind.OFFICE,
        "region": "London",
    },
]

# One account per role: (role, username, full name, location codes).
DEMO_USERS = [
    (Role.PARTNER_CASEWORKER, "partner", "Grace Okafor", ["croydon"]),
    (Role.REGISTRATION_OFFICER, "registration", "Tom Reid", ["manston", "western-jet-foil"]),
    (Role.SCREENING_OFFICER, "screening", "Priya Shah", ["manston", "croydon"]),
    (Role.INTERPRETER, "interpreter", "Yonas Tesfaye", ["croydon"]),
    (Role.DECISION_MAKER, "decision", "Hannah Clarke", ["croydon", "manston"]),
    (Role.SENIOR_CASEWORKER, "senior", "David Mensah", ["croydon", "manston"]),
    (Role.SAFEGUARDING_LEAD, "safeguarding", "Fatima Rahimi", ["manston", "croydon"]),
    (Role.QA_REVIEWER, "quality", "Eleanor Price", ["national-office"]),
    (Role.LOCATION_MANAGER, "manager", "Samuel Adeyemi", ["manston"]),
    (Role.AUDITOR, "auditor", "Ruth Campbell", ["national-office"]),
    (Role.ADMINISTRATOR, "admin", "Amina Yusuf", ["national-office"]),
]
