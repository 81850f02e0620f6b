"""The answers precomputed at load: the statements over many items, and the bodies' bytes."""

from __future__ import annotations

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from api import queries, schemas, shapes


def test_a_statement_about_one_item_is_made_one_about_many() -> None:
    statement = queries.each_item(queries.links(queries.SUCCESSORS))
    assert statement.startswith("UNWIND $ids AS id\n")
    assert "{id: id}" in statement
    assert "$id " not in statement and "$id}" not in statement
    assert queries.each_item(queries.ITEM).count("{id: id}") == 1


@pytest.mark.parametrize(
    "statement", [queries.DOCUMENTS, queries.ITEM_KINDS, queries.CLAUSE + "{id: $id}"]
)
def test_only_a_statement_about_one_item_can_be(statement: str) -> None:
    with pytest.raises(ValueError, match="not a statement about one item"):
        queries.each_item(statement)


def test_a_body_is_what_fastapi_answers_for_the_model() -> None:
    ref = schemas.Ref(
        id="guangzhou", iri="https://w3id.org/policykg/place/guangzhou", name="广州市"
    )
    page = schemas.Concepts(data=[], count=0)
    for model in (ref, page):
        body = shapes.render(model)
        assert body.encode() == JSONResponse(jsonable_encoder(model)).body
    assert "广州市" in shapes.render(ref)


def test_filtered_links_keep_the_order_and_count_what_is_left() -> None:
    (best,) = schemas.Mappings.model_validate(schemas.EXAMPLES["Mappings"]).data
    weak = best.model_copy(update={"score": best.score / 2, "accepted": False, "rank": 2})
    doubtful = best.model_copy(update={"score": best.score / 4, "rank": 3})
    body = shapes.render(schemas.Mappings(data=[best, weak, doubtful], count=3))
    assert shapes.filtered(body, 0.0, False) == body

    def kept(min_score: float, accepted_only: bool) -> list[int]:
        page = schemas.Mappings.model_validate_json(shapes.filtered(body, min_score, accepted_only))
        assert page.count == len(page.data)
        return [m.rank for m in page.data]

    assert kept(best.score / 2, False) == [1, 2]
    assert kept(0.0, True) == [1, 3]
    assert kept(best.score / 2, True) == [1]
    assert kept(best.score * 2, False) == []
