"""The Kubernetes overlays, rendered by kustomize, against the invariants operators rely on: probes on the
management port, requests and limits, non-root with a read-only root filesystem, pinned image tags, one Service per
Deployment, nothing but the gateway exposed, and the profile and secrets each overlay promises.

Run by `./dmlp test` (stage k8s) with KUSTOMIZE naming the kustomize binary it installed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

K8S = Path(__file__).resolve().parents[1]
OVERLAYS = ("dev", "prod")
SERVICES = {"auth-service", "catalog-service", "dataset-service", "training-service", "inference-service",
            "datalake-service", "gateway"}


def render(overlay: str) -> list[dict]:
    out = subprocess.run([os.environ.get("KUSTOMIZE", "kustomize"), "build", str(K8S / "overlays" / overlay)],
                         capture_output=True, text=True, check=True)
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request) -> tuple[str, list[dict]]:
    return request.param, render(request.param)


def of_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d["kind"] == kind]


def name(doc: dict) -> str:
    return doc["metadata"]["name"]


def pod_specs(docs: list[dict]):
    """(workload name, pod spec) of every Deployment, Job and the RayCluster's head and workers."""
    for d in docs:
        if d["kind"] in ("Deployment", "Job"):
            yield name(d), d["spec"]["template"]["spec"]
        elif d["kind"] == "RayCluster":
            yield name(d) + "/head", d["spec"]["headGroupSpec"]["template"]["spec"]
            for group in d["spec"]["workerGroupSpecs"]:
                yield f"{name(d)}/{group['groupName']}", group["template"]["spec"]


def test_every_platform_service_has_a_deployment_and_exactly_one_service(rendered):
    _, docs = rendered
    deployments = {name(d) for d in of_kind(docs, "Deployment")}
    assert SERVICES <= deployments
    for deployment in of_kind(docs, "Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selecting = [s for s in of_kind(docs, "Service")
                     if s["spec"].get("selector") and s["spec"]["selector"].items() <= labels.items()]
        assert len(selecting) == 1, f"{name(deployment)}: Services {[name(s) for s in selecting]}"


def test_probes_are_on_the_management_port(rendered):
    _, docs = rendered
    for deployment in of_kind(docs, "Deployment"):
        if name(deployment) not in SERVICES:
            continue
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert ports == {"http": 8080, "management": 9080}, name(deployment)
        for probe, path in (("livenessProbe", "/q/health/live"), ("readinessProbe", "/q/health/ready"),
                            ("startupProbe", "/q/health/started")):
            assert container[probe]["httpGet"] == {"path": path, "port": "management"}, (name(deployment), probe)


def test_every_container_has_requests_and_limits_and_runs_locked_down(rendered):
    _, docs = rendered
    for workload, spec in pod_specs(docs):
        assert spec["securityContext"]["runAsNonRoot"] is True, workload
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, workload
        for container in spec["containers"]:
            where = f"{workload}/{container['name']}"
            resources = container["resources"]
            assert {"cpu", "memory"} <= resources["requests"].keys(), where
            assert {"cpu", "memory"} <= resources["limits"].keys(), where
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["capabilities"] == {"drop": ["ALL"]}, where
            if not workload.startswith("ray/"):  # Ray writes its session files under its home directory
                assert security["readOnlyRootFilesystem"] is True, where


def test_every_image_has_a_pinned_tag(rendered):
    _, docs = rendered
    for workload, spec in pod_specs(docs):
        for container in spec["containers"]:
            image = container["image"]
            repository, _, tag = image.rpartition(":")
            assert "@sha256:" in image or (repository and tag and tag != "latest" and "/" not in tag), \
                f"{workload}: {image}"


def test_only_the_gateway_is_reachable_from_outside(rendered):
    _, docs = rendered
    for service in of_kind(docs, "Service"):
        assert service["spec"].get("type", "ClusterIP") == "ClusterIP", name(service)
    backends = {path["backend"]["service"]["name"]
                for ingress in of_kind(docs, "Ingress") for rule in ingress["spec"]["rules"]
                for path in rule["http"]["paths"]}
    assert backends == {"gateway"}
    for workload, spec in pod_specs(docs):
        assert not spec.get("hostNetwork"), workload
        for container in spec["containers"]:
            assert all("hostPort" not in p for p in container.get("ports", [])), workload


