"""The surveys' section of the funder report: each survey of the partnership run in the
period, its response rate and its five areas most chosen."""

import datetime as dt

from clusterbroker.surveys import services
from clusterbroker.surveys.report_section import report_section, survey_summaries

from ..factories import TaxonomyFactory, TermFactory
from .factories import TODAY, QuestionFactory, SurveyFactory

YEAR_START, YEAR_END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def answer(scene, user, organisation, areas, skills=()):
    services.save_response(
        user,
        scene.survey,
        organisation,
        {
            # The first area is of strong interest: it ranks first among equal counts.
            scene.areas.pk: [
                {"term": t.pk, "level": 3 if i == 0 else 2} for i, t in enumerate(areas)
            ],
            scene.skills.pk: [{"term": t.pk} for t in skills],
        },
        submit=True,
        today=TODAY,
    )


def with_answers(scene):
    """A second question on skills; alpha and beta answer, gamma does not."""
    robots, cloud, ar = scene.terms
    taxonomy = TaxonomyFactory(code="skills-test")
    welding, coding, design = (
        TermFactory(taxonomy=taxonomy, label=label) for label in ("Welding", "Coding", "Design")
    )
    scene.skills = QuestionFactory(survey=scene.survey, kind="terms", taxonomy=taxonomy)
    answer(scene, scene.alpha_user, scene.alpha, [cloud, robots, ar], [coding, welding, design])
    answer(scene, scene.beta_user, scene.beta, [cloud, robots], [coding])
    return scene


def test_a_survey_gives_its_response_rate_and_five_areas_most_chosen(scene):
    with_answers(scene)
    [summary] = survey_summaries(scene.partnership, YEAR_START, YEAR_END, TODAY)
    assert summary.title == scene.survey.title and summary.status == "open"
    assert (summary.answered, summary.asked, summary.response_percent) == (2, 3, 67)
    # Cloud, Robots and Coding were chosen by both; areas before skills on a tie.
    assert [(a.label, a.respondents, a.percent) for a in summary.top_areas] == [
        ("Cloud", 2, 100),
        ("Robots", 2, 100),
        ("Coding", 2, 100),
        ("AR", 1, 50),
        ("Welding", 1, 50),
    ]
    assert summary.top_areas[2].question == scene.skills.text


def test_only_the_partnerships_surveys_opened_and_run_in_the_period(scene):
    with_answers(scene)
    forthcoming = SurveyFactory(
        partnership=scene.partnership, opens_on=dt.date(2026, 7, 1), closes_on=dt.date(2026, 7, 9)
    )
    before = SurveyFactory(
        partnership=scene.partnership,
        title="Last year's survey",
        opens_on=dt.date(2025, 3, 1),
        closes_on=dt.date(2025, 3, 31),
    )
    SurveyFactory(title="Another partnership's survey")
    titles = [s.title for s in survey_summaries(scene.partnership, YEAR_START, YEAR_END, TODAY)]
    assert titles == [scene.survey.title]
    # Without a start every earlier survey counts; the forthcoming one once it has opened.
    later = dt.date(2026, 7, 20)
    titles = [s.title for s in survey_summaries(scene.partnership, None, None, later)]
    assert titles == [before.title, scene.survey.title, forthcoming.title]
    # A period ending before the survey opened leaves it out.
    assert survey_summaries(scene.partnership, YEAR_START, dt.date(2026, 5, 31), later) == []


def test_the_report_table_has_one_row_per_top_area(scene):
    with_answers(scene)
    empty = SurveyFactory(
        partnership=scene.partnership,
        title="Quick poll",
        opens_on=dt.date(2026, 5, 1),
        closes_on=dt.date(2026, 5, 15),
    )
    title, rows = report_section(scene.partnership, YEAR_START, YEAR_END, TODAY)
    assert title == "Surveys"
    assert rows[0] == [
        "Survey",
        "Dates",
        "Answered",
        "Response rate",
        "Top areas",
        "Share of respondents",
    ]
    # The closed poll opened first: asked nobody, answered by nobody, no areas.
    assert rows[1] == [empty.title, "1 May 2026 – 15 May 2026", "0 of 0", "0 %", "", ""]
    assert rows[2] == [
        scene.survey.title,
        "1 June 2026 – 30 June 2026 (open)",
        "2 of 3",
        "67 %",
        "Cloud",
        "100 %",
    ]
    assert rows[3:] == [
        ["", "", "", "", "Robots", "100 %"],
        ["", "", "", "", "Coding", "100 %"],
        ["", "", "", "", "AR", "50 %"],
        ["", "", "", "", "Welding", "50 %"],
    ]


def test_the_sample_dia_report_prints_its_survey_between_events_and_members(db):
    from clusterbroker.plans.report_pdf import report_pdf
    from clusterbroker.plans.reports import build_report
    from clusterbroker.plans.sample_data import load_plan_sample_data
    from clusterbroker.registry.models import Partnership
    from clusterbroker.registry.sample_data import load_sample_data
    from clusterbroker.surveys import sample_data as survey_sample

    from ..pdf_text import pdf_pages

    load_sample_data()
    load_plan_sample_data()
    survey_sample.load_survey_sample_data()
    partnership = Partnership.objects.get(slug=survey_sample.PARTNERSHIP)
    text = " ".join(pdf_pages(report_pdf(build_report(partnership, dt.date(2026, 6, 30)))))
    text = text.replace(") Tj (", "")
    assert "Surveys" in text
    later = text[text.index("Events and their figures") :]  # the cover names "Members" too
    assert 0 < later.index("Surveys") < later.index("Members")
    assert survey_sample.TITLE[:25] in text
