"""The book's "How to extend" page: its worked example runs as it stands."""

from __future__ import annotations

import re

from conftest import REPO
from kdd_utils import models


def test_the_worked_example_adds_an_architecture_and_trains_it(capsys):
    page = (REPO / "book" / "extending.md").read_text()
    blocks = re.findall(r"^```python\n(.*?)^```", page, flags=re.S | re.M)
    assert len(blocks) == 2
    namespace: dict = {}
    try:
        for block in blocks:
            exec(compile(block, "book/extending.md", "exec"), namespace)
        assert models.ARCHITECTURES["gru"].label == "GRU"
        rows, fits = namespace["rows"], namespace["fits"]
        assert {r["model"] for r in rows} == {"GRU"} and sorted({r["seed"] for r in rows}) == [0, 1]
        assert list(fits["seed"]) == [0, 1] and (fits["parameters"] > 0).all()
        assert "GRU" in capsys.readouterr().out
        gru = models.build("gru", 5, timesteps=2)
        assert gru.input_shape == (None, 2, 61) and gru.output_shape == (None, 5)
    finally:
        models.ARCHITECTURES.pop("gru", None)  # the registry is the package's: leave it as found
