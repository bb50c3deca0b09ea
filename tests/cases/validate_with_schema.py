#!/usr/bin/python3
"""Validates JSON files (case.json, results documents) against a JSON Schema in templates/ with
Debian's python3-jsonschema.

Usage: validate_with_schema.py SCHEMA FILE...   prints "FILE<TAB>valid" or "FILE<TAB>invalid<TAB>reason",
the reason being the path of the offending value and what is wrong with it.
"""
import json
import sys

import jsonschema


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path)
            print(f"{path}\tinvalid\t{where}: {errors[0].message}")
        else:
            print(f"{path}\tvalid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
