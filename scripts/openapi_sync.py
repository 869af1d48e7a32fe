#!/usr/bin/env python3
"""Brings the OpenAPI document's schemas in line with the API's Swift body types.

    MUTUAL_CONTRACT_DUMP=/tmp/shapes.json swift test --filter APIContract
    python3 scripts/openapi_sync.py /tmp/shapes.json

The contract test (Tests/MutualWebTests/APIContractTests.swift) fails whenever a body type and
the document disagree; after a deliberate change to a type, this script rewrites what the types
decide (property names, required lists, types, formats, enumerations) and keeps what only the
document says (descriptions, examples, lengths, ranges). Review its diff before committing.
"""
import json
import sys

DOC = "Sources/MutualWeb/Resources/openapi.json"


def main():
    shapes = json.load(open(sys.argv[1]))
    doc = json.load(open(DOC))
    components = doc["components"]["schemas"]
    unresolved = []

    def generate(shape):
        if shape == "integer":
            return {"type": "integer"}
        if shape == "number":
            return {"type": "number"}
        if shape == "boolean":
            return {"type": "boolean"}
        if shape == "free-form":
            return {"type": "object"}
        if "string" in shape:
            node = {"type": "string"}
            if shape["string"]["format"]:
                node["format"] = shape["string"]["format"]
            if shape["string"]["values"]:
                node["enum"] = shape["string"]["values"]
            return node
        if "array" in shape:
            return {"type": "array", "items": generate(shape["array"])}
        node = {"type": "object", "properties": {}}
        fix(node, shape, False)
        return node

    def set_type(node, wanted, nullable):
        node["type"] = [wanted, "null"] if nullable else wanted

    def fix(node, shape, nullable):
        while "$ref" in node:
            node = components[node["$ref"].split("/")[-1]]
        if "allOf" in node:
            merged = {"type": "object", "properties": {}, "required": []}
            for part in node.pop("allOf"):
                while "$ref" in part:
                    part = components[part["$ref"].split("/")[-1]]
                merged["properties"].update(json.loads(json.dumps(part.get("properties", {}))))
            node.update(merged)
        if shape == "free-form":
            return
        if shape in ("integer", "number", "boolean"):
            set_type(node, shape, nullable)
            if shape == "integer":
                # Swift's Int: a client (and schemathesis) must know a bigger number is refused.
                node.setdefault("minimum", -9223372036854775808)
                node.setdefault("maximum", 9223372036854775807)
            node.pop("format", None) if shape == "boolean" else None
            return
        if "string" in shape:
            set_type(node, "string", nullable)
            if shape["string"]["format"]:
                node["format"] = shape["string"]["format"]
            if shape["string"]["values"]:
                node["enum"] = shape["string"]["values"]
            return
        if "array" in shape:
            set_type(node, "array", nullable)
            node.setdefault("items", {})
            fix(node["items"], shape["array"], False)
            return
        fields = shape["object"]
        set_type(node, "object", nullable)
        properties = node.setdefault("properties", {})
        for key in list(properties):
            if key not in fields:
                del properties[key]
        for key, field in fields.items():
            if key not in properties:
                properties[key] = generate(field["shape"])
                if field["nullable"]:
                    properties[key]["type"] = [properties[key]["type"], "null"]
            else:
                fix(properties[key], field["shape"], field["nullable"])
        required = [key for key in fields if not fields[key]["optional"]]
        order = list(node.get("required", [])) + sorted(required)
        node["required"] = [key for i, key in enumerate(order) if key in required and key not in order[:i]]
        if not node["required"]:
            del node["required"]

    for name, contract in sorted(shapes.items()):
        method, path = name.split(" ", 1)
        operation = doc["paths"].get(path, {}).get(method.lower())
        if operation is None:
            unresolved.append(f"{name}: not in the document")
            continue
        status = str(contract["status"])
        if contract["response"] is not None:
            answer = operation["responses"].get(status)
            if answer is None or "$ref" in answer:
                unresolved.append(f"{name}: no {status} answer to fix")
            else:
                content = answer.setdefault("content", {}).setdefault("application/json", {})
                fix(content.setdefault("schema", {}), contract["response"], False)
        if contract["request"] is not None:
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                unresolved.append(f"{name}: no JSON request body to fix")
            else:
                fix(body.setdefault("schema", {}), contract["request"], False)

    with open(DOC, "w") as out:
        json.dump(doc, out, indent=2, ensure_ascii=False)
        out.write("\n")
    for line in unresolved:
        print(line)


if __name__ == "__main__":
    main()
