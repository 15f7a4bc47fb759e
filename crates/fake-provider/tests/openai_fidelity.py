"""Fidelity: the official openai Python package against the fake provider.

Usage: openai_fidelity.py BASE_URL KEY. Exit 77 when the openai package is missing.
"""
import json
import sys

try:
    import openai
    import pydantic
except ImportError as e:  # the caller decides whether this is a skip or a failure
    print(f"the openai package is not installed: {e}")
    sys.exit(77)

base, key = sys.argv[1], sys.argv[2]
client = openai.OpenAI(base_url=base, api_key=key, max_retries=0, timeout=20)

models = [m.id for m in client.models.list()]
assert models == ["llama3.2"], models
print("OK models", models)

schema = {
    "type": "object",
    "properties": {
        "top": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "enum": ["500", "501"]},
                "reason": {"type": "string"},
                "score": {"type": "integer"},
            },
            "required": ["id", "reason", "score"],
            "additionalProperties": False,
        },
        "alternatives": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["top", "alternatives"],
    "additionalProperties": False,
}
messages = [
    {"role": "system", "content": "Answer with JSON only."},
    {"role": "user", "content": "Mood: cozy\n[500] A (1999)\n[501] B (2001)"},
]
r = client.chat.completions.create(
    model="llama3.2",
    messages=messages,
    temperature=0.2,
    response_format={
        "type": "json_schema",
        "json_schema": {"name": "plexpicker_picks", "schema": schema, "strict": True},
    },
)
assert r.object == "chat.completion", r.object
choice = r.choices[0]
assert choice.finish_reason == "stop", choice.finish_reason
assert choice.message.role == "assistant"
data = json.loads(choice.message.content)
assert data["top"]["id"] in ("500", "501"), data
assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens > 0
print("OK structured", data["top"]["id"])


class Pick(pydantic.BaseModel):
    id: str
    reason: str
    score: int


class Picks(pydantic.BaseModel):
    top: Pick
    alternatives: list[Pick]


parsed = client.chat.completions.parse(model="llama3.2", messages=messages, response_format=Picks)
picks = parsed.choices[0].message.parsed
assert picks is not None and picks.top.id in ("500", "501"), parsed
print("OK parsed", picks.top.id, len(picks.alternatives))

try:
    client.chat.completions.create(model="llama-nope", messages=messages)
    raise SystemExit("an unknown model was accepted")
except openai.NotFoundError as e:
    assert e.status_code == 404 and e.code == "model_not_found", (e.status_code, e.code)
    print("OK 404", e.code)

try:
    client.chat.completions.create(model="llama3.2", messages=[{"role": "wizard", "content": "x"}])
    raise SystemExit("a bad role was accepted")
except openai.BadRequestError as e:
    assert e.status_code == 400 and e.param == "messages[0].role", (e.status_code, e.param)
    print("OK 400", e.param)

try:
    openai.OpenAI(base_url=base, api_key="sk-wrong", max_retries=0).models.list()
    raise SystemExit("a wrong key was accepted")
except openai.AuthenticationError as e:
    assert e.status_code == 401 and e.code == "invalid_api_key", (e.status_code, e.code)
    print("OK 401", e.code)

try:
    client.chat.completions.create(model="llama3.2", messages=messages)
    raise SystemExit("the scripted 429 did not come")
except openai.RateLimitError as e:
    assert e.response.headers.get("retry-after") == "3", dict(e.response.headers)
    assert e.code == "rate_limit_exceeded", e.code
    print("OK 429", e.response.headers.get("retry-after"))

print("OK all")
