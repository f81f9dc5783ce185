"""The schema at /api/v1/openapi.json says which refusals each operation can answer.

Ninja documents only the status codes a route declares; the refusals every route shares come
from relaydesk.api.errors (a missing token, a malformed body or query, an unknown thing in the
path, a body over the limit), so they are added here, once, to every operation they can
happen to. A route's own declaration of a code wins.
"""

from typing import Any

from ninja import NinjaAPI

ERROR = {
    "type": "object",
    "properties": {"detail": {"description": "Why, in a sentence (or the fields' errors)."}},
    "required": ["detail"],
}
WHY = {
    "400": "The request is malformed (JSON that does not parse, a cursor this API did not give).",
    "401": "No API token, or one that is not valid.",
    "404": "Nothing by that name or number.",
    "413": "The body is larger than the limit.",
    "422": "A value is missing or not allowed; `detail` says which.",
}


def shared_refusals(operation: dict[str, Any]) -> list[str]:
    codes = ["400", "422"] if operation.get("parameters") or operation.get("requestBody") else []
    if operation.get("security"):
        codes.append("401")
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        codes.append("404")
    if operation.get("requestBody"):
        codes.append("413")
    return codes


def document_refusals(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("schemas", {})["Refusal"] = ERROR
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code in shared_refusals(operation):
                if code not in responses and int(code) not in responses:  # ninja's keys: ints
                    responses[code] = {"description": WHY[code], "content": body}
    return schema


# Every text a request carries is refused with a NUL character (relaydesk.api.schemas.Input:
# PostgreSQL cannot store one), so the schema says so: strings without their own pattern,
# format or choices get this one (a JSON Schema regex).
NO_NUL = "^[^\\u0000]*$"
OWN_RULE = {"pattern", "enum", "format", "const"}


def refuse_nul_in_requests(schema: dict[str, Any]) -> dict[str, Any]:
    """Mark every string of every request body and parameter (and the schemas they use)."""
    components = schema.get("components", {}).get("schemas", {})
    visited: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        if not isinstance(node, dict):
            return
        name = str(node.get("$ref", "")).removeprefix("#/components/schemas/")
        if name in components and name not in visited:
            visited.add(name)
            visit(components[name])
        if node.get("type") == "string" and not OWN_RULE & node.keys():
            node["pattern"] = NO_NUL
        for value in node.values():
            visit(value)

    for path in schema.get("paths", {}).values():
        for operation in path.values():
            visit(operation.get("requestBody"))
            visit(operation.get("parameters"))
    return schema


class DocumentedAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_refusals(schema)
        refuse_nul_in_requests(schema)
        return schema


# A month as the server reads one (relaydesk.insights.months.parse_month: years 0002 to 9998),
# for the schema only: the server's own check answers with a sentence.
MONTH_PATTERN = (
    r"^(000[2-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"
    r"-(0[1-9]|1[0-2])$"
)
