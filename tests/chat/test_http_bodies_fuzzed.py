"""Whatever body reaches a public HTTP endpoint (random JSON, wrong types, huge numbers, deep
nesting, invalid UTF-8, control characters), the answer is a clear 4xx with {"code","message"},
never a 5xx, and afterwards the service still answers (issue 14, deliverable 4, the hypothesis
part; the schemathesis run from the OpenAPI description is test_openapi_schemathesis.py)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.service import Service

POSTS = ("/api/offline-messages", "/api/session")
FIELDS = ("topic", "language", "text", "contact", "username", "password")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cs", "Co", "Zl", "Zp"]), max_size=20),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


bodies = st.one_of(
    values.map(_json),  # any JSON at all
    st.dictionaries(st.sampled_from(FIELDS), values, max_size=6).map(_json),  # the right names, any types
    st.fixed_dictionaries({"topic": st.sampled_from(["work", "x"]), "language": st.sampled_from(["fi", "de"]),
                           "text": st.text(max_size=3000)}).map(_json),
    st.integers(min_value=1, max_value=20_000).map(lambda n: b"[" * n + b"]" * n),  # deep nesting
    st.integers(min_value=1, max_value=5000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
    st.sampled_from([b"1" * 5000, b"1e999999", b"-1e-999999", b'"\\ud800"', b'{"text":"\\u0000"}']),
    st.binary(max_size=300),  # invalid UTF-8 among it
    st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(POSTS), body=bodies,
       content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain"]))
async def test_any_body_gets_a_clear_4xx_or_success_never_a_5xx(
    service: Service, path: str, body: bytes, content_type: str
) -> None:
    async with await service.http() as client:
        response = await client.post(path, content=body, headers={"content-type": content_type})
        assert response.status_code < 500, (path, body[:80], response.status_code, response.text)
        if response.status_code >= 400:
            problem = response.json()
            assert isinstance(problem["code"], str) and isinstance(problem["message"], str)
        assert (await client.get("/healthz")).status_code == 200
