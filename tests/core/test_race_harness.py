"""The race harness itself: threads really overlap, and no thread's error is ever lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from apps.accounts.models import User
from tests.race import RaceFailed, race, race_same


def test_every_thread_runs_at_once_and_results_come_back_in_order():
    # Given actions that each wait for all the others: they finish only if they overlap
    overlap = threading.Barrier(3, timeout=10)

    def action(value: int):
        return lambda: (overlap.wait(), value)[1]

    # When
    results = race([action(1), action(2), action(3)])

    # Then
    assert results == [1, 2, 3]


def test_an_exception_raised_in_one_thread_fails_the_race_and_names_it():
    # Given two actions that succeed and one that raises
    def boom():
        raise ValueError("lost in a thread")

    # When / Then
    with pytest.raises(RaceFailed) as failure:
        race([lambda: 1, boom, lambda: 3])

    assert str(failure.value) == "thread 1 raised ValueError('lost in a thread')"
    assert isinstance(failure.value.__cause__, ValueError)


def test_every_thread_error_is_reported_not_only_the_first():
    def fail(message: str):
        def action():
            raise RuntimeError(message)

        return action

    with pytest.raises(RaceFailed) as failure:
        race([fail("first"), lambda: None, fail("third")])

    assert str(failure.value) == (
        "thread 0 raised RuntimeError('first'); thread 2 raised RuntimeError('third')"
    )


def test_an_expected_exception_is_returned_as_that_threads_result():
    class Lost(Exception):
        pass

    def lose():
        raise Lost("second")

    results = race([lambda: "won", lose], expected=(Lost,))

    assert results[0] == "won"
    assert isinstance(results[1], Lost)
    assert str(results[1]) == "second"


def test_an_assertion_inside_a_thread_fails_the_race():
    def check():
        assert 1 + 1 == 3, "arithmetic"

    with pytest.raises(RaceFailed, match="AssertionError"):
        race_same(2, check)


@pytest.mark.django_db(transaction=True)
def test_each_thread_closes_its_database_connection():
    # Given each thread queries the database and keeps a handle on its own connection
    used: list = []

    def query():
        used.append(connections["default"])
        return User.objects.count()

    # When
    results = race_same(3, query)

    # Then every thread saw the database, and none left its connection open
    assert results == [0, 0, 0]
    assert len({id(handle) for handle in used}) == 3
    assert all(handle.connection is None for handle in used)
