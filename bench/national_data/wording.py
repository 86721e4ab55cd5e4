"""Words and sentences for generated entries, contributions, decisions and actions."""

from __future__ import annotations

import random

SPECIALISMS = [
    "Homelessness",
    "Mental health",
    "Loneliness",
    "Children and families",
    "Older people",
    "Substance use",
    "Domestic abuse",
    "Employment",
    "Food poverty",
    "Disability",
    "Refugees",
    "Youth",
]
TOPICS = [
    "loneliness",
    "housing",
    "debt",
    "recovery",
    "volunteers",
    "trust",
    "funding",
    "referrals",
    "carers",
    "youth",
    "food",
    "poverty",
    "wellbeing",
    "employment",
    "isolation",
    "outreach",
    "training",
    "mentoring",
    "tenancy",
    "advocacy",
    "prevention",
    "safeguarding",
    "transport",
    "digital",
    "inclusion",
    "benefits",
    "families",
    "dementia",
    "neighbourhoods",
    "relationships",
    "reflection",
    "experiment",
    "commissioning",
    "outcomes",
]
SUBJECTS = [
    "peer mentors",
    "the drop-in",
    "our referral route",
    "weekly phone calls",
    "the food club",
    "home visits",
    "the new intake form",
    "shared case reviews",
    "the community fridge",
    "joint training",
    "evening opening",
    "a welcome pack",
    "text reminders",
    "the carers' café",
    "street outreach",
    "a shared caseload meeting",
    "the tenancy course",
]
SENTENCES = [
    "We tried {s} with people who had been waiting for {t} support.",
    "People told us that {s} made them feel less alone.",
    "Attendance dropped when we moved {s} away from the town centre.",
    "The council team joined {s} and referrals about {t} became quicker.",
    "We learned that trust takes longer than the funding cycle allows.",
    "Our volunteers noticed that {t} came up in almost every conversation.",
    "A commissioner asked how {s} changes what happens around {t}.",
    "We stopped counting visits and started asking what mattered to people.",
    "It did not work as we hoped: {s} needed more time than we had.",
    "Working with the health team on {t} meant fewer people fell between services.",
    "We are not sure yet whether {s} helps with {t}; we will look again in three months.",
    "The forum talked about {t} and agreed to share what each of us sees.",
    "Families said {s} was the first time anyone had listened properly.",
    "We ran {s} for six weeks and wrote down what surprised us.",
    "Staff turnover made {t} work harder, so we paired new staff with experienced ones.",
    "Letting people choose the place and time made {s} feel like theirs.",
    "We shared our data on {t} with two other organisations for the first time.",
    "The disappointment was real, but the conversation about {t} was honest.",
]
TITLES = [
    "What {s} taught us about {t}",
    "{S} and {t}: six weeks in",
    "Why {s} did not work (yet)",
    "A breakthrough on {t}",
    "Listening differently about {t}",
    "Trying {s} again",
    "{S}: what people told us",
    "Learning from {t} in our neighbourhood",
]
STATUSES_CLOSED = ("done", "done", "done", "carried")
DECISIONS = [
    "We will run {s} together for three months and review it at the forum.",
    "Referrals about {t} go to one shared inbox from next month.",
    "We pool a small budget for {s} and report back in the spring.",
    "We stop {s} and write up what we learned.",
    "We invite people who use services to the next session on {t}.",
]
ACTIONS = [
    "Write up the notes on {t} and share them with the forum.",
    "Ask the council team about data on {t}.",
    "Set up a trial of {s}.",
    "Invite the health team to the next session.",
    "Draft the joint bid for {s}.",
]


def fill_in(rng: random.Random, template: str) -> str:
    subject = rng.choice(SUBJECTS)
    return template.format(s=subject, S=subject[:1].upper() + subject[1:], t=rng.choice(TOPICS))
