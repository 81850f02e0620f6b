"""The OpenAPI documentation's examples are real responses of the API's own models."""

from __future__ import annotations

import pytest

from api import schemas


@pytest.mark.parametrize("name", sorted(schemas.EXAMPLES))
def test_every_documentation_example_is_a_valid_response(name: str) -> None:
    model = getattr(schemas, name)
    model.model_validate(schemas.EXAMPLES[name])
    assert model.model_json_schema()["example"] == schemas.EXAMPLES[name]
