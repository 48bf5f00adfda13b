"""Why an administrative change was not made. Nothing here knows HTTP or the pages' texts:

    AdminError
    ├── Refused          the input breaks a rule; `problems` names each field and what is wrong
    │   └── CsvFileError     an import file with bad rows (chat.admin.csv_file)
    └── NotFound         the thing to change is not there (any more)

A page turns each `Problem` into a form error, translating its `code` through the catalogs; the
CLI prints the `reason`s as one line (`neuvo: <reason>`). Either way nothing was stored: the
transaction of the change rolled back, its audit entry with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """`field` is the input it is about ("username", "start"); `code` says what is wrong, for a
    page to pick its text by ("username_taken"), with `values` to fill that text in; `reason`
    says it in one English line for the CLI."""

    field: str
    code: str
    reason: str
    values: Mapping[str, object] = dataclasses.field(default_factory=dict)


class AdminError(Exception):
    """Base of the errors an administrative change raises."""


class Refused(AdminError):
    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.reason for problem in self.problems))


class NotFound(AdminError):
    """What was to be changed does not exist, e.g. a user or a shift deleted meanwhile."""


class Problems:
    """Problems collected while checking an input, raised together as one `Refused`."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, field: str, code: str, reason: str, **values: object) -> None:
        self.found.append(Problem(field, code, reason, values))

    def has(self, field: str) -> bool:
        return any(problem.field == field for problem in self.found)

    def raise_any(self) -> None:
        if self.found:
            raise Refused(self.found)
