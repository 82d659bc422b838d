"""The trained model as an officer meets it: the evidence it gives for each field agrees with the
pure normalisers, and the chance of a match it reports depends on the size of the register."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.people.matching import batch, realtime
from safepassage.people.matching.features import IdentityRecord
from safepassage.people.matching.normalise import DateOfBirth, compare_dates

# compare_dates (pure Python) and the model's date comparison (SQL) must say the same thing.
DATE_LEVELS = {
    "exact": "The same date",
    "day_month_swapped": "Day and month swapped",
    "day_month_year_shift": "Same day and month, a year or two apart",
    "year_month": "The same year and month",
    "year": "The same year",
    "year_1": "A year apart",
    "year_2": "Two years apart",
    "year_3_to_5": "Three to five years apart",
    "different": "More than five years apart",
    "missing": realtime.NOT_RECORDED,
}

dates_of_birth = st.one_of(
    st.none(),
    st.builds(DateOfBirth, st.integers(1950, 2020)),
    st.builds(DateOfBirth, st.integers(1950, 2020), st.integers(1, 12)),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31)).map(
        lambda day: DateOfBirth(day.year, day.month, day.day)
    ),
)


def person(record_id: str, born: DateOfBirth | None, **fields: str) -> IdentityRecord:
    values = {
        "given_names": "Yonas",
        "family_name": "Tesfay",
        "sex": "M",
        "nationality": "ERI",
        "place_of_birth": "Keren",
        **fields,
    }
    return IdentityRecord(record_id=record_id, date_of_birth=born, **values)


def date_level(score: realtime.Score) -> str:
    return next(field.level for field in score.fields if field.comparison == "date_of_birth")


@settings(max_examples=25, deadline=None)
@given(dates_of_birth, st.lists(dates_of_birth, min_size=1, max_size=20))
def test_the_model_compares_dates_as_the_normaliser_does(subject_born, others_born):
    others = [person(str(index), born) for index, born in enumerate(others_born)]
    scores = realtime.score(person("subject", subject_born), others, population=10_000)
    for score in scores:
        expected = compare_dates(subject_born, others_born[int(score.candidate_id)])
        assert date_level(score) == DATE_LEVELS[expected]


def test_every_field_is_explained_with_its_weight():
    subject = person("subject", DateOfBirth(1990, 3, 14), document_number="P1234567")
    twin = person("twin", DateOfBirth(1990, 3, 14), given_names="Dawit")
    (score,) = realtime.score(subject, [twin], population=10_000)
    fields = {field.comparison: field for field in score.fields}
    assert list(fields) == list(realtime.COMPARISONS)
    assert fields["given"].level == "Nothing in common"
    assert fields["given"].weight < -5
    assert fields["family"].level == "Same spelling"
    assert fields["family"].weight > 0
    assert fields["document"].level == realtime.NOT_RECORDED
    assert fields["document"].weight == 0


def test_a_brother_with_the_same_birthday_is_not_taken_for_the_same_person():
    subject = person("subject", DateOfBirth(1994, 3, 9), given_names="Karvan")
    brother = person("brother", DateOfBirth(1994, 3, 9), given_names="Mihemed")
    (score,) = realtime.score(subject, [brother], population=10_000)
    assert score.probability < 0.5


def test_the_same_person_in_another_script_and_spelling_is_found():
    subject = person("subject", DateOfBirth(1991, 1, 1), given_names="Jonas", family_name="Tesfai")
    same = person(
        "same",
        DateOfBirth(1991, 7, 2),
        given_names="",
        family_name="",
        name_original_script="ዮናስ ተስፋይ",
    )
    (score,) = realtime.score(subject, [same], population=10_000)
    assert score.probability > 0.9


def test_the_same_agreement_means_less_in_a_larger_register():
    subject = person("subject", DateOfBirth(1990), given_names="Ali", family_name="Hosseini")
    other = person("other", DateOfBirth(1990), given_names="Ali", family_name="Hosseini")
    small, large = (
        realtime.score(subject, [other], population=size)[0].probability
        for size in (5_000, 1_000_000)
    )
    assert large < small


@given(st.integers(0, 10_000_000))
def test_the_prior_for_a_population_is_a_probability_no_higher_than_for_a_thousand(size):
    trained = batch.load()
    prior = batch.for_population(trained, size)["probability_two_random_records_match"]
    ceiling = batch.for_population(trained, batch.SMALLEST_POPULATION)[
        "probability_two_random_records_match"
    ]
    assert 0 < prior <= ceiling < 1