def test_platform_pods_refuse_what_no_policy_allows(rendered):
    _, docs = rendered
    policies = {name(p): p for p in of_kind(docs, "NetworkPolicy")}
    deny = policies["platform-default-deny"]["spec"]
    assert deny["podSelector"] == {"matchLabels": {"app.kubernetes.io/component": "platform-service"}}
    assert deny["policyTypes"] == ["Ingress"] and "ingress" not in deny
    # From outside the namespace, only the ingress controller, and only to the gateway.
    outside = [(name(p), rule) for p in policies.values() for rule in p["spec"].get("ingress", [])
               for peer in rule.get("from", []) if "namespaceSelector" in peer
               and peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] == "ingress-nginx"]
    assert [n for n, _ in outside] == ["gateway-from-ingress"]
    assert policies["gateway-from-ingress"]["spec"]["podSelector"] == {
        "matchLabels": {"app.kubernetes.io/name": "gateway"}}


def test_scaling_and_disruption_budgets(rendered):
    overlay, docs = rendered
    assert {name(h) for h in of_kind(docs, "HorizontalPodAutoscaler")} == {"gateway", "inference-service"}
    assert {name(b) for b in of_kind(docs, "PodDisruptionBudget")} >= SERVICES
    replicas = {name(d): d["spec"]["replicas"] for d in of_kind(docs, "Deployment") if name(d) in SERVICES}
    assert set(replicas.values()) == ({1} if overlay == "dev" else {2})


def test_each_overlay_runs_its_profile_with_its_secrets(rendered):
    overlay, docs = rendered
    for deployment in of_kind(docs, "Deployment"):
        if name(deployment) not in SERVICES:
            continue
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        env = {e["name"]: e for e in container["env"]}
        assert env["QUARKUS_PROFILE"]["value"] == ("kube" if overlay == "dev" else "prod,kube"), name(deployment)
        assert env["DMLP_KAFKA_JAAS_CONFIG"]["valueFrom"]["secretKeyRef"]["name"] == name(deployment)
        assert all("value" not in e or "PASSWORD" not in e["name"] for e in container["env"]), name(deployment)
    users = {name(u) for u in of_kind(docs, "KafkaUser")}
    assert SERVICES <= users
    secrets = {name(s) for s in of_kind(docs, "Secret")}
    auth = next(d for d in of_kind(docs, "Deployment") if name(d) == "auth-service")
    keys = next(v for v in auth["spec"]["template"]["spec"]["volumes"] if v["name"] == "auth-keys")
    if overlay == "dev":
        assert {"dmlp-secrets", "ray-token"} <= secrets
        assert "emptyDir" in keys
    else:
        assert not secrets, "prod generates no secret: the operator creates them"
        assert keys["secret"]["secretName"] == "auth-keys"


def test_every_topic_the_platform_uses_is_declared():
    docs = render("prod")
    topics = {name(t) for t in of_kind(docs, "KafkaTopic")}
    env = (K8S.parents[1] / "deploy" / "local" / "env.sh").read_text()
    base = env.split('DMLP_KAFKA_BASE_TOPICS:=', 1)[1].split('}', 1)[0].split()
    assert topics == set(base)


def test_every_platform_image_is_built_by_a_dockerfile_of_the_project():
    root = K8S.parents[1]
    images = {c["image"].split(":")[0] for overlay in OVERLAYS for _, spec in pod_specs(render(overlay))
              for c in spec["containers"] if c["image"].startswith("dmlp/")}
    assert images == {f"dmlp/{s}" for s in SERVICES} | {"dmlp/ray-jobs"}
    for image in images - {"dmlp/ray-jobs"}:  # deploy/docker/service.Dockerfile, --build-arg SERVICE=<module>
        assert (root / image.split("/")[1] / "pom.xml").is_file(), image
    assert "ARG SERVICE" in (root / "deploy" / "docker" / "service.Dockerfile").read_text()
    ray = (root / "deploy" / "docker" / "ray-jobs.Dockerfile").read_text()
    pinned = next(line.split("==")[1].strip() for line in (root / "ray-jobs" / "requirements.txt").read_text()
                  .splitlines() if line.startswith("ray[default]=="))
    assert f"rayproject/ray:{pinned}-" in ray
    (cluster,) = [d for d in render("prod") if d["kind"] == "RayCluster"]
    assert cluster["spec"]["rayVersion"] == pinned
