"""The one exception type that user-caused problems raise."""

from __future__ import annotations

from os import PathLike


class KDDError(ValueError):
    """A problem the user can fix: bad file, wrong checksum, unknown name, bad parameter.

    The message always says what went wrong and how to fix it, and names the file and the
    line when they apply.

    Parameters
    ----------
    problem : str
        What is wrong, in one sentence.
    fix : str, optional
        What the user should do about it.
    path : str or path-like, optional
        The file concerned.
    line : int, optional
        The 1-based line of that file where the problem is.
    """

    def __init__(
        self,
        problem: str,
        *,
        fix: str | None = None,
        path: str | PathLike[str] | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = problem
        self.fix = fix
        self.path = None if path is None else str(path)
        self.line = line
        super().__init__(self._message())

    def _message(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        message = where + self.problem
        if self.fix:
            message += f"\n  How to fix: {self.fix}"
        return message

    def __reduce__(self):  # keep the exception picklable (papermill, multiprocessing)
        return (_rebuild, (self.problem, self.fix, self.path, self.line))


def _rebuild(problem: str, fix: str | None, path: str | None, line: int | None) -> KDDError:
    return KDDError(problem, fix=fix, path=path, line=line)
