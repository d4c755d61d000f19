"""JSON Schemas of Open311 GeoReport v2 JSON responses, written from the spec
(wiki.open311.org/GeoReport_v2): GET services, GET requests / a request, POST a request, and
errors. ``additionalProperties: false`` so a response carrying anything beyond the spec's
fields (say, a resident's name) fails validation.
"""

from __future__ import annotations

# "All date/time fields must be formatted in a common subset of ISO 8601 as per the w3 note.
# Timezone information (either Z meaning UTC, or an HH:MM offset from UTC) must be included."
W3_DATETIME = {"type": "string",
               "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"}
TEXT_OR_NULL = {"type": ["string", "null"]}

SERVICE = {
    "type": "object",
    "required": ["service_code", "service_name", "metadata", "type"],
    "additionalProperties": False,
    "properties": {
        "service_code": {"type": "string", "minLength": 1},
        "service_name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"},  # a comma separated list
        "group": {"type": "string"},
    },
}
SERVICES = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "array", "items": SERVICE}

SERVICE_REQUEST = {
    "type": "object",
    "required": ["service_request_id", "status", "service_name", "service_code",
                 "requested_datetime", "updated_datetime"],
    "additionalProperties": False,
    "properties": {
        "service_request_id": {"type": ["string", "integer"]},
        "status": {"enum": ["open", "closed"]},
        "status_notes": TEXT_OR_NULL,
        "service_name": {"type": "string"},
        "service_code": {"type": ["string", "integer"]},
        # "free form text limited to 4,000 characters"
        "description": {"type": ["string", "null"], "maxLength": 4000},
        "agency_responsible": TEXT_OR_NULL,
        "service_notice": TEXT_OR_NULL,
        "requested_datetime": W3_DATETIME,
        "updated_datetime": W3_DATETIME,
        "expected_datetime": {"anyOf": [W3_DATETIME, {"type": "null"}]},
        "address": TEXT_OR_NULL,
        "address_id": {"type": ["string", "integer", "null"]},
        "zipcode": {"type": ["string", "integer", "null"]},
        "lat": {"type": ["number", "null"]},
        "long": {"type": ["number", "null"]},
        "media_url": TEXT_OR_NULL,
    },
}
SERVICE_REQUESTS = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "type": "array", "items": SERVICE_REQUEST}

# POST: service_request_id or token (never both), service_notice and account_id optional.
CREATED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array", "minItems": 1,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "oneOf": [{"required": ["service_request_id"]}, {"required": ["token"]}],
        "properties": {
            "service_request_id": {"type": ["string", "integer"]},
            "token": {"type": ["string", "integer"]},
            "service_notice": TEXT_OR_NULL,
            "account_id": {"type": ["string", "integer", "null"]},
        },
    },
}

ERRORS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array", "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "additionalProperties": False,
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
