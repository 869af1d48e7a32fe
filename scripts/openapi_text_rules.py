#!/usr/bin/env python3
"""Writes Mutual's input rules into the OpenAPI document: every free-text string a client sends
(request bodies and query parameters) gets the length limit the server enforces (TextLimits in
Sources/MutualStore/Support/TextLimits.swift, listed in docs/security.md) and a pattern that
excludes the control characters the server refuses (TextInputGuard, InputRules).

    python3 scripts/openapi_text_rules.py [Sources/MutualWeb/Resources/openapi.json]

Idempotent; run it after scripts/openapi_sync.py when a request body gains a text field, and
give the field a limit below if its name is new. The contract test
(APIContractTests, "every text a client sends has a limit and the character rule") fails until
every such field has both.
"""
import json
import sys

CONTROL = "\\u0000-\\u001F\\u007F-\\u009F"
CONTROL_BUT_LINE_BREAKS = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F"
SINGLE_LINE = f"^[^{CONTROL}]*$"
MULTI_LINE = f"^[^{CONTROL_BUT_LINE_BREAKS}]*$"
# Single line with at least one visible character (replaces a bare "\S").
REQUIRED = f"^[^{CONTROL}]*[^\\s{CONTROL}][^{CONTROL}]*$"
# Several lines with at least one visible character (a message in a relationship's thread).
MULTI_LINE_REQUIRED = f"^[^{CONTROL_BUT_LINE_BREAKS}]*[^\\s{CONTROL}][^{CONTROL_BUT_LINE_BREAKS}]*$"
# Single line with at least one letter or digit (replaces "[^\W_]").
LETTER_OR_DIGIT = f"^[^{CONTROL}]*[^\\W_][^{CONTROL}]*$"

# Fields that may run over several lines.
MULTI_LINE_FIELDS = {"description", "agenda_template", "bio", "goals", "answers", "message", "reason",
                     "vision", "boundaries", "confidentiality", "questions", "agenda", "note", "commitment"}

# (schema, property) first, then property alone: the limit in characters.
LIMITS = {
    ("SkillRequest", "name"): 80, ("SkillRequest", "family"): 60, ("ProgrammeRequest", "name"): 120,
    ("TokenRequest", "name"): 100, ("KPI", "name"): 200, ("KPI", "unit"): 200, ("Objective", "goal"): 300,
    ("AgreementUpdate", "goals"): 4000, ("AgreementUpdate", "cadence"): 4000, ("SkillLevel", "skill"): 80,
    ("MeetingLogItemRequest", "note"): 280, ("MeetingLogRequest", "commitment"): 500,
    "name": 200, "department": 120, "company": 120, "location": 120, "timezone": 64, "bio": 2000,
    "alias": 80, "description": 4000, "cadence": 120, "agenda_template": 4000, "goals": 2000, "answers": 2000,
    "message": 1000, "reason": 1000, "vision": 4000, "boundaries": 4000, "confidentiality": 4000,
    "languages": 80, "interests": 80, "off_limits": 80, "questions": 500, "email": 254, "external_id": 100,
    "people": 100, "skill": 80, "q": 200, "want": 80, "language": 80, "type": 100, "status": 40,
    "place": 500, "agenda": 4000, "note": 1000,
    "title": 200,
}


# Fields with a fixed form: their own pattern, which admits no control character.
FIXED = {
    ("AvailabilityWindow", "start"): ("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", 5),
    ("AvailabilityWindow", "end"): ("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", 5),
    ("MessageCreate", "body"): (MULTI_LINE_REQUIRED, 4000),
    # An http(s) address without spaces or control characters; the server also checks its host.
    ("WebhookRequest", "url"): (f"^([hH][tT][tT][pP][sS]?://[^\\s{CONTROL}]+)$", 2000),
    # An event type (noun.past_participle) or "*".
    ("WebhookRequest", "events"): ("^(\\*|[a-z_]+\\.[a-z_]+)$", 100),
}


def is_free_text(schema):
    # `anyOf` alternatives (a date or empty) state their own forms.
    return schema.get("type") == "string" and not {"enum", "format", "anyOf", "oneOf"} & schema.keys()


def apply(schema_name, prop, schema):
    if (schema_name, prop) in FIXED:
        schema["pattern"], schema["maxLength"] = FIXED[(schema_name, prop)]
        return
    old = schema.get("pattern")
    if old not in (None, SINGLE_LINE, MULTI_LINE, "\\S", REQUIRED, "[^\\W_]", LETTER_OR_DIGIT):
        return  # a fixed form (a date): its pattern already admits no control character
    limit = LIMITS.get((schema_name, prop), LIMITS.get(prop))
    if limit is None:
        raise SystemExit(f"{schema_name}.{prop}: no length limit known; add it to LIMITS (and TextLimits)")
    schema["maxLength"] = min(schema.get("maxLength", limit), limit)
    if old in (None, SINGLE_LINE, MULTI_LINE):
        schema["pattern"] = MULTI_LINE if prop in MULTI_LINE_FIELDS else SINGLE_LINE
    elif old in ("\\S", REQUIRED):
        schema["pattern"] = REQUIRED
    elif old in ("[^\\W_]", LETTER_OR_DIGIT):
        schema["pattern"] = LETTER_OR_DIGIT


def refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"].split("/")[-1]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Sources/MutualWeb/Resources/openapi.json"
    with open(path) as f:
        document = json.load(f)
    schemas = document["components"]["schemas"]
    requests = set()
    for operations in document["paths"].values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            if "requestBody" in operation:
                requests.update(refs(operation["requestBody"]))
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and is_free_text(parameter.get("schema", {})):
                    apply("query", parameter["name"], parameter["schema"])
    while True:
        more = {r for name in requests for r in refs(schemas.get(name, {}))} - requests
        if not more:
            break
        requests |= more
    for name in sorted(requests):
        for prop, schema in schemas[name].get("properties", {}).items():
            if schema.get("type") == "array" and is_free_text(schema.get("items", {})):
                apply(name, prop, schema["items"])
            elif is_free_text(schema):
                apply(name, prop, schema)
    with open(path, "w") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
