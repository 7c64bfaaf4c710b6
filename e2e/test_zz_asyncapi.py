"""docs/asyncapi.yaml against what the platform really publishes.

Marked to run after everything else (conftest.py): it reads every event the packaged services put on the test topics
while this end-to-end run went on (from the record timestamps of the session's start), so it sees what the whole
suite made them emit."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[1]
DOC = yaml.safe_load((ROOT / "docs" / "asyncapi.yaml").read_text())
DOMAINS = ("auth", "catalog", "dataset", "training", "inference")
SESSION_STARTED_MS = int(os.environ.get("DMLP_E2E_STARTED_MS", "0")) or None
pytestmark = pytest.mark.after_everything


def declared() -> dict[str, dict]:
    """{CloudEvent type: its message} of every message a channel carries."""
    messages = DOC["components"]["messages"]
    found = {}
    for channel in DOC["channels"].values():
        for ref in channel["messages"].values():
            message = messages[ref["$ref"].rsplit("/", 1)[1]]
            found[message["name"]] = message
    return found


def validator(message: dict) -> Draft202012Validator:
    registry = Registry().with_resource("urn:asyncapi", Resource.opaque(DOC))
    schema = json.loads(json.dumps(message["payload"]).replace('"#/components/', '"urn:asyncapi#/components/'))
    return Draft202012Validator(schema, registry=registry)


def documented_types() -> set[str]:
    """The types of docs/events.md's table, with its `.updated` shorthand spelled out."""
    types = set()
    for row in (ROOT / "docs" / "events.md").read_text().split("## Event types so far", 1)[1] \
            .split("\n## ", 1)[0].splitlines():
        cells = row.split("|")
        if len(cells) < 3 or not cells[2].strip().startswith("`"):
            continue
        names = re.findall(r"`([a-z_.]+)`", cells[2])
        full = names[0]
        types.add(f"io.dmlp.{full}.v1")
        for short in names[1:]:
            types.add(f"io.dmlp.{full.rsplit('.', 1)[0]}{short}.v1")
    return types


def test_the_document_is_asyncapi_3_with_a_channel_per_topic():
    assert DOC["asyncapi"].startswith("3.")
    env = (ROOT / "deploy" / "local" / "env.sh").read_text()
    topics = env.split("DMLP_KAFKA_BASE_TOPICS:=", 1)[1].split("}", 1)[0].split()
    assert sorted(c["address"] for c in DOC["channels"].values()) == sorted(topics)
    for operation in DOC["operations"].values():
        channel = operation["channel"]["$ref"].rsplit("/", 1)[1]
        for ref in operation["messages"]:
            assert ref["$ref"].split("/messages/")[0] == f"#/channels/{channel}", ref


def test_every_documented_event_type_is_described_and_nothing_else():
    assert documented_types() == set(declared())


def published_since(started_ms: int | None) -> list[dict]:
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=f"127.0.0.1:{os.environ.get('DMLP_KAFKA_PORT', '59092')}",
                             enable_auto_commit=False, consumer_timeout_ms=5000)
    events = []
    try:
        for domain in DOMAINS:
            topic = f"test.dmlp.{domain}.events"
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
            consumer.assign(partitions)
            if started_ms is None:
                consumer.seek_to_beginning(*partitions)
            else:
                offsets = consumer.offsets_for_times({tp: started_ms for tp in partitions})
                for tp in partitions:
                    if offsets[tp] is None:
                        consumer.seek_to_end(tp)
                    else:
                        consumer.seek(tp, offsets[tp].offset)
            for record in consumer:
                event = json.loads(record.value)
                # Events the services published (tests also put forged ones on the topics, from no service).
                if str(event.get("source", "")).startswith("/dmlp/"):
                    events.append({"topic": topic, "key": record.key.decode() if record.key else None, **event})
    finally:
        consumer.close()
    return events


def test_every_event_the_services_published_in_this_run_is_described_and_valid():
    if SESSION_STARTED_MS is None:
        pytest.skip("DMLP_E2E_STARTED_MS is not set (./dmlp test sets it)")
    events = published_since(SESSION_STARTED_MS)
    assert events, "the run published no event"
    messages = declared()
    channel_of = {m["name"]: c["address"] for c in DOC["channels"].values()
                  for ref in c["messages"].values()
                  for m in [DOC["components"]["messages"][ref["$ref"].rsplit("/", 1)[1]]]}
    problems = []
    for event in events:
        message = messages.get(event["type"])
        if message is None:
            problems.append(f"{event['type']}: not in docs/asyncapi.yaml")
            continue
        if f"test.{channel_of[event['type']]}" != event["topic"]:
            problems.append(f"{event['type']}: on {event['topic']}, described on {channel_of[event['type']]}")
        if event["key"] != f"{event.get('tenantid', '-')}/{event.get('subject')}":  # '-': a login naming no tenant
            problems.append(f"{event['type']}: key {event['key']!r} is not <tenant_id>/<subject>")
        payload = {k: v for k, v in event.items() if k not in ("topic", "key")}
        for error in validator(message).iter_errors(payload):
            problems.append(f"{event['type']}: {error.json_path}: {error.message}")
    assert not sorted(set(problems)), "\n".join(sorted(set(problems))[:40])
