"""The sample survey of seed 002: the Digital Industry Alliance's needs survey (WP1).

The seed lists the ICT and industrial areas of interest in the order the survey's results
showed them, and the target markets, but not how many answered what. The answers written
here are illustrative: made up so that the results rank the areas in the seed's order (each
area chosen by as many or more partners than the next, and with more interest on a tie).
Loading again rewrites the same survey and answers.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clusterbroker.registry.models import Partnership, Taxonomy

from . import services
from .models import Answer, Audience, Question, QuestionKind, Response, Survey

PARTNERSHIP = "digital-industry-alliance"
TITLE = "Needs survey of the clusters and their SMEs (WP1)"
INTRO = (
    "Work package 1 of the Digital Industry Alliance surveyed the needs of the clusters "
    "and their SMEs (December 2017 to May 2018, 43 clusters identified); its results showed "
    "the main ICT and industrial areas of interest and the target markets. "
    "Sample data: the answers here are illustrative, made up to reproduce the ranking the "
    "project's final report gives; the report does not publish the answers themselves."
)
SUBMITTED = timezone.make_aware(dt.datetime(2018, 5, 15, 12, 0))
MARKETS = [("US", 7), ("CN", 6), ("BR", 5), ("CA", 3)]  # the Joint Action Plan's markets


def ranked_choices(term_ids: list[int], respondents: int) -> list[list[tuple[int, int]]]:
    """For each respondent, the (term, level) chosen so that the terms rank in the given
    order: counts never grow down the list, and on equal counts the level total falls."""
    chosen: list[list[tuple[int, int]]] = [[] for _ in range(respondents)]
    n = len(term_ids)
    previous, within = None, 0
    for i, term in enumerate(term_ids):
        count = respondents - (i * (respondents - 1)) // max(n - 1, 1)
        within = within + 1 if count == previous else 0
        previous = count
        levels = [3] * count
        for t in range(within):
            levels[count - 1 - (t % count)] -= 1
        for j, level in enumerate(levels):
            chosen[(i + j) % respondents].append((term, level))
    return chosen


@transaction.atomic
def load_survey_sample_data() -> dict[str, int]:
    partnership = Partnership.objects.filter(slug=PARTNERSHIP).first()
    if partnership is None:
        return {"surveys": 0, "responses": 0}
    survey, _created = Survey.objects.update_or_create(
        partnership=partnership,
        title=TITLE,
        defaults={
            "intro": INTRO,
            "opens_on": dt.date(2017, 12, 1),
            "closes_on": dt.date(2018, 5, 31),
            "audience": Audience.MEMBERS,
        },
    )
    survey.questions.all().delete()
    questions = services.add_dia_questions(survey)
    markets = Question.objects.create(
        survey=survey,
        position=len(questions) + 1,
        text="Which markets outside Europe should the partnership target?",
        kind=QuestionKind.COUNTRIES,
    )
    services.invite(survey)
    respondents = list(
        survey.invitations.order_by("organisation__name").values_list("organisation_id", flat=True)
    )
    survey.responses.all().delete()
    responses = [
        Response.objects.create(survey=survey, organisation_id=pk, submitted_at=SUBMITTED)
        for pk in respondents
    ]
    answers = []
    for question in questions:
        taxonomy: Taxonomy = question.taxonomy
        terms = list(taxonomy.terms.order_by("position", "code").values_list("pk", flat=True))
        for response, chosen in zip(responses, ranked_choices(terms, len(responses)), strict=True):
            value = [{"term": term, "level": level} for term, level in chosen]
            answers.append(Answer(response=response, question=question, value=value))
    for index, response in enumerate(responses):
        codes = [code for code, count in MARKETS if index < count]
        answers.append(Answer(response=response, question=markets, value=codes))
    Answer.objects.bulk_create(answers)
    return {"surveys": 1, "responses": len(responses)}
