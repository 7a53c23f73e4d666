"""The OpenAPI schema at /api/v1/schema/: valid OpenAPI 3, generated without warnings."""
import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/auth/token/", "/api/v1/me/",
    *(f"/api/v1/{name}/" for name in [
        "universities", "campuses", "colleges", "majors", "classes", "students",
        "unions", "terms", "departments", "memberships", "associations",
    ]),
    *(f"/api/v1/{name}/{{id}}/" for name in [
        "universities", "campuses", "colleges", "majors", "classes", "students",
        "unions", "terms", "departments", "memberships", "associations",
    ]),
    "/api/v1/unions/{id}/departments/",
    "/api/v1/notifications/", "/api/v1/notifications/{id}/", "/api/v1/notifications/read/",
    # the rights desk
    "/api/v1/rights/cases/", "/api/v1/rights/cases/{id}/", "/api/v1/rights/cases/similar/",
    "/api/v1/rights/cases/follow/", "/api/v1/rights/cases/{id}/photos/{photo_pk}/",
    *(f"/api/v1/rights/cases/{{id}}/{name}/" for name in [
        "join", "accept", "start", "move", "transfer", "answer", "close", "rate", "merge", "set-public",
    ]),
    "/api/v1/rights/categories/", "/api/v1/rights/categories/{id}/",
    "/api/v1/rights/offices/", "/api/v1/rights/offices/{id}/",
    "/api/v1/rights/public/{university_code}/cases/", "/api/v1/rights/public/{university_code}/cases/{id}/",
    "/api/v1/rights/public/{university_code}/cases/{id}/photos/{photo_pk}/",
    # the congress
    *(f"/api/v1/congress/{name}/" for name in ["sessions", "apportionments", "delegates"]),
    *(f"/api/v1/congress/{name}/{{id}}/" for name in ["sessions", "apportionments", "delegates"]),
    # the congress at its sitting
    "/api/v1/congress/sessions/{id}/quorum/", "/api/v1/congress/sessions/{id}/check-in/",
    "/api/v1/congress/resolutions/", "/api/v1/congress/resolutions/{id}/", "/api/v1/congress/resolutions/{id}/vote/",
    # congress elections
    "/api/v1/elections/", "/api/v1/elections/{id}/", "/api/v1/elections/{id}/cast/",
    "/api/v1/elections/public/", "/api/v1/elections/public/{id}/", "/api/v1/elections/public/{id}/ballots/",
    "/api/v1/elections/public/{id}/file/",
    # congress proposals
    "/api/v1/proposals/", "/api/v1/proposals/{id}/", "/api/v1/proposals/{id}/cosign/",
    "/api/v1/proposals/{id}/withdraw/",
    "/api/v1/proposals/public/{session_pk}/", "/api/v1/proposals/public/{session_pk}/{id}/",
}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_schema_has_the_expected_paths(schema):
    assert set(schema["paths"]) == EXPECTED_PATHS


def test_write_methods(schema):
    assert set(schema["paths"]["/api/v1/unions/{id}/"]) == {"get", "patch"}
    assert set(schema["paths"]["/api/v1/unions/{id}/departments/"]) == {"post"}
    assert set(schema["paths"]["/api/v1/notifications/read/"]) == {"post"}
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    properties = schema["components"]["schemas"]["TokenRequest"]["properties"]
    assert {"university", "login_id", "username", "password"} <= set(properties)
    assert "200" in token["responses"]


def test_rights_endpoints(schema):
    cases = schema["paths"]["/api/v1/rights/cases/"]
    assert set(cases) == {"get", "post"}
    assert "multipart/form-data" in cases["post"]["requestBody"]["content"]
    assert {"201", "200"} <= set(cases["post"]["responses"])
    board = schema["paths"]["/api/v1/rights/public/{university_code}/cases/"]["get"]
    assert not [scheme for scheme in board.get("security", []) if scheme]   # no login
    submitter = schema["components"]["schemas"]["PublicSubmitter"]["properties"]
    assert set(submitter) == {"name", "college"}                      # never a 学号 in public


def test_student_schema_exposes_only_the_allowlist(schema):
    properties = schema["components"]["schemas"]["Student"]["properties"]
    assert "email" not in properties and "user" not in properties


def test_generation_has_no_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--api-version", "v1", "--file", str(out))
    assert "/api/v1/students/" in yaml.safe_load(out.read_text())["paths"]
